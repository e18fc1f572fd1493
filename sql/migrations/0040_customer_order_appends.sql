-- 0040_customer_order_appends: what lets the per-customer aggregate add a day's new orders to a
-- customer's history row instead of re-reading every order of that customer (docs/refresh.md,
-- "Per-customer aggregates"): an entry of ops.customer_invalidations written for inserted orders
-- carries what they add (their day, how many valid orders, their GMV), and one for any other
-- change carries nothing (the customer is recomputed from the orders, as before).
-- requires: 0034_customer_invalidations
-- Entries written before this migration have no values: they are recomputed, as before.

ALTER TABLE ops.customer_invalidations
    ADD COLUMN order_date  date,
    ADD COLUMN order_count bigint,
    ADD COLUMN gmv_cny     numeric,
    ADD CONSTRAINT customer_invalidations_appended_orders CHECK (
        (order_date IS NULL AND order_count IS NULL AND gmv_cny IS NULL)
        OR (order_date IS NOT NULL AND order_count > 0 AND gmv_cny IS NOT NULL AND customer_id IS NOT NULL));

COMMENT ON COLUMN ops.customer_invalidations.order_date IS 'For inserted orders only: the day of the valid orders the entry adds (with order_count and gmv_cny); NULL: any other change, the customer is recomputed from the orders.';
COMMENT ON COLUMN ops.customer_invalidations.order_count IS 'For inserted orders only: how many valid orders of the customer on order_date the statement inserted.';
COMMENT ON COLUMN ops.customer_invalidations.gmv_cny IS 'For inserted orders only: their GMV in CNY.';
