-- stock_positions: the scoped merchant's stock positions, one per product and warehouse: what each holds, has
-- reserved, can still sell, is short of and is worth, and its status against its own safety stock, with totals over
-- the filter. The status is dw.stock_status, the rule of the low_stock and out_of_stock alerts, which are raised per
-- position too: where erpdb inventory sums a product over its warehouses (stock held elsewhere hides an empty
-- shipping warehouse), this lists each position as the alerts see it.
-- reads: dw.fact_inventory, dw.dim_products, dw.dim_merchants by the scoped merchant (a reader's row level security
--        scopes them too): the positions themselves, always current
-- parameters: :sku (text, NULL = every product), :warehouse (text, compared without case; NULL = every warehouse),
--             :category_id (bigint: it and its subcategories, dw.category_subtree; NULL = all), :status ('out', 'low'
--             or 'shortage'; NULL = all), :limit, :offset (integers)
-- run: see docs/queries.md
-- First: why the category filter cannot be answered, or NULL (dw.category_filter_problem); then whether the SKU is one
-- of the merchant's and, when the warehouse is neither its shipping warehouse nor one of its positions', the warehouses it
-- has (dw.merchant_warehouses, the list an import's warehouse check gives): a typo, not an empty list. Its shipping warehouse is known even without positions there: an empty
-- answer then says that nothing is stocked where orders ship from.
SELECT dw.category_filter_problem(:category_id::bigint) AS problem;
SELECT :sku::text IS NULL
       OR EXISTS (SELECT FROM dw.dim_products AS p
                   WHERE p.merchant_id = (SELECT ops.current_merchant_id()) AND p.sku = :sku::text) AS skuknown,
       CASE WHEN :warehouse::text IS NOT NULL
             AND NOT EXISTS (SELECT FROM dw.fact_inventory AS f
                              WHERE f.merchant_id = (SELECT ops.current_merchant_id()) AND lower(f.warehouse_code) = lower(:warehouse::text))
             AND NOT EXISTS (SELECT FROM dw.dim_merchants AS m
                              WHERE m.merchant_id = (SELECT ops.current_merchant_id()) AND m.shipping_warehouse_code = lower(:warehouse::text))
            THEN dw.merchant_warehouses((SELECT ops.current_merchant_id()))
       END AS knownwarehouses;
-- Short: the position shipped goods its book did not have, or could not reserve what orders asked for (the
-- stock_shortage alert's condition, dw.check_stock_shortages).
WITH positions AS (
    SELECT f.*, p.sku, p.product_name,
           dw.stock_status(f.quantity_available, f.safety_stock) AS stock_status,
           f.shortage_on_hand > 0 OR f.shortage_reserved > 0 AS short
      FROM dw.fact_inventory AS f
      JOIN dw.dim_products AS p ON p.merchant_id = f.merchant_id AND p.product_id = f.product_id
     WHERE f.merchant_id = (SELECT ops.current_merchant_id())
       AND (:sku::text IS NULL OR p.sku = :sku::text)
       AND (:warehouse::text IS NULL OR lower(f.warehouse_code) = lower(:warehouse::text))
       AND (:category_id::bigint IS NULL OR p.category_id = ANY((SELECT dw.category_subtree(:category_id::bigint))::bigint[]))
)
SELECT count(*) AS positions,
       count(*) FILTER (WHERE stock_status = 'out_of_stock') AS outofstock,
       count(*) FILTER (WHERE stock_status = 'low_stock') AS lowstock,
       count(*) FILTER (WHERE short) AS shortofstock,
       coalesce(sum(quantity_on_hand), 0) AS onhand,
       coalesce(sum(quantity_reserved), 0) AS reserved,
       coalesce(sum(quantity_available), 0) AS available,
       coalesce(sum(quantity_incoming), 0) AS incoming,
       coalesce(sum(shortage_on_hand), 0) AS shortageonhand,
       coalesce(sum(shortage_reserved), 0) AS shortagereserved,
       -- Rounded once, over the exact values, as erpdb inventory's value is.
       coalesce(round(sum(quantity_on_hand * average_unit_cost), 2), 0) AS value
  FROM positions;
WITH positions AS (
    SELECT f.*, p.sku, p.product_name,
           dw.stock_status(f.quantity_available, f.safety_stock) AS stock_status,
           f.shortage_on_hand > 0 OR f.shortage_reserved > 0 AS short
      FROM dw.fact_inventory AS f
      JOIN dw.dim_products AS p ON p.merchant_id = f.merchant_id AND p.product_id = f.product_id
     WHERE f.merchant_id = (SELECT ops.current_merchant_id())
       AND (:sku::text IS NULL OR p.sku = :sku::text)
       AND (:warehouse::text IS NULL OR lower(f.warehouse_code) = lower(:warehouse::text))
       AND (:category_id::bigint IS NULL OR p.category_id = ANY((SELECT dw.category_subtree(:category_id::bigint))::bigint[]))
)
SELECT sku, product_name AS productname, warehouse_code AS warehouse,
       warehouse_code = (SELECT m.shipping_warehouse_code FROM dw.dim_merchants AS m WHERE m.merchant_id = positions.merchant_id) AS shipping,
       quantity_on_hand AS onhand, quantity_reserved AS reserved, quantity_available AS available, quantity_incoming AS incoming,
       shortage_on_hand AS shortageonhand, shortage_reserved AS shortagereserved, safety_stock AS safetystock,
       stock_status AS status, average_unit_cost AS averageunitcost, round(quantity_on_hand * average_unit_cost, 2) AS value,
       last_counted_at AS lastcountedat
  FROM positions
 WHERE :status::text IS NULL
    OR (:status::text = 'out' AND stock_status = 'out_of_stock')
    OR (:status::text = 'low' AND stock_status = 'low_stock')
    OR (:status::text = 'shortage' AND short)
 ORDER BY quantity_available, sku, warehouse_code
 LIMIT :limit OFFSET :offset;
