-- dw.product_unit_cost: the cost in CNY an order line takes when it states none.
-- requires: dw.fact_inventory, dw.dim_products (0004, 0006)
-- The weighted-average cost of the product in the warehouse orders ship from ('default'), kept by
-- dw.apply_inventory_movements on each purchase; before any purchase, the product's unit_cost.

CREATE OR REPLACE FUNCTION dw.product_unit_cost(merchant bigint, product bigint)
RETURNS numeric
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(
        (SELECT nullif(f.average_unit_cost, 0)
         FROM dw.fact_inventory AS f
         WHERE f.merchant_id = merchant AND f.product_id = product AND f.warehouse_code = 'default'),
        (SELECT p.unit_cost FROM dw.dim_products AS p WHERE p.merchant_id = merchant AND p.product_id = product))
$$;

COMMENT ON FUNCTION dw.product_unit_cost(bigint, bigint) IS
    'Unit cost in CNY for an order line without one: the weighted-average cost in the default warehouse, else the product''s unit_cost.';
REVOKE EXECUTE ON FUNCTION dw.product_unit_cost(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.product_unit_cost(bigint, bigint) TO erp_writer;
