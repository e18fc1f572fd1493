-- dw.restrict_product_keys: what the foreign keys from order lines and stock movements to
-- dw.dim_products did on the product's side, once per statement
-- (0047_product_references_checked_per_statement).
-- requires: dw.dim_products, dw.fact_order_items, dw.fact_inventory_transactions
-- AFTER DELETE (transition table old_products) and AFTER UPDATE (old_products, new_products):
-- deleting a product, or changing its key, while lines or movements still name it raises 23503, as a
-- foreign key without an action did. AFTER TRUNCATE: truncating the products while lines or
-- movements remain is refused (0A000), as a foreign key refused it; the same TRUNCATE may empty them
-- all. The other tables that name a product (positions, metrics, stock counts) keep their foreign keys.

CREATE OR REPLACE FUNCTION dw.restrict_product_keys()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    gone_sql         text := 'SELECT o.merchant_id, o.product_id FROM old_products AS o';
    blocked_table    text;
    blocked_merchant bigint;
    blocked_product  bigint;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        -- Skipped when the same statement truncated the lines and movements too (the seed's reload).
        IF EXISTS (SELECT 1 FROM dw.fact_order_items) OR EXISTS (SELECT 1 FROM dw.fact_inventory_transactions) THEN
            RAISE EXCEPTION 'cannot truncate a table referenced in a foreign key constraint'
                USING ERRCODE = 'feature_not_supported',
                      DETAIL = 'Order lines and stock movements reference table "dim_products".',
                      HINT = 'Truncate table "fact_order_items" and table "fact_inventory_transactions" at the same time.';
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        gone_sql := gone_sql || ' EXCEPT SELECT n.merchant_id, n.product_id FROM new_products AS n';
    END IF;
    -- EXECUTE, not a static query: a plan made for the session's first transition table is not kept.
    EXECUTE format($q$
        WITH gone AS MATERIALIZED (%s)
        SELECT x.table_name, x.merchant_id, x.product_id
        FROM (
            SELECT 'fact_order_items' AS table_name, i.merchant_id, i.product_id
            FROM gone AS g JOIN dw.fact_order_items AS i ON i.merchant_id = g.merchant_id AND i.product_id = g.product_id
            UNION ALL
            SELECT 'fact_inventory_transactions', t.merchant_id, t.product_id
            FROM gone AS g JOIN dw.fact_inventory_transactions AS t ON t.merchant_id = g.merchant_id AND t.product_id = g.product_id
        ) AS x
        WHERE NOT EXISTS (SELECT 1 FROM dw.dim_products AS p WHERE p.merchant_id = x.merchant_id AND p.product_id = x.product_id)
        LIMIT 1
        $q$, gone_sql) INTO blocked_table, blocked_merchant, blocked_product;
    IF blocked_table IS NOT NULL THEN
        RAISE EXCEPTION 'update or delete on table "dim_products" violates foreign key constraint "%" on table "%"',
                        blocked_table || '_product_fkey', blocked_table
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (merchant_id, product_id)=(%s, %s) is still referenced from table "%s".',
                                  blocked_merchant, blocked_product, blocked_table),
                  SCHEMA = 'dw', TABLE = blocked_table, CONSTRAINT = blocked_table || '_product_fkey';
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION dw.restrict_product_keys() IS
    'Statement triggers of dw.dim_products (transition tables old_products, new_products): deleting a product, or changing its key, while order lines or stock movements still name it raises 23503, constraint <table>_product_fkey; truncating the products while lines or movements remain raises 0A000. What the foreign keys these checks replace did.';
REVOKE EXECUTE ON FUNCTION dw.restrict_product_keys() FROM PUBLIC;
