-- mart.mv_monthly_sales: sales per merchant, shop and calendar month, summed from days.
-- requires: mart.mv_daily_sales
-- Derived from mart.mv_daily_sales only, never from the facts, so days and months always agree.
-- Distinct customers are not additive over days and are therefore not here (see
-- mart.mv_customer_segments).

DROP MATERIALIZED VIEW IF EXISTS mart.mv_monthly_sales CASCADE;

CREATE MATERIALIZED VIEW mart.mv_monthly_sales AS
SELECT d.merchant_id,
       d.shop_id,
       d.shop_name,
       d.platform_id,
       d.platform_code,
       date_trunc('month', d.sales_date)::date AS month_start,
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
GROUP BY d.merchant_id, d.shop_id, d.shop_name, d.platform_id, d.platform_code, date_trunc('month', d.sales_date)
WITH DATA;

CREATE UNIQUE INDEX mv_monthly_sales_key ON mart.mv_monthly_sales (merchant_id, shop_id, month_start);
CREATE INDEX mv_monthly_sales_merchant_month_idx ON mart.mv_monthly_sales (merchant_id, month_start);
CREATE INDEX mv_monthly_sales_platform_month_idx ON mart.mv_monthly_sales (merchant_id, platform_code, month_start);

COMMENT ON MATERIALIZED VIEW mart.mv_monthly_sales IS 'Sales per merchant, shop and calendar month, summed from mart.mv_daily_sales. Readers use mart.monthly_sales.';
COMMENT ON COLUMN mart.mv_monthly_sales.month_start IS 'First day of the calendar month.';
COMMENT ON COLUMN mart.mv_monthly_sales.active_days IS 'Days of the month with at least one valid order.';

REVOKE ALL ON mart.mv_monthly_sales FROM PUBLIC;

SELECT ops.register_view('mart.mv_monthly_sales', '$default_refresh_interval$', '$default_stale_after$', true,
    'Sales per merchant, shop and calendar month, from mart.mv_daily_sales.');

CREATE OR REPLACE VIEW mart.monthly_sales WITH (security_barrier) AS
    SELECT * FROM mart.mv_monthly_sales WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.monthly_sales IS 'Reader view of mart.mv_monthly_sales: the transaction''s merchant only.';
GRANT SELECT ON mart.monthly_sales TO erp_reader;
