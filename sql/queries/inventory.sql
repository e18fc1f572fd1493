-- inventory: the stock totals of the scoped merchant (per status: they give the page's total count),
-- then a page of products of one status or all.
-- reads: mart.inventory_summary (definitions in sql/views/mart.mv_inventory_summary.sql), dw.dim_categories (the category filter);
--        the status of a product is dw.stock_status_class (out and low from dw.stock_status, the one
--        definition of low stock)
-- parameters: :threshold (integer, NULL = the safety stock of each product), :overstock_days (integer),
--             :category_id (bigint: it and its subcategories, dw.category_subtree; NULL = all), :status ('out', 'low', 'overstock'; NULL = all),
--             :limit, :offset (integers); :sort (an ORDER BY expression from the closed list in
--             InventorySql.cs, e.g. quantity_available ASC; substituted as text, never a user value)
-- run: see docs/queries.md
-- First: whether :category_id (when given) is a category of the scoped merchant (one that is not is refused,
-- naming the merchant's top-level categories).
SELECT :category_id::bigint IS NULL
       OR EXISTS (SELECT FROM dw.dim_categories AS c
                   WHERE c.category_id = :category_id::bigint AND c.merchant_id = (SELECT ops.current_merchant_id())) AS known,
       CASE WHEN :category_id::bigint IS NOT NULL THEN
           (SELECT string_agg(c.category_id || ' ' || c.category_name, ', ' ORDER BY c.category_id)
              FROM dw.dim_categories AS c
             WHERE c.parent_id IS NULL AND c.merchant_id = (SELECT ops.current_merchant_id()))
       END AS toplevel;
WITH classified AS (
    SELECT i.*,
           dw.stock_status_class(i.quantity_available, coalesce(:threshold::integer, i.safety_stock), i.days_of_cover,
                              :overstock_days::integer) AS status
      FROM mart.inventory_summary AS i
     WHERE :category_id::bigint IS NULL OR i.category_id = ANY((SELECT dw.category_subtree(:category_id::bigint))::bigint[])
)
SELECT count(*) AS totalproducts,
       count(*) FILTER (WHERE status = 'low') AS lowstockproducts,
       count(*) FILTER (WHERE status = 'out') AS outofstockproducts,
       count(*) FILTER (WHERE status = 'overstock') AS overstockproducts,
       round(avg(turnover_30d), 4) AS averageturnoverrate,
       coalesce(sum(inventory_value_cny), 0) AS inventoryvalue
  FROM classified;
WITH classified AS (
    SELECT i.*,
           dw.stock_status_class(i.quantity_available, coalesce(:threshold::integer, i.safety_stock), i.days_of_cover,
                              :overstock_days::integer) AS status
      FROM mart.inventory_summary AS i
     WHERE :category_id::bigint IS NULL OR i.category_id = ANY((SELECT dw.category_subtree(:category_id::bigint))::bigint[])
)
SELECT product_id AS productid, sku, product_name AS name, category_name AS category,
       quantity_available AS currentstock, safety_stock AS safetystock, units_sold_30d AS last30dayssales,
       turnover_30d AS turnoverrate, days_of_cover AS daysofcover, status, suggested_reorder_qty AS suggestedreorder
  FROM classified
 WHERE :status::text IS NULL OR status = :status::text
 ORDER BY :sort, product_id
 LIMIT :limit OFFSET :offset;
