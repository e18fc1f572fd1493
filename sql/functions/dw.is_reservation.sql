-- dw.is_reservation: whether a stock movement of this type moves reserved stock (reserve, release)
-- rather than stock on hand (every other type: purchase_in, sale_out, return_in, adjustment, ...).
-- requires: nothing (dw.fact_inventory_transactions.transaction_type holds the types of 0006)
-- The one rule the positions (dw.apply_inventory_movements), the order posting (dw.post_order_stock),
-- counts (dw.post_stock_counts) and the movements report (sql/queries/stock_movements.sql) share.
-- A plain SQL expression without SET: the planner inlines it.

CREATE OR REPLACE FUNCTION dw.is_reservation(transaction_type text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT transaction_type IN ('reserve', 'release')
$$;

COMMENT ON FUNCTION dw.is_reservation(text) IS
    'True for a stock movement type that moves reserved stock (reserve, release); every other type moves stock on hand.';
REVOKE EXECUTE ON FUNCTION dw.is_reservation(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.is_reservation(text) TO erp_writer, erp_reader;
