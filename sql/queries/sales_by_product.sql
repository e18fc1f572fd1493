-- sales_by_product: sales per product over [:start, :end], best first: the :top best products,
-- then one row 'others' for the rest, so the rows still add up to the period's item revenue
-- (its orders and AOV NULL: see below). Gross profit and margin are the order lines' (line amount
-- minus cost of goods, as erpdb profit --group-by product); net profit and margin NULL: fees belong
-- to orders, not lines.
-- reads: mart.product_sales_daily
-- parameters: :start, :end (dates), :top (integer), :platforms (text[], '{}' = all)
-- run: see docs/queries.md
WITH per_product AS (
    SELECT product_id::text AS key, max(sku) || ' ' || max(product_name) AS label,
           sum(revenue_cny) AS revenue, sum(order_count)::bigint AS orders, sum(gross_profit_cny) AS grossprofit
      FROM mart.product_sales_daily
     WHERE sales_date BETWEEN :start::date AND :end::date
       AND (cardinality(:platforms::text[]) = 0 OR platform_code = ANY(:platforms::text[]))
     GROUP BY product_id
),
ranked AS (
    SELECT *, row_number() OVER (ORDER BY revenue DESC, key) AS position FROM per_product
)
SELECT key, label, revenue, orders, aov, round(grossprofit, 2) AS grossprofit, NULL::numeric AS netprofit,
       mart.rate(grossprofit, revenue) AS grossmargin, NULL::numeric AS netmargin
  FROM (SELECT key, label, revenue, orders, mart.aov(revenue, orders) AS aov, grossprofit, position
          FROM ranked
         WHERE position <= :top::integer
        UNION ALL
        -- No orders (nor AOV) for the rest: summing the products' orders would count an order
        -- holding two of them twice (more "orders" than the period had), and the per-product
        -- view cannot say how many distinct orders they make.
        SELECT 'others', count(*) || ' other products', sum(revenue), NULL::bigint, NULL::numeric, sum(grossprofit), NULL
          FROM ranked
         WHERE position > :top::integer
        HAVING count(*) > 0) AS rows
 ORDER BY position NULLS LAST;
