-- stock_movements: the scoped merchant's stock movements one by one: whether the SKU, order and warehouse filters name
-- something of the merchant's, totals
-- over the filter, then a page of rows, newest first, each with the book balance on hand right after it.
-- reads: mart.stock_movements (sql/migrations/0058_stock_movements_reader_view.sql); dw.dim_products and
--        dw.fact_sales_orders by the scoped merchant (a reader's row level security scopes them too)
-- parameters: :sku (text, NULL = every product), :warehouse (text, NULL = every warehouse), :types (text[] of
--             transaction types, NULL = all), :order_no (text, NULL = any movement), :from, :to (transaction dates,
--             included; NULL = no bound), :limit, :offset (integers)
-- run: see docs/queries.md
-- On hand: every type but reserve and release, which move the reserved quantity, not the goods.
-- The balance after a movement is counted back from the position's book balance now: minus every on-hand movement
-- of the same product and warehouse that came after it (by occurred_at, then id). It is the book's running balance
-- as long as the position was built by movements alone; an inventory file that overwrote the position breaks the
-- chain before that import (docs/business-flows.md, "Tracing a stock figure").
-- An order number or warehouse code no order or position of the merchant has is a typo, not an empty answer: named
-- like an unknown SKU (the warehouses then listed with the codes the merchant's positions and movements have).
-- Warehouse codes compare without case, as imports fold them (docs/importing.md): --warehouse DEFAULT is 'default'.
SELECT :sku::text IS NULL
       OR EXISTS (SELECT FROM dw.dim_products AS p
                   WHERE p.merchant_id = (SELECT ops.current_merchant_id()) AND p.sku = :sku::text) AS skuknown,
       :order_no::text IS NULL
       OR EXISTS (SELECT FROM dw.fact_sales_orders AS o
                   WHERE o.merchant_id = (SELECT ops.current_merchant_id()) AND o.order_no = :order_no::text) AS orderknown,
       CASE WHEN :warehouse::text IS NOT NULL
             AND NOT EXISTS (SELECT FROM dw.fact_inventory AS i
                              WHERE i.merchant_id = (SELECT ops.current_merchant_id()) AND lower(i.warehouse_code) = lower(:warehouse::text))
             AND NOT EXISTS (SELECT FROM dw.fact_inventory_transactions AS t
                              WHERE t.merchant_id = (SELECT ops.current_merchant_id()) AND lower(t.warehouse_code) = lower(:warehouse::text))
            THEN (SELECT coalesce(string_agg(w.code, ', ' ORDER BY w.code), '')
                    FROM (SELECT i.warehouse_code FROM dw.fact_inventory AS i WHERE i.merchant_id = (SELECT ops.current_merchant_id())
                          UNION
                          SELECT t.warehouse_code FROM dw.fact_inventory_transactions AS t
                           WHERE t.merchant_id = (SELECT ops.current_merchant_id())) AS w(code))
       END AS knownwarehouses;
SELECT count(*) AS count,
       coalesce(sum(quantity_change) FILTER (WHERE NOT dw.is_reservation(transaction_type) AND quantity_change > 0), 0) AS onhandin,
       coalesce(-sum(quantity_change) FILTER (WHERE NOT dw.is_reservation(transaction_type) AND quantity_change < 0), 0) AS onhandout,
       coalesce(sum(quantity_change) FILTER (WHERE NOT dw.is_reservation(transaction_type)), 0) AS onhandchange,
       coalesce(sum(quantity_change) FILTER (WHERE dw.is_reservation(transaction_type)), 0) AS reservedchange
  FROM mart.stock_movements
 WHERE (:sku::text IS NULL OR sku = :sku::text)
   AND (:warehouse::text IS NULL OR lower(warehouse_code) = lower(:warehouse::text))
   AND (:types::text[] IS NULL OR transaction_type = ANY(:types::text[]))
   AND (:order_no::text IS NULL OR order_id IN (SELECT o.order_id FROM dw.fact_sales_orders AS o
                                                 WHERE o.merchant_id = (SELECT ops.current_merchant_id()) AND o.order_no = :order_no::text))
   AND (:from::date IS NULL OR transaction_date >= :from::date)
   AND (:to::date IS NULL OR transaction_date <= :to::date);
-- The page is chosen from the movements alone, scoped to the merchant as the view is (a reader's row level security
-- scopes them too), and its rows are then read through the view one by one, with their product, order number and
-- position. Chosen through the view, every order of the merchant was hashed for a page of 50 movements (the planner
-- kept the view's joins before the sort). OFFSET 0 keeps that read a look-up by id per row.
WITH page AS (
    SELECT t.transaction_id
      FROM dw.fact_inventory_transactions AS t
     WHERE t.merchant_id = (SELECT ops.current_merchant_id())
       AND (:sku::text IS NULL OR t.product_id = (SELECT p.product_id FROM dw.dim_products AS p
                                                   WHERE p.merchant_id = (SELECT ops.current_merchant_id()) AND p.sku = :sku::text))
       AND (:warehouse::text IS NULL OR lower(t.warehouse_code) = lower(:warehouse::text))
       AND (:types::text[] IS NULL OR t.transaction_type = ANY(:types::text[]))
       AND (:order_no::text IS NULL OR t.order_id IN (SELECT o.order_id FROM dw.fact_sales_orders AS o
                                                       WHERE o.merchant_id = (SELECT ops.current_merchant_id()) AND o.order_no = :order_no::text))
       AND (:from::date IS NULL OR t.transaction_date >= :from::date)
       AND (:to::date IS NULL OR t.transaction_date <= :to::date)
     ORDER BY t.occurred_at DESC, t.transaction_id DESC
     LIMIT :limit OFFSET :offset
)
SELECT m.transaction_id AS transactionid, m.transaction_date AS transactiondate, m.occurred_at AS occurredat,
       m.sku,
       (SELECT p.product_name FROM dw.dim_products AS p WHERE p.merchant_id = m.merchant_id AND p.product_id = m.product_id) AS productname,
       m.warehouse_code AS warehouse, m.transaction_type AS type,
       m.quantity_change AS quantitychange, m.unit_cost AS unitcost, m.order_no AS orderno, m.line_no AS lineno,
       m.reference_no AS referenceno, m.note,
       m.book_on_hand_now - (SELECT coalesce(sum(l.quantity_change), 0)
                               FROM dw.fact_inventory_transactions AS l
                              WHERE l.merchant_id = m.merchant_id AND l.product_id = m.product_id AND l.warehouse_code = m.warehouse_code
                                AND NOT dw.is_reservation(l.transaction_type)
                                AND (l.occurred_at > m.occurred_at
                                     OR (l.occurred_at = m.occurred_at AND l.transaction_id > m.transaction_id))) AS onhandafter
  FROM page
 CROSS JOIN LATERAL (SELECT * FROM mart.stock_movements AS v WHERE v.transaction_id = page.transaction_id OFFSET 0) AS m
 ORDER BY m.occurred_at DESC, m.transaction_id DESC;
