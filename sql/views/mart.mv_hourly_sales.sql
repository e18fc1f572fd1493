-- mart.mv_hourly_sales: valid sales per merchant, shop, day and hour of the day (0-23) in the
-- merchant's time zone: what `erpdb sales --group-by hour` reads.
-- requires: dw.fact_sales_orders, dw.dim_merchants, dw.dim_shops, dw.dim_platforms, dw.is_valid_sale
-- The hour is that of ordered_at in dw.dim_merchants.timezone, the zone in which order_date (the
-- business day) is cut, so the hours of a day add up to that day of mart.mv_daily_sales.
-- Amounts are plain numeric rounded to 2 places, never cast to a bounded type (docs/metrics.md).
-- An incremental aggregate (docs/refresh.md): a table that only the refresh functions write; a due
-- refresh recomputes only the (merchant, day) buckets that writes invalidated (a merchant's new
-- time zone: every day of that merchant).

SELECT ops.drop_mart_relation('mart.mv_hourly_sales');

CREATE TABLE mart.mv_hourly_sales (
    merchant_id       bigint  NOT NULL,
    shop_id           bigint  NOT NULL,
    platform_code     text,
    sales_date        date    NOT NULL,
    sales_hour        integer NOT NULL,
    order_count       bigint  NOT NULL,
    gmv_cny           numeric,
    gross_profit_cny  numeric,
    net_profit_cny    numeric
);

-- The aggregate's rows for some merchants (NULL: all) and the days first_day..last_day.
CREATE FUNCTION mart.mv_hourly_sales_rows(merchants bigint[], first_day date, last_day date)
RETURNS SETOF mart.mv_hourly_sales
LANGUAGE sql
STABLE
BEGIN ATOMIC
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
  AND (merchants IS NULL OR o.merchant_id = ANY (merchants))
  AND o.order_date BETWEEN first_day AND last_day
GROUP BY o.merchant_id, o.shop_id, p.platform_code, o.order_date, 5;
END;

INSERT INTO mart.mv_hourly_sales SELECT * FROM mart.mv_hourly_sales_rows(NULL, '-infinity', 'infinity');

CREATE UNIQUE INDEX mv_hourly_sales_key ON mart.mv_hourly_sales (merchant_id, shop_id, sales_date, sales_hour);
CREATE INDEX mv_hourly_sales_merchant_date_idx ON mart.mv_hourly_sales (merchant_id, sales_date);
ANALYZE mart.mv_hourly_sales;

COMMENT ON TABLE mart.mv_hourly_sales IS 'Valid sales per merchant, shop, business day and hour of the day in the merchant''s time zone, CNY: an incremental aggregate that only the refresh functions write. Readers use mart.hourly_sales.';
COMMENT ON COLUMN mart.mv_hourly_sales.sales_hour IS 'Hour of the day (0-23) of ordered_at in dw.dim_merchants.timezone.';
COMMENT ON COLUMN mart.mv_hourly_sales.order_count IS 'Valid orders (dw.is_valid_sale) placed in that hour.';
COMMENT ON FUNCTION mart.mv_hourly_sales_rows(bigint[], date, date) IS 'The rows of mart.mv_hourly_sales for the given merchants (NULL: all) and days: what its refresh inserts.';

REVOKE ALL ON mart.mv_hourly_sales FROM PUBLIC;
-- Readers read the table itself under row level security (their scope), through mart.hourly_sales.
SELECT ops.enable_reader_scope('mart.mv_hourly_sales');
REVOKE EXECUTE ON FUNCTION mart.mv_hourly_sales_rows(bigint[], date, date) FROM PUBLIC;

SELECT ops.register_aggregate('mart.mv_hourly_sales', 'mart.mv_hourly_sales_rows(bigint[], date, date)', 'sales_date', 'day',
    '$default_refresh_interval$', '$default_stale_after$', 'Sales per merchant, shop, day and hour of the day.');

-- security_invoker, not security_barrier: the table's policy scopes readers inside the plan, so
-- the view is flattened into the query (filters pushed, ORDER BY ... LIMIT walks an index). The
-- filter scopes callers that row level security does not (the owner, an app login that owns).
CREATE OR REPLACE VIEW mart.hourly_sales WITH (security_invoker) AS
    SELECT * FROM mart.mv_hourly_sales WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.hourly_sales IS 'Reader view of mart.mv_hourly_sales (security_invoker): the transaction''s merchant only, by its filter and, for readers, by the table''s row level security (ops.current_merchant_id()).';
GRANT SELECT ON mart.hourly_sales TO erp_reader;
