-- mart.mv_top_products: revenue, orders and units per merchant and product over the standard
-- dashboard windows (the last 7, 30 and 90 days up to the refresh day), ranked.
-- requires: mart.mv_product_sales_daily
-- Why: "top products of the last 30 days" is the dashboard's most asked question, and answering it
-- from mart.mv_product_sales_daily means summing tens of thousands of product-shop-day rows per
-- request. Here it is a short index scan. The sales query uses this view when the period is one of
-- these windows ending on window_end and no platform filter applies; otherwise it sums the daily rows.
-- window_end is CURRENT_DATE at refresh, so the view moves with the interval refresh; a request
-- for a window ending on another day simply does not match and falls back.

DROP MATERIALIZED VIEW IF EXISTS mart.mv_top_products CASCADE;

CREATE MATERIALIZED VIEW mart.mv_top_products AS
SELECT d.merchant_id,
       w.window_days,
       CURRENT_DATE AS window_end,
       d.product_id,
       max(d.sku) AS sku,
       max(d.product_name) AS product_name,
       round(sum(d.revenue_cny), 2) AS revenue_cny,
       sum(d.order_count)::bigint AS order_count,
       sum(d.units_sold)::bigint AS units_sold
FROM mart.mv_product_sales_daily AS d
CROSS JOIN (VALUES (7), (30), (90)) AS w (window_days)
WHERE d.sales_date > CURRENT_DATE - w.window_days
  AND d.sales_date <= CURRENT_DATE
GROUP BY d.merchant_id, w.window_days, d.product_id
WITH DATA;

CREATE UNIQUE INDEX mv_top_products_key ON mart.mv_top_products (merchant_id, window_days, product_id);
CREATE INDEX mv_top_products_rank_idx ON mart.mv_top_products (merchant_id, window_days, revenue_cny DESC, product_id);

COMMENT ON MATERIALIZED VIEW mart.mv_top_products IS 'Per merchant and product: revenue, orders and units over the last 7, 30 and 90 days up to window_end, from mart.mv_product_sales_daily. Readers use mart.top_products.';
COMMENT ON COLUMN mart.mv_top_products.window_days IS 'Length of the window in days: 7, 30 or 90, ending on window_end inclusive.';
COMMENT ON COLUMN mart.mv_top_products.window_end IS 'The refresh day (CURRENT_DATE): the last day of every window.';
COMMENT ON COLUMN mart.mv_top_products.order_count IS 'Sum of the daily per-shop order counts of the product (an order with the product in two lines counts once per day and shop).';

REVOKE ALL ON mart.mv_top_products FROM PUBLIC;

SELECT ops.register_view('mart.mv_top_products', '$default_refresh_interval$', '$default_stale_after$', true,
    'Top products over the last 7, 30 and 90 days, from mart.mv_product_sales_daily.');

CREATE OR REPLACE VIEW mart.top_products WITH (security_barrier) AS
    SELECT * FROM mart.mv_top_products WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.top_products IS 'Reader view of mart.mv_top_products: the transaction''s merchant only.';
GRANT SELECT ON mart.top_products TO erp_reader;
