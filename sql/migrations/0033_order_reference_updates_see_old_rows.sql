-- 0033_order_reference_updates_see_old_rows: the order-reference check of an UPDATE of stock
-- movements, receivables or expenses now also sees the rows as they were (transition table
-- "referenced_before"), so it checks only the order keys the statement introduced. Posting updates
-- these rows often without touching their order (applying a movement, settling a receivable,
-- re-posting an expense); such an update re-checked every row against dw.fact_sales_orders.
-- A key the rows already held names an existing order: the insert or update that wrote it was
-- checked, and dw.cascade_order_keys refuses to delete an order still named.
-- requires: 0026_order_references_checked_per_statement
-- The check itself is sql/functions/dw.check_order_references.sql.

DROP TRIGGER fact_inventory_transactions_order_check_update ON dw.fact_inventory_transactions;
DROP TRIGGER fact_accounts_receivable_order_check_update ON dw.fact_accounts_receivable;
DROP TRIGGER fact_expenses_order_check_update ON dw.fact_expenses;

CREATE TRIGGER fact_inventory_transactions_order_check_update AFTER UPDATE ON dw.fact_inventory_transactions
    REFERENCING OLD TABLE AS referenced_before NEW TABLE AS referencing FOR EACH STATEMENT EXECUTE FUNCTION dw.check_order_references();
CREATE TRIGGER fact_accounts_receivable_order_check_update AFTER UPDATE ON dw.fact_accounts_receivable
    REFERENCING OLD TABLE AS referenced_before NEW TABLE AS referencing FOR EACH STATEMENT EXECUTE FUNCTION dw.check_order_references();
CREATE TRIGGER fact_expenses_order_check_update AFTER UPDATE ON dw.fact_expenses
    REFERENCING OLD TABLE AS referenced_before NEW TABLE AS referencing FOR EACH STATEMENT EXECUTE FUNCTION dw.check_order_references();
