-- mart.mv_top_products: revenue, orders and units per merchant and product over the standard
-- dashboard windows (the last 7, 30 and 90 days up to the refresh day), ranked.
-- requires: mart.mv_product_sales_daily
-- Why: "top products of the last 30 days" is the dashboard's most asked question, and answering it
-- from mart.mv_product_sales_daily means summing tens of thousands of product-shop-day rows per
-- request. Here it is a short index scan. The sales query uses this view when the period is one of
-- these windows ending on window_end and no platform filter applies; otherwise it sums the daily rows.
-- window_end is CURRENT_DATE at refresh, so the view moves with the interval refresh; a request
-- for a window ending on another day simply does not match and falls back.
-- An incremental aggregate that follows mart.mv_product_sales_daily by deltas (docs/refresh.md,
-- "Aggregates that follow their base by deltas"): ops.refresh_top_products adds the signed rows the
-- base's refresh rewrote (ops.product_sales_deltas) to the windows holding their days, and when the
-- date moved, adds the days that entered each window and subtracts those that left it. A merchant
-- whose base rows were rewritten over unbounded days (a product renamed), a full refresh, a
-- TRUNCATE upstream or an empty table recompute from the compute function.

SELECT ops.drop_mart_relation('mart.mv_top_products');

CREATE TABLE mart.mv_top_products (
    merchant_id   bigint  NOT NULL,
    window_days   integer NOT NULL,
    window_end    date    NOT NULL,
    product_id    bigint  NOT NULL,
    sku           text,
    product_name  text,
    revenue_cny   numeric NOT NULL,
    order_count   bigint  NOT NULL,
    units_sold    bigint  NOT NULL
);

-- The aggregate's rows for some merchants (NULL: all); the windows end on as_of (the refresh day),
-- so the days given only bound what is read (the refresh passes -infinity..infinity). sku and
-- product_name are the same on every row of a product in the base (a rename rewrites them all).
CREATE FUNCTION mart.mv_top_products_rows(merchants bigint[], first_day date, last_day date, as_of date DEFAULT CURRENT_DATE)
RETURNS SETOF mart.mv_top_products
LANGUAGE sql
STABLE
BEGIN ATOMIC
SELECT d.merchant_id,
       w.window_days,
       as_of AS window_end,
       d.product_id,
       max(d.sku) AS sku,
       max(d.product_name) AS product_name,
       round(sum(d.revenue_cny), 2) AS revenue_cny,
       sum(d.order_count)::bigint AS order_count,
       sum(d.units_sold)::bigint AS units_sold
FROM mart.mv_product_sales_daily AS d
CROSS JOIN (VALUES (7), (30), (90)) AS w (window_days)
WHERE d.sales_date > as_of - w.window_days
  AND d.sales_date <= as_of
  AND d.sales_date > as_of - 90
  AND d.sales_date BETWEEN first_day AND last_day
  AND (merchants IS NULL OR d.merchant_id = ANY (merchants))
GROUP BY d.merchant_id, w.window_days, d.product_id;
END;

-- The fill consumes the deltas logged for the table it replaces, in the same statement (one snapshot).
WITH consumed AS (DELETE FROM ops.product_sales_deltas WHERE view_name = 'mart.mv_top_products')
INSERT INTO mart.mv_top_products SELECT * FROM mart.mv_top_products_rows(NULL, '-infinity', 'infinity');

CREATE UNIQUE INDEX mv_top_products_key ON mart.mv_top_products (merchant_id, window_days, product_id);
CREATE INDEX mv_top_products_rank_idx ON mart.mv_top_products (merchant_id, window_days, revenue_cny DESC, product_id);
ANALYZE mart.mv_top_products;

COMMENT ON TABLE mart.mv_top_products IS 'Per merchant and product: revenue, orders and units over the last 7, 30 and 90 days up to window_end, from mart.mv_product_sales_daily. An incremental aggregate (by merchant) that only the refresh functions write. Readers use mart.top_products.';
COMMENT ON COLUMN mart.mv_top_products.window_days IS 'Length of the window in days: 7, 30 or 90, ending on window_end inclusive.';
COMMENT ON COLUMN mart.mv_top_products.window_end IS 'The refresh day (CURRENT_DATE): the last day of every window.';
COMMENT ON COLUMN mart.mv_top_products.order_count IS 'Sum of the daily per-shop order counts of the product (an order with the product in two lines counts once per day and shop).';
COMMENT ON FUNCTION mart.mv_top_products_rows(bigint[], date, date, date) IS 'The rows of mart.mv_top_products for the given merchants (NULL: all), windows ending as_of (default CURRENT_DATE): what its full refresh inserts.';

REVOKE ALL ON mart.mv_top_products FROM PUBLIC;
-- Readers read the table itself under row level security (their scope), through mart.top_products.
SELECT ops.enable_reader_scope('mart.mv_top_products');
REVOKE EXECUTE ON FUNCTION mart.mv_top_products_rows(bigint[], date, date, date) FROM PUBLIC;

SELECT ops.register_aggregate('mart.mv_top_products', 'mart.mv_top_products_rows(bigint[], date, date, date)', 'window_end', 'merchant',
    '$default_refresh_interval$', '$default_stale_after$', 'Top products over the last 7, 30 and 90 days, from mart.mv_product_sales_daily.');
-- Refreshed by deltas of its base (ops.refresh_aggregate calls this instead of recomputing merchants).
UPDATE ops.mv_registry SET delta_function = 'ops.refresh_top_products(text, boolean, pg_catalog.pg_snapshot)'
WHERE view_name = 'mart.mv_top_products';

-- security_invoker, not security_barrier: the table's policy scopes readers inside the plan, so
-- the view is flattened into the query (filters pushed, ORDER BY ... LIMIT walks an index). The
-- filter scopes callers that row level security does not (the owner, an app login that owns).
CREATE OR REPLACE VIEW mart.top_products WITH (security_invoker) AS
    SELECT * FROM mart.mv_top_products WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.top_products IS 'Reader view of mart.mv_top_products (security_invoker): the transaction''s merchant only, by its filter and, for readers, by the table''s row level security (ops.current_merchant_id()).';
GRANT SELECT ON mart.top_products TO erp_reader;
