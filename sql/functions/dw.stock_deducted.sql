-- dw.stock_deducted: the one rule for an order's inventory_deducted flag: its net units shipped
-- are positive once its stock is posted. The lines count while the status ships (dw.ships_stock:
-- the stock posting brings each line to its quantity then, to 0 otherwise); movements of the
-- order that name no line (imported sale_out/return_in, which posting leaves alone) count as they are.
-- requires: dw.ships_stock
-- Used where the flag is set: the order import's upsert (for one stored order) and
-- dw.post_order_totals (for a batch). A single-expression IMMUTABLE SQL function without SET,
-- so PostgreSQL inlines it.

CREATE OR REPLACE FUNCTION dw.stock_deducted(status text, line_quantity numeric, unlined_shipped numeric)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT CASE WHEN dw.ships_stock(status) THEN coalesce(line_quantity, 0) ELSE 0 END + coalesce(unlined_shipped, 0) > 0
$$;

COMMENT ON FUNCTION dw.stock_deducted(text, numeric, numeric) IS
    'inventory_deducted of an order with this status, sum of line quantities (NULL: no lines) and net units shipped by movements naming no line (NULL: none).';
REVOKE EXECUTE ON FUNCTION dw.stock_deducted(text, numeric, numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.stock_deducted(text, numeric, numeric) TO erp_writer;
