-- sales_by_period: sales per ISO week (:unit 'week', Monday start) or calendar month (:unit 'month'):
-- one row per week or month the period touches, under its first day (a first or last bucket the period
-- cuts counts only the period's days); a bucket without orders has revenue, orders and profit 0 and
-- no AOV or margins (NULL). The rows add up to sales_totals.sql.
-- With gross and net profit and their margins, as in sales_by_shop.sql.
-- reads: mart.daily_sales; the buckets from mart.period_buckets
-- parameters: :start, :end (dates), :platforms (text[], '{}' = all), :unit ('week' or 'month')
-- run: see docs/queries.md
WITH sales AS (
    SELECT date_trunc(:unit::text, sales_date::timestamp)::date AS bucket,
           sum(gmv_cny) AS revenue, sum(order_count)::bigint AS orders,
           sum(gross_profit_cny) AS grossprofit, sum(net_profit_cny) AS netprofit
      FROM mart.daily_sales
     WHERE sales_date BETWEEN :start::date AND :end::date
       AND (cardinality(:platforms::text[]) = 0 OR platform_code = ANY(:platforms::text[]))
     GROUP BY 1
)
SELECT NULL::text AS key, b.bucket, b.label,
       coalesce(s.revenue, 0) AS revenue, coalesce(s.orders, 0) AS orders,
       mart.aov(s.revenue, s.orders) AS aov,
       coalesce(s.grossprofit, 0) AS grossprofit, coalesce(s.netprofit, 0) AS netprofit,
       mart.rate(s.grossprofit, s.revenue) AS grossmargin,
       mart.rate(s.netprofit, s.revenue) AS netmargin
  FROM mart.period_buckets(:unit::text, :start::date, :end::date) AS b
  LEFT JOIN sales AS s ON s.bucket = b.bucket
 ORDER BY b.bucket;
