-- 0058_stock_movements_reader_view: the reader view of erpdb movements: each stock movement with its product's SKU and
-- name, the number of the order it posts (if any), and the position's book balance now, so that a stock figure can be
-- traced to the movements that made it.
-- requires: 0006_facts_inventory_finance (dw.fact_inventory_transactions, dw.fact_inventory), 0004_dimensions
--           (dw.dim_products), 0005_facts_sales (dw.fact_sales_orders), ops.current_merchant_id (0010)
-- Like mart.receipts (0057): the library may run as the owner, whom row level security does not bind, so the view runs
-- as its owner and filters by the transaction's merchant itself (security_barrier): every caller sees one merchant's
-- movements, an unscoped one none.
-- It reads as few columns as it needs (the product's name is looked up by the query): migrate rebuilds the views of
-- sql/views that a migration's ALTER COLUMN ... TYPE or DROP COLUMN meets (docs/view-rebuilds.md), not a view a
-- migration made, so a later migration changing a column this view reads must drop and re-create it itself.
-- book_on_hand_now is the position's quantity_on_hand - shortage_on_hand: what the applied on-hand movements add up to
-- from its opening (docs/business-flows.md, "The books reconcile"), negative while goods were shipped that the book
-- did not have. A position that never had one is 0.

CREATE VIEW mart.stock_movements WITH (security_barrier) AS
    SELECT t.merchant_id, t.transaction_id, t.transaction_date, t.occurred_at, t.product_id, p.sku,
           t.warehouse_code, t.transaction_type, t.quantity_change, t.unit_cost,
           t.order_id, t.order_date, o.order_no, t.line_no, t.reference_no, t.note,
           coalesce(f.quantity_on_hand - f.shortage_on_hand, 0) AS book_on_hand_now
    FROM dw.fact_inventory_transactions AS t
    JOIN dw.dim_products AS p ON p.merchant_id = t.merchant_id AND p.product_id = t.product_id
    -- Both joined on their primary keys: a query that reads no column of theirs does not join them at all.
    LEFT JOIN dw.fact_sales_orders AS o
        ON o.merchant_id = t.merchant_id AND o.order_id = t.order_id AND o.order_date = t.order_date
    LEFT JOIN dw.fact_inventory AS f
        ON f.merchant_id = t.merchant_id AND f.product_id = t.product_id AND f.warehouse_code = t.warehouse_code
    WHERE t.merchant_id = (SELECT ops.current_merchant_id());

COMMENT ON VIEW mart.stock_movements IS 'Reader view of dw.fact_inventory_transactions: the transaction''s merchant''s stock movements one by one, with the product''s SKU and name, the order number of an order''s movement, and the position''s book balance now.';
COMMENT ON COLUMN mart.stock_movements.book_on_hand_now IS 'The position''s quantity_on_hand - shortage_on_hand now (0 without a position): the sum of its applied on-hand movements from its opening; negative while short.';
REVOKE ALL ON mart.stock_movements FROM PUBLIC;
GRANT SELECT ON mart.stock_movements TO erp_reader;
