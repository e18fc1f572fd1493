-- 0025_import_natural_keys: the natural keys `erpdb import` resolves (a shop by its code within
-- its merchant, a category by its path), the shop's own time zone, and the end of the unused
-- staging landing tables: imports land in a temporary table of their transaction and are
-- upserted into dw directly (docs/importing.md, "Staging").
-- requires: 0004_dimensions (dw.dim_shops, dw.dim_categories), 0009_staging (the dropped tables),
--           0017_business_flows (dw.dim_shops.settlement_days)

------------------------------------------------------------------------------------------------
-- dw.dim_shops: shop_code (platform_shop_code) unique per merchant, time zone
------------------------------------------------------------------------------------------------
ALTER TABLE dw.dim_shops
    ADD COLUMN timezone text,
    ADD CONSTRAINT dim_shops_code_unique UNIQUE (merchant_id, platform_shop_code);

COMMENT ON COLUMN dw.dim_shops.platform_shop_code IS 'The shop''s code, unique per merchant (its id on the platform, or the merchant''s own name for it): the shop_code that imports carry.';
COMMENT ON COLUMN dw.dim_shops.timezone IS 'IANA time zone in which the shop''s business day (an order''s order_date) is cut; NULL = the merchant''s (dw.dim_merchants.timezone).';

------------------------------------------------------------------------------------------------
-- dw.dim_categories: the path is the natural key
------------------------------------------------------------------------------------------------
ALTER TABLE dw.dim_categories
    ADD CONSTRAINT dim_categories_path_unique UNIQUE (merchant_id, path);

------------------------------------------------------------------------------------------------
-- staging: no landing tables (nothing wrote them; imports stream through a temporary table)
------------------------------------------------------------------------------------------------
DROP TABLE staging.products, staging.orders, staging.order_items, staging.product_metrics,
    staging.inventory, staging.expenses, staging.traffic_funnel;
DROP TABLE staging.import_batches;

COMMENT ON SCHEMA staging IS 'Empty: imports (erpdb import, the Ingestor) land in a temporary table of their own transaction and upsert into dw; see docs/importing.md. Kept so that grants and tools naming it stay valid.';
