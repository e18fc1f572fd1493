-- sales_top_products: the :top best sellers by revenue over [:start, :end] (:days days).
-- reads: mart.top_products, mart.product_sales_daily
-- parameters: :start, :end (dates), :days (integer), :top (integer), :platforms (text[], '{}' = all)
-- run: see docs/queries.md
-- From mart.top_products when the period is one of its precomputed windows and no platform filter
-- applies, else summed from the daily rows. The NOT EXISTS of the fallback is uncorrelated, so
-- PostgreSQL evaluates it once and skips the sum.
WITH precomputed AS (
    SELECT product_id AS productid, sku, product_name AS name, revenue_cny AS revenue, order_count AS orders, units_sold AS units
      FROM mart.top_products
     WHERE window_days = :days AND window_end = :end::date AND cardinality(:platforms::text[]) = 0
     ORDER BY revenue_cny DESC, product_id
     LIMIT :top
)
SELECT * FROM precomputed
UNION ALL
(SELECT product_id AS productid, max(sku) AS sku, max(product_name) AS name,
        sum(revenue_cny) AS revenue, sum(order_count)::bigint AS orders, sum(units_sold)::bigint AS units
   FROM mart.product_sales_daily
  WHERE sales_date BETWEEN :start::date AND :end::date
    AND (cardinality(:platforms::text[]) = 0 OR platform_code = ANY(:platforms::text[]))
    AND NOT EXISTS (SELECT 1 FROM precomputed)
  GROUP BY product_id
  ORDER BY revenue DESC, product_id
  LIMIT :top)
ORDER BY revenue DESC, productid;
