-- dw.stock_status: the one definition of low stock: out_of_stock when nothing is available,
-- low_stock when what is available is at or below the safety stock, else normal.
-- requires: nothing (dw.fact_inventory.quantity_available and safety_stock, 0006_facts_inventory_finance)
-- Used by the low-stock check (dw.check_stock_levels), mart.mv_inventory_summary and the
-- inventory query (erpdb inventory, through dw.stock_status_class). An IMMUTABLE single-expression SQL function: inlined.

CREATE OR REPLACE FUNCTION dw.stock_status(quantity_available bigint, safety_stock bigint)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT CASE
               WHEN quantity_available <= 0 THEN 'out_of_stock'
               WHEN quantity_available <= safety_stock THEN 'low_stock'
               ELSE 'normal'
           END
$$;

COMMENT ON FUNCTION dw.stock_status(bigint, bigint) IS
    'The one definition of low stock: out_of_stock (available <= 0), low_stock (available <= safety stock) or normal. Used by the low-stock check, mart.mv_inventory_summary and erpdb inventory.';
REVOKE EXECUTE ON FUNCTION dw.stock_status(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.stock_status(bigint, bigint) TO erp_reader, erp_writer;
