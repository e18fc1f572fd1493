-- dw.suggested_reorder_qty: the one definition of how many units to reorder: enough for 30 more
-- days at the last 30 days' rate above the safety stock, max(0, safety stock + units sold in the
-- 30 days - available - incoming). A product already at or below its safety stock
-- (dw.stock_status low or out) that sold in those 30 days leaves incoming out: the stock in transit
-- did not keep it above its safety stock, so the suggestion is safety stock + units sold -
-- available, never 0 while it still sells.
-- requires: dw.stock_status
-- Used by mart.mv_inventory_summary's compute function and its refresh by deltas
-- (ops.refresh_inventory_summary). An IMMUTABLE single-expression SQL function: inlined.

CREATE OR REPLACE FUNCTION dw.suggested_reorder_qty(safety_stock bigint, units_sold_30d bigint, quantity_available bigint, quantity_incoming bigint)
RETURNS bigint
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT GREATEST(0, safety_stock + units_sold_30d - quantity_available
                       - CASE WHEN dw.stock_status(quantity_available, safety_stock) <> 'normal' AND units_sold_30d > 0
                              THEN 0 ELSE quantity_incoming END)
$$;

COMMENT ON FUNCTION dw.suggested_reorder_qty(bigint, bigint, bigint, bigint) IS
    'Units to reorder: max(0, safety stock + units sold in 30 days - available - incoming), incoming left out for a product at or below its safety stock that still sells. Used by mart.mv_inventory_summary and its refresh.';
REVOKE EXECUTE ON FUNCTION dw.suggested_reorder_qty(bigint, bigint, bigint, bigint) FROM PUBLIC;
