-- 0048_positions_follow_product_safety_stock: a stock position opened with its product's safety
-- stock follows that product's when it changes; one given its own (an inventory file's
-- safety_stock column) keeps it (docs/business-flows.md, "Safety stock and opening cost").
-- requires: 0004_dimensions, 0006_facts_inventory_finance
-- The trigger function is sql/functions/dw.follow_product_safety_stock.sql; until it replaces this
-- placeholder, later in the same erpdb migrate, a product's change does not reach its positions
-- (as before this migration).

CREATE FUNCTION dw.follow_product_safety_stock()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION dw.follow_product_safety_stock() FROM PUBLIC;

CREATE TRIGGER dim_products_follow_safety_stock AFTER UPDATE ON dw.dim_products
    REFERENCING OLD TABLE AS old_products NEW TABLE AS new_products
    FOR EACH STATEMENT EXECUTE FUNCTION dw.follow_product_safety_stock();

COMMENT ON COLUMN dw.dim_products.safety_stock IS 'Default safety stock: a position opened without its own takes it, and follows it while it keeps that value; dw.fact_inventory keeps the per-warehouse value used by low-stock alerts.';
