-- mart.mv_weekly_sales: sales per merchant, shop and ISO week (Monday start), summed from days.
-- requires: mart.mv_daily_sales
-- Derived from mart.mv_daily_sales only, never from the facts, so days and weeks always agree.
-- Distinct customers are not additive over days and are therefore not here (see
-- mart.mv_customer_segments).

DROP MATERIALIZED VIEW IF EXISTS mart.mv_weekly_sales CASCADE;

CREATE MATERIALIZED VIEW mart.mv_weekly_sales AS
SELECT d.merchant_id,
       d.shop_id,
       d.shop_name,
       d.platform_id,
       d.platform_code,
       date_trunc('week', d.sales_date)::date AS week_start,
       count(*) FILTER (WHERE d.order_count > 0) AS active_days,
       sum(d.order_count)::bigint AS order_count,
       sum(d.cancelled_order_count)::bigint AS cancelled_order_count,
       sum(d.item_count)::bigint AS item_count,
       round(sum(d.gmv_cny), 2) AS gmv_cny,
       round(sum(d.fees_cny), 2) AS fees_cny,
       round(sum(d.cost_cny), 2) AS cost_cny,
       round(sum(d.gross_profit_cny), 2) AS gross_profit_cny,
       round(sum(d.net_profit_cny), 2) AS net_profit_cny,
       round(sum(d.gmv_cny) / nullif(sum(d.order_count), 0), 2) AS aov_cny
FROM mart.mv_daily_sales AS d
GROUP BY d.merchant_id, d.shop_id, d.shop_name, d.platform_id, d.platform_code, date_trunc('week', d.sales_date)
WITH DATA;

CREATE UNIQUE INDEX mv_weekly_sales_key ON mart.mv_weekly_sales (merchant_id, shop_id, week_start);
CREATE INDEX mv_weekly_sales_merchant_week_idx ON mart.mv_weekly_sales (merchant_id, week_start);
CREATE INDEX mv_weekly_sales_platform_week_idx ON mart.mv_weekly_sales (merchant_id, platform_code, week_start);

COMMENT ON MATERIALIZED VIEW mart.mv_weekly_sales IS 'Sales per merchant, shop and ISO week, summed from mart.mv_daily_sales. Readers use mart.weekly_sales.';
COMMENT ON COLUMN mart.mv_weekly_sales.week_start IS 'Monday of the ISO week.';
COMMENT ON COLUMN mart.mv_weekly_sales.active_days IS 'Days of the week with at least one valid order.';

REVOKE ALL ON mart.mv_weekly_sales FROM PUBLIC;

SELECT ops.register_view('mart.mv_weekly_sales', '$default_refresh_interval$', '$default_stale_after$', true,
    'Sales per merchant, shop and ISO week, from mart.mv_daily_sales.');

CREATE OR REPLACE VIEW mart.weekly_sales WITH (security_barrier) AS
    SELECT * FROM mart.mv_weekly_sales WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.weekly_sales IS 'Reader view of mart.mv_weekly_sales: the transaction''s merchant only.';
GRANT SELECT ON mart.weekly_sales TO erp_reader;
