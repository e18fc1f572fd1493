-- 0030_reworded_comments: the catalog comments of 0005, 0006, 0007 and 0012 in their
-- current wording, for databases that applied those migrations before they were reworded
-- (-- erpdb:reworded-from; docs/migrations.md). On a new database it sets what they just set.
COMMENT ON COLUMN dw.fact_sales_orders.inventory_deducted IS 'True once the order''s quantities were deducted from dw.fact_inventory (order posting), so a re-import never deducts twice.';
COMMENT ON TABLE dw.fact_product_metrics IS 'Per product, shop and day: listing price, stock, sales, page views, visitors, rating and reviews as the platform reports them. Partitioned by month of metric_date.';
COMMENT ON TABLE dw.fact_inventory IS 'Current stock position per product and warehouse (the real-time inventory); its history is dw.fact_inventory_transactions.';
COMMENT ON TABLE dw.fact_user_activity IS 'User activity per shop and day: DAU, new and returning users, sessions, retention of the day''s cohort. MAU is derived over distinct users elsewhere, not stored.';
COMMENT ON TABLE ops.mv_refresh_log IS 'One row per refresh attempt: started, finished, duration, rows, status, error, what triggered it. Bounded by ops.purge_refresh_log, which every due refresh calls.';
COMMENT ON TABLE mart.target_achievement IS 'C-class: each sales target of dw.cfg_sales_targets with its actual value from mart.mv_daily_sales / mart.mv_customer_segments. Recomputed by ops.recompute_c_class after a due refresh and whenever a dw.cfg_* table changes. Row level security limits readers to their merchant.';
