-- sales_by_platform: sales per platform (shopee, tiktok, ...) over [:start, :end], best first.
-- With gross and net profit and their margins, as in sales_by_shop.sql.
-- reads: mart.daily_sales
-- parameters: :start, :end (dates), :platforms (text[], '{}' = all)
-- run: see docs/queries.md
SELECT platform_code AS key, platform_code AS label,
       sum(gmv_cny) AS revenue, sum(order_count)::bigint AS orders,
       mart.aov(sum(gmv_cny), sum(order_count)) AS aov,
       sum(gross_profit_cny) AS grossprofit, sum(net_profit_cny) AS netprofit,
       mart.rate(sum(gross_profit_cny), sum(gmv_cny)) AS grossmargin,
       mart.rate(sum(net_profit_cny), sum(gmv_cny)) AS netmargin
  FROM mart.daily_sales
 WHERE sales_date BETWEEN :start::date AND :end::date
   AND (cardinality(:platforms::text[]) = 0 OR platform_code = ANY(:platforms::text[]))
 GROUP BY platform_code
-- Only groups with sales: the view also holds a shop's days of cancelled, refunded or returned orders only.
HAVING sum(order_count) > 0
 ORDER BY revenue DESC, key;
