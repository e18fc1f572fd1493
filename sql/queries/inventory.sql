-- inventory: the stock totals of the scoped merchant (per status: they give the page's total count),
-- then a page of products of one status or all.
-- reads: mart.inventory_summary (definitions in sql/views/mart.mv_inventory_summary.sql);
--        the status of a product is dw.stock_status_class (out and low from dw.stock_status, the one
--        definition of low stock)
-- parameters: :threshold (integer, NULL = the safety stock of each product), :overstock_days (integer),
--             :category_id (bigint: it and its subcategories, dw.category_subtree; NULL = all), :sku (text: one product; NULL = all), :status ('out', 'low', 'overstock'; NULL = all),
--             :limit, :offset (integers); :sort (an ORDER BY expression from the closed list in
--             InventorySql.cs, e.g. quantity_available ASC; substituted as text, never a user value)
-- run: see docs/queries.md
-- First: why the category filter cannot be answered, or NULL (dw.category_filter_problem: an id that is not one of
-- the merchant's categories is refused).
SELECT dw.category_filter_problem(:category_id::bigint) AS problem;
-- Then why the SKU filter cannot be answered: a SKU that is none of the merchant's products would answer an empty list.
SELECT CASE WHEN :sku::text IS NOT NULL
             AND NOT EXISTS (SELECT FROM dw.dim_products AS p
                              WHERE p.merchant_id = (SELECT ops.current_merchant_id()) AND p.sku = :sku::text)
            THEN pg_catalog.format('%s is not a SKU of merchant %s.', :sku::text, (SELECT ops.current_merchant_id()))
       END AS problem;
WITH classified AS (
    SELECT i.*,
           dw.stock_status_class(i.quantity_available, coalesce(:threshold::integer, i.safety_stock), i.units_sold_30d,
                              :overstock_days::integer) AS status
      FROM mart.inventory_summary AS i
     WHERE (:category_id::bigint IS NULL OR i.category_id = ANY((SELECT dw.category_subtree(:category_id::bigint))::bigint[]))
       AND (:sku::text IS NULL OR i.sku = :sku::text)
)
SELECT count(*) AS totalproducts,
       count(*) FILTER (WHERE status = 'low') AS lowstockproducts,
       count(*) FILTER (WHERE status = 'out') AS outofstockproducts,
       count(*) FILTER (WHERE status = 'overstock') AS overstockproducts,
       -- The selected products' turnover together: cost of the units sold over the stock value, a ratio of the sums (a mean of
       -- each product's ratio let one slow product with little stock outweigh the rest).
       round(sum(cost_sold_30d) / nullif(sum(inventory_value_cny), 0), 4) AS averageturnoverrate,
       -- Rounded once, over the exact values: the figure SQL gives as round(sum(quantity_on_hand * average_unit_cost), 2).
       coalesce(round(sum(inventory_value_cny), 2), 0) AS inventoryvalue
  FROM classified;
WITH classified AS (
    SELECT i.*,
           dw.stock_status_class(i.quantity_available, coalesce(:threshold::integer, i.safety_stock), i.units_sold_30d,
                              :overstock_days::integer) AS status
      FROM mart.inventory_summary AS i
     WHERE (:category_id::bigint IS NULL OR i.category_id = ANY((SELECT dw.category_subtree(:category_id::bigint))::bigint[]))
       AND (:sku::text IS NULL OR i.sku = :sku::text)
)
SELECT product_id AS productid, sku, product_name AS name, category_name AS category,
       quantity_available AS currentstock, safety_stock AS safetystock, units_sold_30d AS unitslast30days,
       turnover_30d AS turnoverrate, days_of_cover AS daysofcover, status, suggested_reorder_qty AS suggestedreorder
  FROM classified
 WHERE :status::text IS NULL OR status = :status::text
 ORDER BY :sort, product_id
 LIMIT :limit OFFSET :offset;
