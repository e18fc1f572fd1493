-- 0017_business_flows: what posting (orders drive the books, docs/business-flows.md) needs in the
-- tables: the alerts table, the shops' settlement term, shortages on the stock position, the order
-- line and the posted quantity of a stock movement, one receivable per order, stock counts.
-- requires: 0004_dimensions (dw.dim_shops, dw.dim_products), 0006_facts_inventory_finance,
--           0010_merchant_isolation (ops.enable_merchant_isolation, default grants)

------------------------------------------------------------------------------------------------
-- dw.order_ref: how posting functions are told which orders to post
------------------------------------------------------------------------------------------------
CREATE TYPE dw.order_ref AS (merchant_id bigint, order_id bigint, order_date date);

COMMENT ON TYPE dw.order_ref IS 'The key of one order (dw.fact_sales_orders): what the posting functions take, as an array, to post those orders.';

------------------------------------------------------------------------------------------------
-- dw.dim_shops.settlement_days
------------------------------------------------------------------------------------------------
ALTER TABLE dw.dim_shops
    ADD COLUMN settlement_days integer NOT NULL DEFAULT 14,
    ADD CONSTRAINT dim_shops_settlement_days_range CHECK (settlement_days BETWEEN 0 AND 365);

COMMENT ON COLUMN dw.dim_shops.settlement_days IS 'Days after the invoice (the order date) in which the platform settles an order: the due date of its receivable. Default 14.';

------------------------------------------------------------------------------------------------
-- dw.fact_inventory: shortages
------------------------------------------------------------------------------------------------
ALTER TABLE dw.fact_inventory
    ADD COLUMN shortage_on_hand integer NOT NULL DEFAULT 0,
    ADD COLUMN shortage_reserved integer NOT NULL DEFAULT 0,
    ADD CONSTRAINT fact_inventory_shortages_nonnegative CHECK (shortage_on_hand >= 0 AND shortage_reserved >= 0);

COMMENT ON COLUMN dw.fact_inventory.shortage_on_hand IS 'Units shipped (or adjusted out) that the books did not have: the book balance is quantity_on_hand - shortage_on_hand, which may be negative while quantity_on_hand never is.';
COMMENT ON COLUMN dw.fact_inventory.shortage_reserved IS 'Units ordered that could not be reserved for want of stock: the orders reserve quantity_reserved + shortage_reserved.';

------------------------------------------------------------------------------------------------
-- dw.fact_inventory_transactions: order line and posted quantity
------------------------------------------------------------------------------------------------
ALTER TABLE dw.fact_inventory_transactions
    ADD COLUMN line_no integer,
    ADD COLUMN quantity_posted integer,
    ADD CONSTRAINT fact_inventory_transactions_line_needs_order CHECK (line_no IS NULL OR order_id IS NOT NULL);

-- Movements written before posting existed keep quantity_posted NULL: they are already in the positions.
CREATE INDEX fact_inventory_transactions_unposted_idx ON dw.fact_inventory_transactions (merchant_id)
    WHERE quantity_posted <> quantity_change;

COMMENT ON COLUMN dw.fact_inventory_transactions.line_no IS 'The order line (dw.fact_order_items.line_no) of an order movement; NULL for other movements.';
COMMENT ON COLUMN dw.fact_inventory_transactions.quantity_posted IS 'Units of quantity_change already applied to dw.fact_inventory by dw.apply_inventory_movements; it applies quantity_change - quantity_posted. NULL = written by something that keeps the position itself (never applied).';

------------------------------------------------------------------------------------------------
-- dw.fact_accounts_receivable: one per order
------------------------------------------------------------------------------------------------
CREATE UNIQUE INDEX fact_accounts_receivable_order_unique ON dw.fact_accounts_receivable (merchant_id, order_id, order_date)
    WHERE order_id IS NOT NULL;

------------------------------------------------------------------------------------------------
-- dw.fact_stock_counts
------------------------------------------------------------------------------------------------
CREATE TABLE dw.fact_stock_counts (
    merchant_id       bigint       NOT NULL,
    product_id        bigint       NOT NULL,
    warehouse_code    text         NOT NULL DEFAULT 'default',
    counted_at        timestamptz  NOT NULL,
    counted_quantity  integer      NOT NULL,
    book_quantity     integer,
    posted_at         timestamptz,
    created_at        timestamptz  NOT NULL DEFAULT now(),
    updated_at        timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT fact_stock_counts_pkey PRIMARY KEY (merchant_id, product_id, warehouse_code, counted_at),
    CONSTRAINT fact_stock_counts_counted_nonnegative CHECK (counted_quantity >= 0)
);

-- No foreign key to dw.dim_products (the import resolves the SKU, and posting joins the product):
-- erpdb seed --replace truncates the dimensions with a fixed table list that does not name this table.
COMMENT ON TABLE dw.fact_stock_counts IS 'Physical stock counts (盘点): each posts once, as an adjustment movement of counted_quantity minus the book balance at posting.';
COMMENT ON COLUMN dw.fact_stock_counts.book_quantity IS 'Book balance (on hand - shortage) when the count was posted; NULL until posted.';
COMMENT ON COLUMN dw.fact_stock_counts.posted_at IS 'When dw.post_stock_counts posted the count; a posted count is never posted again (a corrected count is a new count).';

CREATE TRIGGER fact_stock_counts_set_updated_at BEFORE UPDATE ON dw.fact_stock_counts
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

SELECT ops.enable_merchant_isolation('dw.fact_stock_counts');

------------------------------------------------------------------------------------------------
-- dw.alerts
------------------------------------------------------------------------------------------------
CREATE TABLE dw.alerts (
    alert_id     bigint       GENERATED ALWAYS AS IDENTITY,
    kind         text         NOT NULL,
    merchant_id  bigint,
    subject      text         NOT NULL,
    raised_at    timestamptz  NOT NULL DEFAULT now(),
    resolved_at  timestamptz,
    details      jsonb        NOT NULL DEFAULT '{}',
    created_at   timestamptz  NOT NULL DEFAULT now(),
    updated_at   timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT alerts_pkey PRIMARY KEY (alert_id),
    CONSTRAINT alerts_kind_known CHECK (kind IN
        ('low_stock', 'out_of_stock', 'stock_shortage', 'overdue_receivable', 'view_failing', 'slow_refresh')),
    CONSTRAINT alerts_resolved_after_raised CHECK (resolved_at >= raised_at),
    CONSTRAINT alerts_details_object CHECK (jsonb_typeof(details) = 'object')
);

-- At most one open alert per kind, merchant and subject: raising it again updates its details.
CREATE UNIQUE INDEX alerts_open_subject_unique ON dw.alerts (kind, merchant_id, subject) NULLS NOT DISTINCT
    WHERE resolved_at IS NULL;
CREATE INDEX alerts_merchant_raised_idx ON dw.alerts (merchant_id, raised_at);

COMMENT ON TABLE dw.alerts IS 'Open and resolved alerts: stock (low_stock, out_of_stock, stock_shortage), finance (overdue_receivable) and views (view_failing, slow_refresh). One open alert per (kind, merchant, subject).';
COMMENT ON COLUMN dw.alerts.merchant_id IS 'The merchant concerned; NULL for alerts about the warehouse itself (views), which scoped readers do not see. No foreign key: alerts are history and outlive a merchant''s data being reloaded.';
COMMENT ON COLUMN dw.alerts.subject IS 'What the alert is about, stable while it is open: sku@warehouse for stock, invoice or order number for receivables, view name for views.';
COMMENT ON COLUMN dw.alerts.details IS 'Figures at the last raise (quantities, amounts, errors), as a JSON object.';
COMMENT ON COLUMN dw.alerts.resolved_at IS 'When the condition ended; NULL while open.';

CREATE TRIGGER alerts_set_updated_at BEFORE UPDATE ON dw.alerts
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

SELECT ops.enable_merchant_isolation('dw.alerts');
