-- erpdb:reworded-from 85f17dbff7d662dff56efe5c4eeff06be68f750679465238effa2f9d7ee28406 8cf2a30bd0647c4515f1a9b88f3d1298a490d62ea07d6045dd5773ab63e3272d
-- 0009_staging: ODS landing tables for imports (CSV, Excel exports of the platforms), before
-- cleaning. Types are loose on purpose: every business column is text, exactly as the file had
-- it, so that a load never fails on a bad value; the cleaning step casts, validates, rejects rows
-- with a reason and upserts into dw. Every row belongs to one import batch.
-- requires: 0001_schemas (schema staging), 0002_roles (erp_owner), 0003_ops_support (ops.set_updated_at)
-- The landing tables are append-only (no updated_at); only the batch row changes state.

CREATE TABLE staging.import_batches (
    batch_id       uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    target         text        NOT NULL,
    source_system  text,
    file_name      text,
    row_count      integer,
    status         text        NOT NULL DEFAULT 'loading',
    error          text,
    loaded_at      timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    loaded_by      text        NOT NULL DEFAULT session_user,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT import_batches_target_known CHECK (target IN
        ('products', 'orders', 'order_items', 'product_metrics', 'inventory', 'expenses', 'traffic_funnel')),
    CONSTRAINT import_batches_status_known CHECK (status IN ('loading', 'loaded', 'processed', 'failed')),
    CONSTRAINT import_batches_row_count_nonnegative CHECK (row_count >= 0)
);

CREATE INDEX import_batches_loaded_at_idx ON staging.import_batches (loaded_at);

COMMENT ON TABLE staging.import_batches IS 'One row per import: what was loaded into which staging table, from which file, and how processing ended.';
COMMENT ON COLUMN staging.import_batches.target IS 'Staging table the batch landed in (products, orders, order_items, product_metrics, inventory, expenses, traffic_funnel).';
COMMENT ON COLUMN staging.import_batches.source_system IS 'Where the file came from (shopee export, tiktok export, miaoshou ERP, manual).';
COMMENT ON COLUMN staging.import_batches.status IS 'loading, loaded (all rows landed), processed (moved into dw) or failed (see error).';

CREATE TRIGGER import_batches_set_updated_at BEFORE UPDATE ON staging.import_batches
    FOR EACH ROW EXECUTE FUNCTION ops.set_updated_at();

-- The landing tables share one shape: batch_id, row_no, the file's columns as text, extra (any
-- unmapped columns as JSON), reject_reason (set by cleaning) and loaded_at.

CREATE TABLE staging.products (
    batch_id       uuid        NOT NULL REFERENCES staging.import_batches (batch_id) ON DELETE CASCADE,
    row_no         integer     NOT NULL,
    merchant_code  text,
    sku            text,
    product_name   text,
    category_path  text,
    brand          text,
    unit_cost      text,
    cost_currency  text,
    safety_stock   text,
    status         text,
    extra          jsonb,
    reject_reason  text,
    loaded_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT products_pkey PRIMARY KEY (batch_id, row_no)
);

COMMENT ON TABLE staging.products IS 'Landing table for product master data imports (text columns as in the file).';
COMMENT ON COLUMN staging.products.category_path IS 'Category codes from the root, separated by ''/'', resolved to dw.dim_categories by cleaning.';

CREATE TABLE staging.orders (
    batch_id             uuid        NOT NULL REFERENCES staging.import_batches (batch_id) ON DELETE CASCADE,
    row_no               integer     NOT NULL,
    merchant_code        text,
    platform_code        text,
    platform_shop_code   text,
    order_no             text,
    customer_code        text,
    status               text,
    currency_code        text,
    gmv                  text,
    discount_amount      text,
    exchange_rate        text,
    platform_commission  text,
    payment_fee          text,
    shipping_fee         text,
    ordered_at           text,
    paid_at              text,
    shipped_at           text,
    delivered_at         text,
    extra                jsonb,
    reject_reason        text,
    loaded_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orders_pkey PRIMARY KEY (batch_id, row_no)
);

COMMENT ON TABLE staging.orders IS 'Landing table for order imports (one row per order, text columns as in the file).';

CREATE TABLE staging.order_items (
    batch_id            uuid        NOT NULL REFERENCES staging.import_batches (batch_id) ON DELETE CASCADE,
    row_no              integer     NOT NULL,
    merchant_code       text,
    platform_code       text,
    platform_shop_code  text,
    order_no            text,
    line_no             text,
    sku                 text,
    quantity            text,
    unit_price          text,
    discount_amount     text,
    extra               jsonb,
    reject_reason       text,
    loaded_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT order_items_pkey PRIMARY KEY (batch_id, row_no)
);

COMMENT ON TABLE staging.order_items IS 'Landing table for order line imports, matched to orders by (shop, order_no) and to products by SKU.';

CREATE TABLE staging.product_metrics (
    batch_id            uuid        NOT NULL REFERENCES staging.import_batches (batch_id) ON DELETE CASCADE,
    row_no              integer     NOT NULL,
    merchant_code       text,
    platform_code       text,
    platform_shop_code  text,
    sku                 text,
    metric_date         text,
    currency_code       text,
    price               text,
    stock               text,
    sales_volume        text,
    sales_amount        text,
    page_views          text,
    visitors            text,
    rating              text,
    review_count        text,
    listing_status      text,
    extra               jsonb,
    reject_reason       text,
    loaded_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT product_metrics_pkey PRIMARY KEY (batch_id, row_no)
);

COMMENT ON TABLE staging.product_metrics IS 'Landing table for the platforms'' product performance exports.';

CREATE TABLE staging.inventory (
    batch_id           uuid        NOT NULL REFERENCES staging.import_batches (batch_id) ON DELETE CASCADE,
    row_no             integer     NOT NULL,
    merchant_code      text,
    sku                text,
    warehouse_code     text,
    quantity_on_hand   text,
    quantity_reserved  text,
    quantity_incoming  text,
    safety_stock       text,
    counted_at         text,
    extra              jsonb,
    reject_reason      text,
    loaded_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT inventory_pkey PRIMARY KEY (batch_id, row_no)
);

COMMENT ON TABLE staging.inventory IS 'Landing table for stock position imports (warehouse exports, stock counts).';

CREATE TABLE staging.expenses (
    batch_id            uuid        NOT NULL REFERENCES staging.import_batches (batch_id) ON DELETE CASCADE,
    row_no              integer     NOT NULL,
    merchant_code       text,
    platform_code       text,
    platform_shop_code  text,
    expense_date        text,
    category            text,
    description         text,
    currency_code       text,
    amount              text,
    vendor              text,
    reference_no        text,
    extra               jsonb,
    reject_reason       text,
    loaded_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT expenses_pkey PRIMARY KEY (batch_id, row_no)
);

COMMENT ON TABLE staging.expenses IS 'Landing table for expense imports (ad spend, logistics bills, ...).';

CREATE TABLE staging.traffic_funnel (
    batch_id            uuid        NOT NULL REFERENCES staging.import_batches (batch_id) ON DELETE CASCADE,
    row_no              integer     NOT NULL,
    merchant_code       text,
    platform_code       text,
    platform_shop_code  text,
    traffic_date        text,
    visitors            text,
    unique_visitors     text,
    page_views          text,
    add_to_cart         text,
    checkout            text,
    orders              text,
    extra               jsonb,
    reject_reason       text,
    loaded_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT traffic_funnel_pkey PRIMARY KEY (batch_id, row_no)
);

COMMENT ON TABLE staging.traffic_funnel IS 'Landing table for shop traffic reports (visitors, carts, checkouts, orders per day).';
