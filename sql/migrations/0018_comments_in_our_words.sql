-- 0018_comments_in_our_words: rewrites the COMMENT ON texts that older migrations wrote citing
-- design documents that are not part of this repository, so \d+ says what the rule is instead.
-- requires: 0001_schemas, 0005..0009 (the commented tables), 0012_refresh_registry
-- Staging: 0009_staging describes a cleaning step (cast, validate, reject with a reason, upsert
-- into dw) that does not exist. Imports (erpdb import, Ingestor) load files through binary COPY
-- into a temporary table and upsert into dw directly; nothing reads or writes the staging tables
-- today. The schema comment now says so; the tables stay so that no applied migration changes.

COMMENT ON SCHEMA staging IS 'Landing tables (ODS) kept for raw file loads; not used by erpdb import or the Ingestor, which load into dw directly through a temporary table (docs/importing.md). No cleaning step reads these tables. Written by erp_writer.';

COMMENT ON TABLE staging.product_metrics IS 'Landing table for the platforms'' product performance exports (text columns as in the file).';

COMMENT ON COLUMN dw.fact_sales_orders.inventory_deducted IS 'True once the order''s quantities were deducted from dw.fact_inventory by posting (dw.post_orders), so a re-import never deducts twice.';

COMMENT ON TABLE dw.fact_product_metrics IS 'Per product, shop and day: listing price, stock, sales, page views, visitors, rating and reviews as the platform reports them. Partitioned by month of metric_date.';

COMMENT ON TABLE dw.fact_inventory IS 'Current stock position per product and warehouse, kept up to date by posting; its history is dw.fact_inventory_transactions.';

COMMENT ON TABLE dw.fact_user_activity IS 'User activity per shop and day: DAU, new and returning users, sessions, retention of the day''s cohort. MAU is derived over distinct users elsewhere, not stored.';

COMMENT ON TABLE ops.mv_refresh_log IS 'One row per refresh attempt: started, finished, duration, rows, status, error, what triggered it. Bounded by ops.purge_refresh_log, which every due refresh calls.';

COMMENT ON TABLE mart.target_achievement IS 'C-class result (computed from A-class config, docs/refresh.md): each sales target of dw.cfg_sales_targets with its actual value from mart.mv_daily_sales / mart.mv_customer_segments. Recomputed by ops.recompute_c_class after a due refresh and whenever a dw.cfg_* table changes. Row level security limits readers to their merchant.';
