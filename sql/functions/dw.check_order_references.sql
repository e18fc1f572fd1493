-- dw.check_order_references: the order check of the rows posting derives from orders (stock
-- movements, receivables, expenses), once per statement (0026_order_references_checked_per_statement).
-- requires: dw.fact_sales_orders
-- Fired AFTER INSERT and AFTER UPDATE FOR EACH STATEMENT with the written rows as the transition
-- table "referencing": one anti-join finds a row naming an order (merchant_id, order_id,
-- order_date) that does not exist, and raises what the foreign key it replaces raised (23503,
-- constraint <table>_order_fkey), so callers and error messages see no difference.
-- Checked: each distinct order key once; on UPDATE only the keys the rows did not hold before
-- (transition table "referenced_before", 0033_order_reference_updates_see_old_rows), since a key
-- already held was checked when written and its order cannot be deleted while named. A statement
-- that wrote no row naming an order returns before planning anything over the partitions.
-- Every statement is checked, the posting functions' own included: a skip a session could ask for
-- (a setting) would let any writer store references to orders that do not exist, which the
-- foreign key this replaces never allowed.

CREATE OR REPLACE FUNCTION dw.check_order_references()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    missing record;
BEGIN
    PERFORM FROM referencing AS r WHERE r.order_id IS NOT NULL LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    -- EXECUTE, not a static query: PL/pgSQL keeps a static query's first plan for the session, made for
    -- the first statement's transition table (often a handful of rows), and reused it for 200,000.
    -- ORDER BY before LIMIT 1: a bare LIMIT 1 let the planner expect to stop at the first missing
    -- order and probe the partitions once per key (40,000 keys: 1-4 s); sorted, it costs the whole
    -- anti-join and hashes it when the batch is large (0.2 s), and names the first missing key.
    IF TG_OP = 'UPDATE' THEN
        EXECUTE $q$
            SELECT r.merchant_id, r.order_id, r.order_date
            FROM (SELECT DISTINCT n.merchant_id, n.order_id, n.order_date FROM referencing AS n
                  WHERE n.order_id IS NOT NULL
                  EXCEPT
                  SELECT b.merchant_id, b.order_id, b.order_date FROM referenced_before AS b) AS r
            WHERE NOT EXISTS (SELECT 1 FROM dw.fact_sales_orders AS o
                              WHERE o.merchant_id = r.merchant_id AND o.order_id = r.order_id AND o.order_date = r.order_date)
            ORDER BY r.merchant_id, r.order_id, r.order_date
            LIMIT 1
            $q$ INTO missing;
    ELSE
        EXECUTE $q$
            SELECT r.merchant_id, r.order_id, r.order_date
            FROM (SELECT DISTINCT n.merchant_id, n.order_id, n.order_date FROM referencing AS n
                  WHERE n.order_id IS NOT NULL) AS r
            WHERE NOT EXISTS (SELECT 1 FROM dw.fact_sales_orders AS o
                              WHERE o.merchant_id = r.merchant_id AND o.order_id = r.order_id AND o.order_date = r.order_date)
            ORDER BY r.merchant_id, r.order_id, r.order_date
            LIMIT 1
            $q$ INTO missing;
    END IF;
    IF missing.merchant_id IS NOT NULL THEN
        RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"', TG_TABLE_NAME, TG_TABLE_NAME || '_order_fkey'
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (merchant_id, order_id, order_date)=(%s, %s, %s) is not present in table "fact_sales_orders".',
                                  missing.merchant_id, missing.order_id, missing.order_date),
                  SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, CONSTRAINT = TG_TABLE_NAME || '_order_fkey';
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION dw.check_order_references() IS
    'Statement trigger (transition table "referencing") of the tables posting derives from orders: raises 23503, constraint <table>_order_fkey, when a written row names an order (merchant_id, order_id, order_date) that does not exist.';
REVOKE EXECUTE ON FUNCTION dw.check_order_references() FROM PUBLIC;
