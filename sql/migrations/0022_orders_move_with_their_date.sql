-- 0022_orders_move_with_their_date: lets a corrected order_date move a stored order. The order's
-- key (merchant_id, order_id, order_date) carries its partition column, so the rows that reference
-- it (lines, stock movements, receivable, expenses) now follow an update of that key
-- (ON UPDATE CASCADE) instead of blocking it; import re-keys an order whose date changed rather
-- than inserting a second one (docs/importing.md).
-- requires: 0005_facts_sales (dw.fact_sales_orders, dw.fact_order_items),
--           0006_facts_inventory_finance (dw.fact_inventory_transactions, dw.fact_accounts_receivable, dw.fact_expenses)

ALTER TABLE dw.fact_order_items
    DROP CONSTRAINT fact_order_items_order_fkey,
    ADD CONSTRAINT fact_order_items_order_fkey FOREIGN KEY (merchant_id, order_id, order_date)
        REFERENCES dw.fact_sales_orders (merchant_id, order_id, order_date) ON UPDATE CASCADE ON DELETE CASCADE;

ALTER TABLE dw.fact_inventory_transactions
    DROP CONSTRAINT fact_inventory_transactions_order_fkey,
    ADD CONSTRAINT fact_inventory_transactions_order_fkey FOREIGN KEY (merchant_id, order_id, order_date)
        REFERENCES dw.fact_sales_orders (merchant_id, order_id, order_date) ON UPDATE CASCADE;

ALTER TABLE dw.fact_accounts_receivable
    DROP CONSTRAINT fact_accounts_receivable_order_fkey,
    ADD CONSTRAINT fact_accounts_receivable_order_fkey FOREIGN KEY (merchant_id, order_id, order_date)
        REFERENCES dw.fact_sales_orders (merchant_id, order_id, order_date) ON UPDATE CASCADE;

ALTER TABLE dw.fact_expenses
    DROP CONSTRAINT fact_expenses_order_fkey,
    ADD CONSTRAINT fact_expenses_order_fkey FOREIGN KEY (merchant_id, order_id, order_date)
        REFERENCES dw.fact_sales_orders (merchant_id, order_id, order_date) ON UPDATE CASCADE;
