-- products: a page of listings at their latest day (of the last 90), filtered and sorted, then the total count.
-- reads: mart.product_management, mart.inventory_summary (the product's stock status: dw.stock_status over
--        its warehouse stock, the one definition of low stock, as erpdb inventory; untracked without an inventory row)
-- parameters: :platform (text), :category_id (bigint: it and its subcategories, dw.category_subtree), :status (listing status), :stock_status,
--             :min_price, :max_price (numeric, CNY), :keyword (a LIKE pattern, \ escapes): each NULL = no filter;
--             :limit, :offset (integers); :sort (an ORDER BY expression from the closed list in
--             ProductSql.cs, e.g. estimated_revenue_cny DESC; substituted as text, never a user value)
-- run: see docs/queries.md
-- The stock status is looked up per listing (one index probe in mart.inventory_summary), for the
-- page's rows only unless it is filtered on: a join would read every listing's stock through the
-- reader view, whose security barrier keeps PostgreSQL from removing or postponing it.
-- First: why the category filter cannot be answered, or NULL (dw.category_filter_problem: an id that is not one of
-- the merchant's categories is refused).
SELECT dw.category_filter_problem(:category_id::bigint) AS problem;
WITH filtered AS (
    SELECT pm.*
      FROM mart.product_management AS pm
     WHERE pm.is_latest
       AND (:platform::text IS NULL OR pm.platform_code = :platform::text)
       AND (:category_id::bigint IS NULL OR pm.category_id = ANY((SELECT dw.category_subtree(:category_id::bigint))::bigint[]))
       AND (:status::text IS NULL OR pm.listing_status = :status::text)
       AND (:stock_status::text IS NULL
            OR coalesce((SELECT i.stock_status FROM mart.inventory_summary AS i WHERE i.product_id = pm.product_id), 'untracked') = :stock_status::text)
       AND (:min_price::numeric IS NULL OR pm.price_cny >= :min_price::numeric)
       AND (:max_price::numeric IS NULL OR pm.price_cny <= :max_price::numeric)
       AND (:keyword::text IS NULL OR pm.sku ILIKE :keyword::text ESCAPE '\' OR pm.product_name ILIKE :keyword::text ESCAPE '\')
)
SELECT product_id AS productid, sku, product_name AS name, category_name AS category, shop_id AS shopid,
       platform_code AS platform, metric_date AS metricdate, price_cny AS price, stock,
       coalesce((SELECT i.stock_status FROM mart.inventory_summary AS i WHERE i.product_id = page.product_id), 'untracked') AS stockstatus,
       -- revenue is the estimate units x price (what the revenue sort orders by, indexed); salesamount
       -- is what the platform reported sold that day, in CNY (0 when the metrics gave none).
       sales_volume AS units, estimated_revenue_cny AS estimatedrevenue, sales_amount_cny AS salesamount,
       page_views AS pageviews, visitors,
       rating, listing_status AS listingstatus
  FROM (SELECT * FROM filtered ORDER BY :sort NULLS LAST, product_id, shop_id LIMIT :limit OFFSET :offset) AS page
 ORDER BY :sort NULLS LAST, product_id, shop_id;
SELECT count(*)
  FROM mart.product_management AS pm
 WHERE pm.is_latest
       AND (:platform::text IS NULL OR pm.platform_code = :platform::text)
       AND (:category_id::bigint IS NULL OR pm.category_id = ANY((SELECT dw.category_subtree(:category_id::bigint))::bigint[]))
       AND (:status::text IS NULL OR pm.listing_status = :status::text)
       AND (:stock_status::text IS NULL
            OR coalesce((SELECT i.stock_status FROM mart.inventory_summary AS i WHERE i.product_id = pm.product_id), 'untracked') = :stock_status::text)
       AND (:min_price::numeric IS NULL OR pm.price_cny >= :min_price::numeric)
       AND (:max_price::numeric IS NULL OR pm.price_cny <= :max_price::numeric)
       AND (:keyword::text IS NULL OR pm.sku ILIKE :keyword::text ESCAPE '\' OR pm.product_name ILIKE :keyword::text ESCAPE '\');
