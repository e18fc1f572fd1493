-- 0047_product_references_checked_per_statement: order lines and stock movements name their product
-- by (merchant_id, product_id) and are now checked once per statement, set-based, like their order
-- (0026, 0037; docs/business-flows.md, "Order and product references"). As row foreign keys the
-- checks ran one lookup per row: 2.9 s of inserting 400,000 lines, 2.5 s of posting their 400,000
-- stock movements. The outcomes stay those of the keys: a row naming a missing product fails with
-- 23503 and constraint <table>_product_fkey; a product still named cannot be deleted or re-keyed;
-- the product a row is being written for cannot be deleted until that transaction ends (the check
-- locks it FOR KEY SHARE, as the key did); the products cannot be truncated without the lines and
-- movements. Positions, product metrics and stock counts, written a row per product, keep their keys.
-- requires: 0005_facts_sales, 0006_facts_inventory_finance
-- The trigger functions are defined here first; their live definitions are
-- sql/functions/dw.check_product_references.sql and sql/functions/dw.restrict_product_keys.sql.

-- Any row that the keys let in is still valid: nothing to re-check before they go.
ALTER TABLE dw.fact_order_items DROP CONSTRAINT fact_order_items_product_fkey;
ALTER TABLE dw.fact_inventory_transactions DROP CONSTRAINT fact_inventory_transactions_product_fkey;

CREATE OR REPLACE FUNCTION dw.check_product_references()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    keys_sql         text := 'SELECT n.merchant_id, n.product_id FROM referencing AS n';
    missing_merchant bigint;
    missing_product  bigint;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        keys_sql := keys_sql || ' EXCEPT SELECT b.merchant_id, b.product_id FROM referenced_before AS b';
    END IF;
    -- EXECUTE, not a static query: PL/pgSQL would keep the plan of the session's first statement,
    -- made for its transition table (often a handful of rows), for every later one.
    -- A batch names few products: they are made distinct first, so each is found and locked once.
    EXECUTE format($q$
        WITH keys AS MATERIALIZED (SELECT DISTINCT k.merchant_id, k.product_id FROM (%s) AS k),
        found AS (
            SELECT p.merchant_id, p.product_id
            FROM dw.dim_products AS p
            JOIN keys AS k ON k.merchant_id = p.merchant_id AND k.product_id = p.product_id
            FOR KEY SHARE OF p
        )
        SELECT k.merchant_id, k.product_id
        FROM keys AS k
        WHERE NOT EXISTS (SELECT 1 FROM found AS f WHERE f.merchant_id = k.merchant_id AND f.product_id = k.product_id)
        ORDER BY k.merchant_id, k.product_id
        LIMIT 1
        $q$, keys_sql) INTO missing_merchant, missing_product;
    IF missing_merchant IS NOT NULL THEN
        RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"', TG_TABLE_NAME, TG_TABLE_NAME || '_product_fkey'
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (merchant_id, product_id)=(%s, %s) is not present in table "dim_products".',
                                  missing_merchant, missing_product),
                  SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, CONSTRAINT = TG_TABLE_NAME || '_product_fkey';
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION dw.check_product_references() IS
    'Statement trigger (transition table "referencing", and "referenced_before" on UPDATE) of order lines and stock movements: raises 23503, constraint <table>_product_fkey, when a written row names a product (merchant_id, product_id) that does not exist; locks the products found FOR KEY SHARE.';
REVOKE EXECUTE ON FUNCTION dw.check_product_references() FROM PUBLIC;
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

CREATE TRIGGER fact_order_items_product_check_insert AFTER INSERT ON dw.fact_order_items
    REFERENCING NEW TABLE AS referencing FOR EACH STATEMENT EXECUTE FUNCTION dw.check_product_references();
CREATE TRIGGER fact_order_items_product_check_update AFTER UPDATE ON dw.fact_order_items
    REFERENCING OLD TABLE AS referenced_before NEW TABLE AS referencing FOR EACH STATEMENT EXECUTE FUNCTION dw.check_product_references();
CREATE TRIGGER fact_inventory_transactions_product_check_insert AFTER INSERT ON dw.fact_inventory_transactions
    REFERENCING NEW TABLE AS referencing FOR EACH STATEMENT EXECUTE FUNCTION dw.check_product_references();
CREATE TRIGGER fact_inventory_transactions_product_check_update AFTER UPDATE ON dw.fact_inventory_transactions
    REFERENCING OLD TABLE AS referenced_before NEW TABLE AS referencing FOR EACH STATEMENT EXECUTE FUNCTION dw.check_product_references();

CREATE TRIGGER dim_products_restrict_delete AFTER DELETE ON dw.dim_products
    REFERENCING OLD TABLE AS old_products FOR EACH STATEMENT EXECUTE FUNCTION dw.restrict_product_keys();
CREATE TRIGGER dim_products_restrict_update AFTER UPDATE ON dw.dim_products
    REFERENCING OLD TABLE AS old_products NEW TABLE AS new_products FOR EACH STATEMENT EXECUTE FUNCTION dw.restrict_product_keys();
CREATE TRIGGER dim_products_restrict_truncate AFTER TRUNCATE ON dw.dim_products
    FOR EACH STATEMENT EXECUTE FUNCTION dw.restrict_product_keys();
