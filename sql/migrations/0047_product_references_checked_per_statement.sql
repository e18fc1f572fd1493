-- 0047_product_references_checked_per_statement: order lines and stock movements name their product
-- by (merchant_id, product_id) and are now checked once per statement, set-based, like their order
-- (0026, 0037; docs/business-flows.md, "Product references, checked per statement"). As row
-- foreign keys the checks ran one lookup per row: 2.9 s of inserting 400,000 lines, 2.5 s of
-- posting their 400,000 stock movements. The outcomes stay those of the keys: a row naming a
-- missing product fails with 23503 and constraint <table>_product_fkey; a product still named
-- cannot be deleted or re-keyed; the product a row is being written for cannot be deleted until
-- that transaction ends (the check locks it FOR KEY SHARE, as the key did); the products cannot be
-- truncated without the lines and movements. Positions, product metrics and stock counts, written
-- a row per product, keep their keys.
-- requires: 0005_facts_sales, 0006_facts_inventory_finance
-- The trigger functions are sql/functions/dw.check_product_references.sql and
-- sql/functions/dw.restrict_product_keys.sql.

-- Any row that the keys let in is still valid: nothing to re-check before they go.
ALTER TABLE dw.fact_order_items DROP CONSTRAINT fact_order_items_product_fkey;
ALTER TABLE dw.fact_inventory_transactions DROP CONSTRAINT fact_inventory_transactions_product_fkey;

-- Placeholders that refuse what the checks guard: the live definitions replace them in the same
-- erpdb migrate, right after the migrations, so no write goes unchecked in the moment between.
CREATE FUNCTION dw.check_product_references()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'the product check of table "%" is not installed yet', TG_TABLE_NAME
        USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Run erpdb migrate to the end, then retry.';
END
$$;
REVOKE EXECUTE ON FUNCTION dw.check_product_references() FROM PUBLIC;

CREATE FUNCTION dw.restrict_product_keys()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'the product check of table "dim_products" is not installed yet'
        USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Run erpdb migrate to the end, then retry.';
END
$$;
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
