-- mart.mv_daily_sales: sales per merchant, shop (hence platform) and day: orders, units, GMV,
-- fees, cost, gross and net profit, customers and average order value, all in CNY.
-- requires: dw.fact_sales_orders, dw.dim_shops, dw.dim_platforms, dw.is_valid_sale
-- The base of mart.mv_weekly_sales and mart.mv_monthly_sales (weeks and months are derived from
-- days, never stored twice). Orders that are not sales (dw.is_valid_sale: cancelled, refunded,
-- returned) count only in cancelled_order_count; every amount is over the valid orders.
-- Amounts are plain numeric rounded to 2 places, never cast to a bounded type (docs/metrics.md).
-- An incremental aggregate (docs/refresh.md): a table that only the refresh functions write,
-- filled by mart.mv_daily_sales_rows; a due refresh recomputes only the (merchant, day) buckets
-- that writes to the facts and dimensions invalidated (ops.agg_invalidations).

SELECT ops.drop_mart_relation('mart.mv_daily_sales');

CREATE TABLE mart.mv_daily_sales (
    merchant_id            bigint  NOT NULL,
    shop_id                bigint  NOT NULL,
    shop_name              text,
    platform_id            smallint,
    platform_code          text,
    sales_date             date    NOT NULL,
    order_count            bigint  NOT NULL,
    cancelled_order_count  bigint  NOT NULL,
    item_count             bigint  NOT NULL,
    gmv_cny                numeric NOT NULL,
    fees_cny               numeric NOT NULL,
    cost_cny               numeric NOT NULL,
    gross_profit_cny       numeric NOT NULL,
    net_profit_cny         numeric NOT NULL,
    customer_count         bigint  NOT NULL,
    aov_cny                numeric
);

-- The aggregate's rows for some merchants (NULL: all) and the days first_day..last_day.
CREATE FUNCTION mart.mv_daily_sales_rows(merchants bigint[], first_day date, last_day date)
RETURNS SETOF mart.mv_daily_sales
LANGUAGE sql
STABLE
BEGIN ATOMIC
SELECT o.merchant_id,
       o.shop_id,
       s.shop_name,
       s.platform_id,
       p.platform_code,
       o.order_date AS sales_date,
       count(*) FILTER (WHERE v.is_valid) AS order_count,
       count(*) FILTER (WHERE NOT v.is_valid) AS cancelled_order_count,
       coalesce(sum(o.item_count) FILTER (WHERE v.is_valid), 0)::bigint AS item_count,
       round(coalesce(sum(o.gmv_cny) FILTER (WHERE v.is_valid), 0), 2) AS gmv_cny,
       round(coalesce(sum(o.fees_cny) FILTER (WHERE v.is_valid), 0), 2) AS fees_cny,
       round(coalesce(sum(o.cost_amount_cny) FILTER (WHERE v.is_valid), 0), 2) AS cost_cny,
       round(coalesce(sum(o.gross_profit_cny) FILTER (WHERE v.is_valid), 0), 2) AS gross_profit_cny,
       round(coalesce(sum(o.net_profit_cny) FILTER (WHERE v.is_valid), 0), 2) AS net_profit_cny,
       count(DISTINCT o.customer_id) FILTER (WHERE v.is_valid) AS customer_count,
       round(coalesce(sum(o.gmv_cny) FILTER (WHERE v.is_valid), 0)
             / nullif(count(*) FILTER (WHERE v.is_valid), 0), 2) AS aov_cny
FROM dw.fact_sales_orders AS o
CROSS JOIN LATERAL (SELECT dw.is_valid_sale(o.status) AS is_valid) AS v
JOIN dw.dim_shops AS s ON s.merchant_id = o.merchant_id AND s.shop_id = o.shop_id
JOIN dw.dim_platforms AS p ON p.platform_id = s.platform_id
WHERE (merchants IS NULL OR o.merchant_id = ANY (merchants))
  AND o.order_date BETWEEN first_day AND last_day
GROUP BY o.merchant_id, o.shop_id, s.shop_name, s.platform_id, p.platform_code, o.order_date;
END;

INSERT INTO mart.mv_daily_sales SELECT * FROM mart.mv_daily_sales_rows(NULL, '-infinity', 'infinity');

CREATE UNIQUE INDEX mv_daily_sales_key ON mart.mv_daily_sales (merchant_id, shop_id, sales_date);
CREATE INDEX mv_daily_sales_merchant_date_idx ON mart.mv_daily_sales (merchant_id, sales_date);
CREATE INDEX mv_daily_sales_platform_date_idx ON mart.mv_daily_sales (merchant_id, platform_code, sales_date);
ANALYZE mart.mv_daily_sales;

COMMENT ON TABLE mart.mv_daily_sales IS 'Sales per merchant, shop and day in CNY: an incremental aggregate that only the refresh functions write. Readers use mart.daily_sales. Base of mart.mv_weekly_sales and mart.mv_monthly_sales.';
COMMENT ON COLUMN mart.mv_daily_sales.order_count IS 'Valid orders (dw.is_valid_sale: every status but cancelled, refunded and returned).';
COMMENT ON COLUMN mart.mv_daily_sales.cancelled_order_count IS 'Orders that are not sales (cancelled, refunded, returned; see dw.is_valid_sale), in no amount.';
COMMENT ON COLUMN mart.mv_daily_sales.item_count IS 'Units sold: sum of dw.fact_sales_orders.item_count of the valid orders.';
COMMENT ON COLUMN mart.mv_daily_sales.customer_count IS 'Distinct customers with a valid order that day (not additive over days).';
COMMENT ON COLUMN mart.mv_daily_sales.aov_cny IS 'Average order value: gmv_cny / order_count; NULL without orders.';
COMMENT ON FUNCTION mart.mv_daily_sales_rows(bigint[], date, date) IS 'The rows of mart.mv_daily_sales for the given merchants (NULL: all) and days: what its refresh inserts.';

REVOKE ALL ON mart.mv_daily_sales FROM PUBLIC;
-- Readers read the table itself under row level security (their scope), through mart.daily_sales.
SELECT ops.enable_reader_scope('mart.mv_daily_sales');
REVOKE EXECUTE ON FUNCTION mart.mv_daily_sales_rows(bigint[], date, date) FROM PUBLIC;

SELECT ops.register_aggregate('mart.mv_daily_sales', 'mart.mv_daily_sales_rows(bigint[], date, date)', 'sales_date', 'day',
    '$default_refresh_interval$', '$default_stale_after$', 'Sales per merchant, shop and day.');

-- security_invoker, not security_barrier: the table's policy scopes readers inside the plan, so
-- the view is flattened into the query (filters pushed, ORDER BY ... LIMIT walks an index). The
-- filter scopes callers that row level security does not (the owner, an app login that owns).
CREATE OR REPLACE VIEW mart.daily_sales WITH (security_invoker) AS
    SELECT * FROM mart.mv_daily_sales WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.daily_sales IS 'Reader view of mart.mv_daily_sales (security_invoker): the transaction''s merchant only, by its filter and, for readers, by the table''s row level security (ops.current_merchant_id()).';
GRANT SELECT ON mart.daily_sales TO erp_reader;
