-- dw.is_valid_sale: the one definition of which orders count as sales: every order status but
-- cancelled, refunded and returned (pending, paid, processing, shipped, delivered, completed).
-- requires: nothing (dw.fact_sales_orders.status holds the statuses of 0005_facts_sales)
-- Every view, query, test and benchmark that counts sales calls it: docs/metrics.md.
-- A single-expression IMMUTABLE SQL function without SET or SECURITY DEFINER, so PostgreSQL
-- inlines it: `WHERE dw.is_valid_sale(o.status)` plans exactly like the NOT IN it stands for.
-- Changing the rule: edit this file, migrate, then refresh every view (`erpdb refresh --all`);
-- rows already in the views were computed under the old rule until then.

CREATE OR REPLACE FUNCTION dw.is_valid_sale(status text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT status NOT IN ('cancelled', 'refunded', 'returned')
$$;

COMMENT ON FUNCTION dw.is_valid_sale(text) IS
    'True for an order status that counts as a sale: every status but cancelled, refunded and returned. The one definition every sales figure uses (docs/metrics.md).';
REVOKE EXECUTE ON FUNCTION dw.is_valid_sale(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.is_valid_sale(text) TO erp_reader, erp_writer;
