-- dw.ships_stock: the one definition of the order statuses whose goods have left the warehouse
-- (shipped, delivered, completed): the stock posting deducts their lines' quantities, and
-- inventory_deducted is true for them. Paid and processing only reserve; the others hold nothing.
-- requires: nothing (dw.fact_sales_orders.status holds the statuses of 0005_facts_sales)
-- A single-expression IMMUTABLE SQL function without SET or SECURITY DEFINER, so PostgreSQL
-- inlines it.

CREATE OR REPLACE FUNCTION dw.ships_stock(status text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT status IN ('shipped', 'delivered', 'completed')
$$;

COMMENT ON FUNCTION dw.ships_stock(text) IS
    'True for an order status whose goods have left the warehouse (shipped, delivered, completed): its lines are deducted from stock.';
REVOKE EXECUTE ON FUNCTION dw.ships_stock(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.ships_stock(text) TO erp_writer;
