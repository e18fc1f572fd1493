-- profit_by_product: revenue, cost, gross profit and gross margin over [:start, :end] per :by
-- ('product' or 'category'), largest revenue first; a page, then the number of groups. Revenue is
-- the order lines' amount in CNY of valid orders (dw.is_valid_sale), cost their cost of goods.
-- Fees and expenses belong to orders and shops, not to lines: fees, net profit, net margin,
-- expenses, operating profit and expense ROI are null here.
-- reads: mart.product_sales_daily, dw.dim_categories
-- parameters: :start, :end (dates), :by ('product' or 'category'), :limit, :offset (integers)
-- run: see docs/queries.md
WITH grouped AS (
    SELECT CASE :by::text WHEN 'category' THEN coalesce(s.category_id::text, '') ELSE s.product_id::text END AS key,
           CASE :by::text WHEN 'category' THEN coalesce(max(c.category_name), '(none)') ELSE max(s.sku) || ' ' || max(s.product_name) END AS label,
           sum(s.revenue_cny) AS revenue, sum(s.cost_cny) AS cost, sum(s.gross_profit_cny) AS grossprofit
      FROM mart.product_sales_daily AS s
      LEFT JOIN dw.dim_categories AS c ON c.merchant_id = s.merchant_id AND c.category_id = s.category_id
     WHERE s.sales_date BETWEEN :start::date AND :end::date
     GROUP BY 1
)
SELECT key, label, round(revenue, 2) AS revenue, round(cost, 2) AS cost, NULL::numeric AS fees,
       round(grossprofit, 2) AS grossprofit, NULL::numeric AS netprofit,
       mart.rate(grossprofit, revenue) AS grossmargin, NULL::numeric AS netmargin,
       NULL::numeric AS expenses, NULL::numeric AS operatingprofit, NULL::numeric AS expenseroi
  FROM grouped
 ORDER BY revenue DESC, key
 LIMIT :limit OFFSET :offset;
SELECT count(DISTINCT CASE :by::text WHEN 'category' THEN coalesce(s.category_id::text, '') ELSE s.product_id::text END)
  FROM mart.product_sales_daily AS s
 WHERE s.sales_date BETWEEN :start::date AND :end::date;
