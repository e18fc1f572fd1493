-- sales_daily: one row per day of [:start, :end] that has orders (days with only cancelled orders too, at 0).
-- With gross and net profit and their margins, as in sales_by_shop.sql.
-- reads: mart.daily_sales
-- parameters: :start, :end (dates), :platforms (text[], '{}' = all)
-- run: see docs/queries.md
SELECT to_char(sales_date, 'YYYY-MM-DD') AS key, to_char(sales_date, 'YYYY-MM-DD Dy') AS label,
       sum(gmv_cny) AS revenue, sum(order_count)::bigint AS orders,
       coalesce(round(sum(gmv_cny) / nullif(sum(order_count), 0), 2), 0) AS aov,
       sum(gross_profit_cny) AS grossprofit, sum(net_profit_cny) AS netprofit,
       round(sum(gross_profit_cny) / nullif(sum(gmv_cny), 0), 6) AS grossmargin,
       round(sum(net_profit_cny) / nullif(sum(gmv_cny), 0), 6) AS netmargin
  FROM mart.daily_sales
 WHERE sales_date BETWEEN :start::date AND :end::date
   AND (cardinality(:platforms::text[]) = 0 OR platform_code = ANY(:platforms::text[]))
 GROUP BY sales_date
 ORDER BY sales_date;
