-- trends: revenue, orders, AOV and net profit per :unit ('day', 'week' or 'month') over [:start, :end],
-- one row per bucket the period touches (under its first day; a bucket the period cuts counts only the
-- period's days), with the change of revenue, orders and AOV against the bucket just before (rates:
-- mart.rate). A bucket without orders has revenue, orders and net profit 0 and no AOV (NULL: there is no
-- average of nothing, as in every command); the change from it is NULL (nothing to divide by), the
-- change of revenue and orders into it from a bucket with sales is -1, of AOV NULL. hasorders: the bucket has a row in the daily
-- sales (orders, if only cancelled ones), so the direction and forecast can start at the first of them.
-- Exact at the edges of the period (summed from days). The library keeps the change of revenue and orders only
-- between two complete buckets (TrendSql.Row.Point): one cut by the period's edges or reaching today has fewer days.
-- reads: mart.daily_sales; the buckets from mart.period_buckets
-- parameters: :start, :end (dates), :unit ('day', 'week' or 'month')
-- run: see docs/queries.md
WITH sales AS (
    SELECT date_trunc(:unit::text, sales_date::timestamp)::date AS bucket,
           sum(gmv_cny) AS revenue, sum(order_count)::bigint AS orders,
           mart.aov(sum(gmv_cny), sum(order_count)) AS aov,
           sum(net_profit_cny) AS netprofit
      FROM mart.daily_sales
     WHERE sales_date BETWEEN :start::date AND :end::date
     GROUP BY 1
),
buckets AS (
    SELECT b.bucket, coalesce(s.revenue, 0) AS revenue, coalesce(s.orders, 0) AS orders,
           s.aov, coalesce(s.netprofit, 0) AS netprofit, s.bucket IS NOT NULL AS hasorders
      FROM mart.period_buckets(:unit::text, :start::date, :end::date) AS b
      LEFT JOIN sales AS s ON s.bucket = b.bucket
)
SELECT bucket, revenue, orders, aov, netprofit, hasorders,
       mart.rate(revenue - lag(revenue) OVER w, lag(revenue) OVER w) AS revenuechange,
       mart.rate(orders - lag(orders) OVER w, lag(orders) OVER w) AS orderschange,
       mart.rate(aov - lag(aov) OVER w, lag(aov) OVER w) AS aovchange
  FROM buckets
WINDOW w AS (ORDER BY bucket)
 ORDER BY bucket;
