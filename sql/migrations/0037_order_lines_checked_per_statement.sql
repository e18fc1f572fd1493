-- 0037_order_lines_checked_per_statement: order lines name their order by (merchant_id, order_id,
-- order_date) like stock movements, receivables and expenses, and are now checked the same way:
-- once per statement, set-based (docs/business-flows.md, "Order references"). As a row foreign key
-- to the partitioned dw.fact_sales_orders, PostgreSQL 15 checked each line with a plan that locks
-- every monthly partition: 0.6 ms a line at 1,000,000 orders, most of an order-lines import.
-- The outcomes stay those of the key: a line naming a missing order fails with 23503 and
-- constraint fact_order_items_order_fkey; an order whose date changes takes its lines along (ON
-- UPDATE CASCADE); deleting an order deletes its lines (ON DELETE CASCADE); the order a line is
-- being written for cannot be deleted until that transaction ends (the check locks it FOR KEY
-- SHARE, as the key did). Truncating the orders truncates the lines, as TRUNCATE ... CASCADE did.
-- requires: 0005_facts_sales, 0022_orders_move_with_their_date, 0026_order_references_checked_per_statement
-- The trigger functions are sql/functions/dw.check_order_references.sql and
-- sql/functions/dw.cascade_order_keys.sql (their versions with lines are applied after this).

ALTER TABLE dw.fact_order_items DROP CONSTRAINT fact_order_items_order_fkey;

CREATE TRIGGER fact_order_items_order_check_insert AFTER INSERT ON dw.fact_order_items
    REFERENCING NEW TABLE AS referencing FOR EACH STATEMENT EXECUTE FUNCTION dw.check_order_references();
CREATE TRIGGER fact_order_items_order_check_update AFTER UPDATE ON dw.fact_order_items
    REFERENCING OLD TABLE AS referenced_before NEW TABLE AS referencing FOR EACH STATEMENT EXECUTE FUNCTION dw.check_order_references();

-- The delete trigger of the orders now also cascades to their lines.
ALTER TRIGGER fact_sales_orders_restrict_delete ON dw.fact_sales_orders RENAME TO fact_sales_orders_cascade_delete;

CREATE TRIGGER fact_sales_orders_truncate_lines AFTER TRUNCATE ON dw.fact_sales_orders
    FOR EACH STATEMENT EXECUTE FUNCTION dw.cascade_order_keys();
