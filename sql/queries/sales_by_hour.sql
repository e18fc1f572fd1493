-- sales_by_hour: sales per hour of the day (0-23, in the merchant's time zone) summed over the
-- days [:start, :end]; hours without orders are left out.
-- With gross and net profit and their margins, as in sales_by_shop.sql.
-- reads: mart.hourly_sales (valid orders only, see docs/metrics.md)
-- parameters: :start, :end (dates), :platforms (text[], '{}' = all)
-- run: see docs/queries.md
SELECT lpad(sales_hour::text, 2, '0') AS key, lpad(sales_hour::text, 2, '0') || ':00' AS label,
       sum(gmv_cny) AS revenue, sum(order_count)::bigint AS orders,
       coalesce(round(sum(gmv_cny) / nullif(sum(order_count), 0), 2), 0) AS aov,
       sum(gross_profit_cny) AS grossprofit, sum(net_profit_cny) AS netprofit,
       round(sum(gross_profit_cny) / nullif(sum(gmv_cny), 0), 6) AS grossmargin,
       round(sum(net_profit_cny) / nullif(sum(gmv_cny), 0), 6) AS netmargin
  FROM mart.hourly_sales
 WHERE sales_date BETWEEN :start::date AND :end::date
   AND (cardinality(:platforms::text[]) = 0 OR platform_code = ANY(:platforms::text[]))
 GROUP BY sales_hour
 ORDER BY sales_hour;
