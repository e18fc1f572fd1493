-- 0043_product_sales_deltas: what lets mart.mv_top_products follow mart.mv_product_sales_daily by
-- deltas instead of recomputing every product of a merchant over 90 days (docs/refresh.md,
-- "Aggregates that follow their base by deltas"):
-- - ops.mv_registry.delta_log: on a base aggregate, the table its refresh writes the rows it
--   rewrote into, signed (-1 for the rows its DELETE removed, +1 for those its INSERT added), one
--   copy per dependant that reads deltas; the columns copied are the log's columns named like the
--   aggregate's;
-- - ops.mv_registry.delta_function: on a dependant, the function its refresh calls instead of
--   recomputing buckets (view_name, full_rebuild, covered snapshot) -> (row_count, refresh_mode);
-- - ops.product_sales_deltas: the delta log of mart.mv_product_sales_daily.
-- requires: 0027_incremental_aggregates, 0035_incremental_finance_inventory

ALTER TABLE ops.mv_registry
    ADD COLUMN delta_log text,
    ADD COLUMN delta_function text;

COMMENT ON COLUMN ops.mv_registry.delta_log IS 'Incremental aggregates that dependants follow by deltas: the table (e.g. ops.product_sales_deltas) into which ops.refresh_aggregate writes, in the refresh''s transaction, the rows it deleted (sign -1) and inserted (sign +1) for ranges of bounded days, once per dependant with a delta_function. A full rebuild, or a range reaching -infinity or infinity, writes none (the dependants get the range and recompute).';
COMMENT ON COLUMN ops.mv_registry.delta_function IS 'Incremental aggregates that follow their base by deltas: a function (view_name text, full_rebuild boolean, covered pg_snapshot, OUT row_count bigint, OUT refresh_mode text) that ops.refresh_aggregate calls, after taking the table''s lock, instead of recomputing invalidated buckets. It consumes the base''s delta log and the ranges logged for it.';

------------------------------------------------------------------------------------------------
-- ops.product_sales_deltas: the delta log of mart.mv_product_sales_daily
------------------------------------------------------------------------------------------------
-- Like ops.agg_invalidations, an entry belongs to the transaction that wrote it (the base's
-- refresh); the consumer takes a SHARE lock on the base first, so every entry it reads is
-- committed and the base cannot change while it reads both.
CREATE TABLE ops.product_sales_deltas (
    delta_id      bigint   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    view_name     text     NOT NULL,
    xid           xid8     NOT NULL DEFAULT pg_current_xact_id(),
    sign          smallint NOT NULL,
    merchant_id   bigint   NOT NULL,
    product_id    bigint   NOT NULL,
    sku           text,
    product_name  text,
    sales_date    date     NOT NULL,
    units_sold    bigint   NOT NULL,
    order_count   bigint   NOT NULL,
    revenue_cny   numeric  NOT NULL,
    cost_cny      numeric  NOT NULL,
    CONSTRAINT product_sales_deltas_sign_known CHECK (sign IN (-1, 1))
);

CREATE INDEX product_sales_deltas_view_idx ON ops.product_sales_deltas (view_name, merchant_id);

COMMENT ON TABLE ops.product_sales_deltas IS 'Delta log of mart.mv_product_sales_daily: each row its refresh deleted (sign -1) or inserted (sign +1) for a bounded range of days, per dependant that follows it by deltas (view_name, e.g. mart.mv_top_products). Sums of sign x value per (merchant, product, day) are the change of the base since the dependant''s last refresh. Written by ops.refresh_aggregate, consumed by the dependant''s delta_function.';
COMMENT ON COLUMN ops.product_sales_deltas.view_name IS 'The dependant that consumes the row.';
COMMENT ON COLUMN ops.product_sales_deltas.sign IS '-1: a row the base''s refresh deleted; +1: a row it inserted.';
COMMENT ON COLUMN ops.product_sales_deltas.xid IS 'The base refresh''s transaction.';

REVOKE ALL ON ops.product_sales_deltas FROM PUBLIC;
