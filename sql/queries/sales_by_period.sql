-- sales_by_period: sales per ISO week (:unit 'week', Monday start) or calendar month (:unit 'month').
-- With gross and net profit and their margins, as in sales_by_shop.sql.
-- reads: mart.daily_sales
-- parameters: :start, :end (dates), :platforms (text[], '{}' = all), :unit ('week' or 'month')
-- run: see docs/queries.md
SELECT to_char(date_trunc(:unit::text, sales_date), 'YYYY-MM-DD') AS key,
       to_char(date_trunc(:unit::text, sales_date), CASE :unit::text WHEN 'week' THEN 'IYYY-"W"IW' ELSE 'YYYY-MM' END) AS label,
       sum(gmv_cny) AS revenue, sum(order_count)::bigint AS orders,
       coalesce(round(sum(gmv_cny) / nullif(sum(order_count), 0), 2), 0) AS aov,
       sum(gross_profit_cny) AS grossprofit, sum(net_profit_cny) AS netprofit,
       round(sum(gross_profit_cny) / nullif(sum(gmv_cny), 0), 6) AS grossmargin,
       round(sum(net_profit_cny) / nullif(sum(gmv_cny), 0), 6) AS netmargin
  FROM mart.daily_sales
 WHERE sales_date BETWEEN :start::date AND :end::date
   AND (cardinality(:platforms::text[]) = 0 OR platform_code = ANY(:platforms::text[]))
 GROUP BY 1, 2
 ORDER BY 1;
