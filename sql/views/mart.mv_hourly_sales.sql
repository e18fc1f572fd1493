-- mart.mv_hourly_sales: valid sales per merchant, shop, day and hour of the day (0-23) in the
-- merchant's time zone: what `erpdb sales --group-by hour` reads.
-- requires: dw.fact_sales_orders, dw.dim_merchants, dw.dim_shops, dw.dim_platforms, dw.is_valid_sale
-- The hour is that of ordered_at in dw.dim_merchants.timezone, the zone in which order_date (the
-- business day) is cut, so the hours of a day add up to that day of mart.mv_daily_sales.
-- Amounts are plain numeric rounded to 2 places, never cast to a bounded type (docs/metrics.md).

DROP MATERIALIZED VIEW IF EXISTS mart.mv_hourly_sales CASCADE;

CREATE MATERIALIZED VIEW mart.mv_hourly_sales AS
SELECT o.merchant_id,
       o.shop_id,
       p.platform_code,
       o.order_date AS sales_date,
       extract(hour FROM o.ordered_at AT TIME ZONE m.timezone)::integer AS sales_hour,
       count(*) AS order_count,
       round(sum(o.gmv_cny), 2) AS gmv_cny,
       round(sum(o.gross_profit_cny), 2) AS gross_profit_cny,
       round(sum(o.net_profit_cny), 2) AS net_profit_cny
FROM dw.fact_sales_orders AS o
JOIN dw.dim_merchants AS m ON m.merchant_id = o.merchant_id
JOIN dw.dim_shops AS s ON s.merchant_id = o.merchant_id AND s.shop_id = o.shop_id
JOIN dw.dim_platforms AS p ON p.platform_id = s.platform_id
WHERE dw.is_valid_sale(o.status)
GROUP BY o.merchant_id, o.shop_id, p.platform_code, o.order_date, 5
WITH DATA;

CREATE UNIQUE INDEX mv_hourly_sales_key ON mart.mv_hourly_sales (merchant_id, shop_id, sales_date, sales_hour);
CREATE INDEX mv_hourly_sales_merchant_date_idx ON mart.mv_hourly_sales (merchant_id, sales_date);

COMMENT ON MATERIALIZED VIEW mart.mv_hourly_sales IS 'Valid sales per merchant, shop, business day and hour of the day in the merchant''s time zone, CNY. Readers use mart.hourly_sales.';
COMMENT ON COLUMN mart.mv_hourly_sales.sales_hour IS 'Hour of the day (0-23) of ordered_at in dw.dim_merchants.timezone.';
COMMENT ON COLUMN mart.mv_hourly_sales.order_count IS 'Valid orders (dw.is_valid_sale) placed in that hour.';

REVOKE ALL ON mart.mv_hourly_sales FROM PUBLIC;

SELECT ops.register_view('mart.mv_hourly_sales', '$default_refresh_interval$', '$default_stale_after$', true,
    'Sales per merchant, shop, day and hour of the day.');

CREATE OR REPLACE VIEW mart.hourly_sales WITH (security_barrier) AS
    SELECT * FROM mart.mv_hourly_sales WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.hourly_sales IS 'Reader view of mart.mv_hourly_sales: the rows of the transaction''s merchant only (ops.current_merchant_id(); RLS does not apply to materialized views).';
GRANT SELECT ON mart.hourly_sales TO erp_reader;
