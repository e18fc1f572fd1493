-- 0041_product_sales_days: an entry of ops.agg_product_invalidations written for order lines or
-- orders carries the day they are dated (docs/refresh.md, "Per product"): lines dated today or
-- later are in no 30-day window yet (the window ends yesterday), so the refresh leaves their
-- entries in the log until the window reaches their day, instead of recomputing the products now.
-- requires: 0035_incremental_finance_inventory
-- Entries written before this migration have no day: they are recomputed at the next refresh, as before.

ALTER TABLE ops.agg_product_invalidations ADD COLUMN sales_day date;

COMMENT ON COLUMN ops.agg_product_invalidations.sales_day IS 'For entries from order lines or orders: the day of the changed rows. The refresh consumes an entry once that day is inside the window it computes (before its as-of day); one dated that day or later waits in the log. NULL: not dated (stock, product, category), consumed by the next refresh.';
