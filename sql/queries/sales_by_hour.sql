-- sales_by_hour: sales per hour of the day (0-23, in the merchant's time zone) summed over the
-- days [:start, :end]: always 24 rows, an hour without orders at 0 with no AOV or margins (NULL).
-- With gross and net profit and their margins, as in sales_by_shop.sql.
-- reads: mart.hourly_sales (valid orders only, see docs/metrics.md)
-- parameters: :start, :end (dates), :platforms (text[], '{}' = all)
-- run: see docs/queries.md
WITH sales AS (
    SELECT sales_hour, sum(gmv_cny) AS revenue, sum(order_count)::bigint AS orders,
           sum(gross_profit_cny) AS grossprofit, sum(net_profit_cny) AS netprofit
      FROM mart.hourly_sales
     WHERE sales_date BETWEEN :start::date AND :end::date
       AND (cardinality(:platforms::text[]) = 0 OR platform_code = ANY(:platforms::text[]))
     GROUP BY sales_hour
)
SELECT lpad(h.hour::text, 2, '0') AS key, lpad(h.hour::text, 2, '0') || ':00' AS label,
       coalesce(s.revenue, 0) AS revenue, coalesce(s.orders, 0) AS orders,
       mart.aov(s.revenue, s.orders) AS aov,
       coalesce(s.grossprofit, 0) AS grossprofit, coalesce(s.netprofit, 0) AS netprofit,
       mart.rate(s.grossprofit, s.revenue) AS grossmargin,
       mart.rate(s.netprofit, s.revenue) AS netmargin
  FROM generate_series(0, 23) AS h(hour)
  LEFT JOIN sales AS s ON s.sales_hour = h.hour
 ORDER BY h.hour;
