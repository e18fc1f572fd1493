-- 0021_list_reader_views: the reader views of the list commands (erpdb receivables, targets,
-- campaigns): one row per receivable with its order, shop and CNY amounts, and the C-class results of targets and campaigns with their shop names.
-- requires: 0006_facts_inventory_finance (dw.fact_accounts_receivable), 0005_facts_sales,
--           0004_dimensions (dw.dim_shops), 0012_refresh_registry (mart.target_achievement),
--           0019_alerts_and_results (mart.campaign_results), 0008_config (dw.cfg_sales_campaigns),
--           ops.current_merchant_id (0010)
-- Aging (days overdue, bucket) is not part of mart.receivables: it is as of a day, and the one
-- definition, dw.receivable_aging_bucket, is a repeatable function that runs after migrations;
-- sql/queries/receivables.sql applies it.
-- Reader views run as their owner and filter by the transaction's merchant (security_barrier),
-- like mart.alerts: the owner is not subject to row level security, so a view over the tables
-- alone would show an app login scoped per transaction every merchant's rows.

------------------------------------------------------------------------------------------------
-- mart.receivables
------------------------------------------------------------------------------------------------
CREATE VIEW mart.receivables WITH (security_barrier) AS
    SELECT r.merchant_id, r.receivable_id, r.invoice_no, o.order_no, r.order_id, r.order_date,
           r.shop_id, s.shop_name, r.customer_id, r.currency_code, r.exchange_rate,
           r.amount, r.received_amount, r.outstanding_amount,
           r.amount_cny,
           round(r.received_amount * r.exchange_rate, 2) AS received_cny,
           round(r.outstanding_amount * r.exchange_rate, 2) AS outstanding_cny,
           r.invoice_date, r.due_date, r.status, r.settled_at
    FROM dw.fact_accounts_receivable AS r
    LEFT JOIN dw.dim_shops AS s ON s.merchant_id = r.merchant_id AND s.shop_id = r.shop_id
    LEFT JOIN dw.fact_sales_orders AS o
        ON o.merchant_id = r.merchant_id AND o.order_id = r.order_id AND o.order_date = r.order_date
    WHERE r.merchant_id = (SELECT ops.current_merchant_id());

COMMENT ON VIEW mart.receivables IS 'Reader view of dw.fact_accounts_receivable: the transaction''s merchant''s receivables one by one, with order number, shop name and CNY amounts. Aging: dw.receivable_aging_bucket(due_date, status, day).';
COMMENT ON COLUMN mart.receivables.outstanding_cny IS 'round(outstanding_amount * exchange_rate, 2), as in mart.mv_financial_overview.';
REVOKE ALL ON mart.receivables FROM PUBLIC;
GRANT SELECT ON mart.receivables TO erp_reader;

------------------------------------------------------------------------------------------------
-- mart.targets
------------------------------------------------------------------------------------------------
CREATE VIEW mart.targets WITH (security_barrier) AS
    SELECT t.merchant_id, t.target_id, t.shop_id, s.shop_name, t.metric, t.period_type, t.period_start, t.period_end,
           t.target_value, t.actual_value, t.achievement_rate, t.elapsed_share, t.status, t.computed_at
    FROM mart.target_achievement AS t
    LEFT JOIN dw.dim_shops AS s ON s.merchant_id = t.merchant_id AND s.shop_id = t.shop_id
    WHERE t.merchant_id = (SELECT ops.current_merchant_id());

COMMENT ON VIEW mart.targets IS 'Reader view of mart.target_achievement for the transaction''s merchant, with shop names (NULL shop: the whole merchant).';
REVOKE ALL ON mart.targets FROM PUBLIC;
GRANT SELECT ON mart.targets TO erp_reader;

------------------------------------------------------------------------------------------------
-- mart.campaigns
------------------------------------------------------------------------------------------------
CREATE VIEW mart.campaigns WITH (security_barrier) AS
    SELECT c.merchant_id, c.campaign_id, c.campaign_code, c.campaign_name, g.campaign_type, g.status AS campaign_status,
           g.shop_id, s.shop_name, g.platform_id, c.start_date, c.end_date, c.target_gmv_cny, c.budget_cny,
           c.gmv_cny, c.gross_profit_cny, c.order_count, c.achievement_rate, c.roi, c.computed_at
    FROM mart.campaign_results AS c
    LEFT JOIN dw.cfg_sales_campaigns AS g ON g.merchant_id = c.merchant_id AND g.campaign_id = c.campaign_id
    LEFT JOIN dw.dim_shops AS s ON s.merchant_id = g.merchant_id AND s.shop_id = g.shop_id
    WHERE c.merchant_id = (SELECT ops.current_merchant_id());

COMMENT ON VIEW mart.campaigns IS 'Reader view of mart.campaign_results for the transaction''s merchant, with each campaign''s type, status and scope (shop, platform) from dw.cfg_sales_campaigns.';
REVOKE ALL ON mart.campaigns FROM PUBLIC;
GRANT SELECT ON mart.campaigns TO erp_reader;
