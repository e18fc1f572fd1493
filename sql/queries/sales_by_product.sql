-- sales_by_product: sales per product over [:start, :end], best first (at most 500 rows).
-- reads: mart.product_sales_daily
-- parameters: :start, :end (dates), :platforms (text[], '{}' = all)
-- run: see docs/queries.md
SELECT product_id::text AS key, max(sku) || ' ' || max(product_name) AS label,
       sum(revenue_cny) AS revenue, sum(order_count)::bigint AS orders,
       coalesce(round(sum(revenue_cny) / nullif(sum(order_count), 0), 2), 0) AS aov
  FROM mart.product_sales_daily
 WHERE sales_date BETWEEN :start::date AND :end::date
   AND (cardinality(:platforms::text[]) = 0 OR platform_code = ANY(:platforms::text[]))
 GROUP BY product_id
 ORDER BY revenue DESC, key
 LIMIT 500;
