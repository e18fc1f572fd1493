-- dw.open_inventory_deltas: creates, unless the transaction has it already, the temp table in
-- which the effects of movements on stock positions are collected for dw.apply_inventory_movements
-- (dw.post_order_stock writes its movements applied and leaves their deltas there; the apply
-- function adds the pending movements' and consumes them). One definition for both.
-- requires: nothing
-- Dropped at commit. Runs with the caller's rights.

CREATE OR REPLACE FUNCTION dw.open_inventory_deltas()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS inventory_deltas (
        merchant_id bigint, product_id bigint, warehouse_code text,
        on_hand_change integer, reserved_change integer, received integer, received_value numeric,
        taken_back integer NOT NULL DEFAULT 0, taken_back_value numeric NOT NULL DEFAULT 0,
        repriced integer NOT NULL DEFAULT 0, repriced_value numeric NOT NULL DEFAULT 0, moved_on date
    ) ON COMMIT DROP;
END
$$;

COMMENT ON FUNCTION dw.open_inventory_deltas() IS
    'Creates pg_temp.inventory_deltas (dropped at commit) unless the transaction has it: the movements'' effects on stock positions, collected for dw.apply_inventory_movements.';
REVOKE EXECUTE ON FUNCTION dw.open_inventory_deltas() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.open_inventory_deltas() TO erp_writer;
