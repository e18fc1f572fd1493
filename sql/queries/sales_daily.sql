-- sales_daily: one row per day of [:start, :end], every day of the period: a day without orders has
-- revenue, orders and profit 0 and no AOV or margins (NULL: nothing to divide by), so a chart or an
-- average over the rows sees the quiet days. The rows add up to sales_totals.sql.
-- With gross and net profit and their margins, as in sales_by_shop.sql.
-- reads: mart.daily_sales; the days from mart.period_buckets (labelled with the weekday here)
-- parameters: :start, :end (dates), :platforms (text[], '{}' = all)
-- run: see docs/queries.md
WITH sales AS (
    SELECT sales_date, sum(gmv_cny) AS revenue, sum(order_count)::bigint AS orders,
           sum(gross_profit_cny) AS grossprofit, sum(net_profit_cny) AS netprofit
      FROM mart.daily_sales
     WHERE sales_date BETWEEN :start::date AND :end::date
       AND (cardinality(:platforms::text[]) = 0 OR platform_code = ANY(:platforms::text[]))
     GROUP BY sales_date
)
SELECT NULL::text AS key, d.bucket, to_char(d.bucket, 'YYYY-MM-DD Dy') AS label,
       coalesce(s.revenue, 0) AS revenue, coalesce(s.orders, 0) AS orders,
       mart.aov(s.revenue, s.orders) AS aov,
       coalesce(s.grossprofit, 0) AS grossprofit, coalesce(s.netprofit, 0) AS netprofit,
       mart.rate(s.grossprofit, s.revenue) AS grossmargin,
       mart.rate(s.netprofit, s.revenue) AS netmargin
  FROM mart.period_buckets('day', :start::date, :end::date) AS d
  LEFT JOIN sales AS s ON s.sales_date = d.bucket
 ORDER BY d.bucket;
