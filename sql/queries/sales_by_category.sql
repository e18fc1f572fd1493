-- sales_by_category: sales per product category over [:start, :end], best first. Gross profit and
-- margin are the order lines' (as erpdb profit --group-by category); net profit and margin NULL: fees
-- belong to orders, not lines.
-- reads: mart.product_sales_daily, dw.dim_categories
-- parameters: :start, :end (dates), :platforms (text[], '{}' = all)
-- run: see docs/queries.md
SELECT coalesce(s.category_id::text, '') AS key, coalesce(max(c.category_name), '(none)') AS label,
       sum(s.revenue_cny) AS revenue,
       -- No orders (nor AOV): the view counts orders per product, and an order holding two
       -- products of the category would count twice.
       NULL::bigint AS orders, NULL::numeric AS aov,
       round(sum(s.gross_profit_cny), 2) AS grossprofit, NULL::numeric AS netprofit,
       mart.rate(sum(s.gross_profit_cny), sum(s.revenue_cny)) AS grossmargin, NULL::numeric AS netmargin
  FROM mart.product_sales_daily AS s
  LEFT JOIN dw.dim_categories AS c ON c.merchant_id = s.merchant_id AND c.category_id = s.category_id
 WHERE s.sales_date BETWEEN :start::date AND :end::date
   AND (cardinality(:platforms::text[]) = 0 OR s.platform_code = ANY(:platforms::text[]))
 GROUP BY s.category_id
 ORDER BY revenue DESC, key;
