-- mart.mv_monthly_sales: sales per merchant, shop and calendar month, summed from days.
-- requires: mart.mv_daily_sales
-- Derived from mart.mv_daily_sales only, never from the facts, so days and months always agree.
-- Distinct customers are not additive over days and are therefore not here (see
-- mart.mv_customer_segments).
-- An incremental aggregate (docs/refresh.md): the refresh of mart.mv_daily_sales logs the days it
-- rewrote; this one widens them to whole months and recomputes only those.

SELECT ops.drop_mart_relation('mart.mv_monthly_sales');

CREATE TABLE mart.mv_monthly_sales (
    merchant_id            bigint  NOT NULL,
    shop_id                bigint  NOT NULL,
    shop_name              text,
    platform_id            smallint,
    platform_code          text,
    month_start            date    NOT NULL,
    active_days            bigint  NOT NULL,
    order_count            bigint  NOT NULL,
    cancelled_order_count  bigint  NOT NULL,
    item_count             bigint  NOT NULL,
    gmv_cny                numeric NOT NULL,
    fees_cny               numeric NOT NULL,
    cost_cny               numeric NOT NULL,
    gross_profit_cny       numeric NOT NULL,
    net_profit_cny         numeric NOT NULL,
    aov_cny                numeric
);

-- The aggregate's rows for some merchants (NULL: all) and the months within first_day..last_day
-- (the refresh passes whole months).
CREATE FUNCTION mart.mv_monthly_sales_rows(merchants bigint[], first_day date, last_day date)
RETURNS SETOF mart.mv_monthly_sales
LANGUAGE sql
STABLE
BEGIN ATOMIC
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
WHERE (merchants IS NULL OR d.merchant_id = ANY (merchants))
  AND d.sales_date BETWEEN first_day AND last_day
GROUP BY d.merchant_id, d.shop_id, d.shop_name, d.platform_id, d.platform_code, date_trunc('month', d.sales_date);
END;

INSERT INTO mart.mv_monthly_sales SELECT * FROM mart.mv_monthly_sales_rows(NULL, '-infinity', 'infinity');

CREATE UNIQUE INDEX mv_monthly_sales_key ON mart.mv_monthly_sales (merchant_id, shop_id, month_start);
CREATE INDEX mv_monthly_sales_merchant_month_idx ON mart.mv_monthly_sales (merchant_id, month_start);
CREATE INDEX mv_monthly_sales_platform_month_idx ON mart.mv_monthly_sales (merchant_id, platform_code, month_start);
ANALYZE mart.mv_monthly_sales;

COMMENT ON TABLE mart.mv_monthly_sales IS 'Sales per merchant, shop and calendar month, summed from mart.mv_daily_sales: an incremental aggregate that only the refresh functions write. Readers use mart.monthly_sales.';
COMMENT ON COLUMN mart.mv_monthly_sales.month_start IS 'First day of the calendar month.';
COMMENT ON COLUMN mart.mv_monthly_sales.active_days IS 'Days of the month with at least one valid order.';
COMMENT ON FUNCTION mart.mv_monthly_sales_rows(bigint[], date, date) IS 'The rows of mart.mv_monthly_sales for the given merchants (NULL: all) and the months within the given days: what its refresh inserts.';

REVOKE ALL ON mart.mv_monthly_sales FROM PUBLIC;
-- Readers read the table itself under row level security (their scope), through mart.monthly_sales.
SELECT ops.enable_reader_scope('mart.mv_monthly_sales');
REVOKE EXECUTE ON FUNCTION mart.mv_monthly_sales_rows(bigint[], date, date) FROM PUBLIC;

SELECT ops.register_aggregate('mart.mv_monthly_sales', 'mart.mv_monthly_sales_rows(bigint[], date, date)', 'month_start', 'month',
    '$default_refresh_interval$', '$default_stale_after$', 'Sales per merchant, shop and calendar month, from mart.mv_daily_sales.');

-- security_invoker, not security_barrier: the table's policy scopes readers inside the plan, so
-- the view is flattened into the query (filters pushed, ORDER BY ... LIMIT walks an index). The
-- filter scopes callers that row level security does not (the owner, an app login that owns).
CREATE OR REPLACE VIEW mart.monthly_sales WITH (security_invoker) AS
    SELECT * FROM mart.mv_monthly_sales WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.monthly_sales IS 'Reader view of mart.mv_monthly_sales (security_invoker): the transaction''s merchant only, by its filter and, for readers, by the table''s row level security (ops.current_merchant_id()).';
GRANT SELECT ON mart.monthly_sales TO erp_reader;
