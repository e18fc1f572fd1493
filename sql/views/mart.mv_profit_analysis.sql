-- mart.mv_profit_analysis: profit per merchant, shop and month: GMV, cost, fees, gross and net
-- profit from sales, the shop's own expenses, operating profit, and the three margins.
-- requires: mart.mv_daily_sales, dw.fact_expenses, dw.dim_shops, dw.dim_platforms
-- Sales come from mart.mv_daily_sales (so the numbers agree with the sales views); expenses are
-- those attributed to a shop (dw.fact_expenses.shop_id); merchant-wide expenses (shop_id NULL)
-- are in mart.mv_financial_overview. A shop with expenses but no sales in a month has a row too.
-- Expenses with order_id set (order fees) are already in net_profit_cny and are left out, so each
-- fee counts once (docs/metrics.md).

DROP MATERIALIZED VIEW IF EXISTS mart.mv_profit_analysis CASCADE;

CREATE MATERIALIZED VIEW mart.mv_profit_analysis AS
WITH sales AS (
    SELECT d.merchant_id, d.shop_id, date_trunc('month', d.sales_date)::date AS month_start,
           sum(d.order_count)::bigint AS order_count,
           sum(d.gmv_cny) AS gmv_cny, sum(d.cost_cny) AS cost_cny, sum(d.fees_cny) AS fees_cny,
           sum(d.gross_profit_cny) AS gross_profit_cny, sum(d.net_profit_cny) AS net_profit_cny
    FROM mart.mv_daily_sales AS d
    GROUP BY d.merchant_id, d.shop_id, date_trunc('month', d.sales_date)
),
expenses AS (
    SELECT e.merchant_id, e.shop_id, date_trunc('month', e.expense_date)::date AS month_start,
           sum(e.amount_cny) AS expenses_cny
    FROM dw.fact_expenses AS e
    WHERE e.shop_id IS NOT NULL AND e.order_id IS NULL
    GROUP BY e.merchant_id, e.shop_id, date_trunc('month', e.expense_date)
),
combined AS (
    SELECT coalesce(s.merchant_id, x.merchant_id) AS merchant_id,
           coalesce(s.shop_id, x.shop_id) AS shop_id,
           coalesce(s.month_start, x.month_start) AS month_start,
           coalesce(s.order_count, 0) AS order_count,
           coalesce(s.gmv_cny, 0) AS gmv_cny,
           coalesce(s.cost_cny, 0) AS cost_cny,
           coalesce(s.fees_cny, 0) AS fees_cny,
           coalesce(s.gross_profit_cny, 0) AS gross_profit_cny,
           coalesce(s.net_profit_cny, 0) AS net_profit_cny,
           coalesce(x.expenses_cny, 0) AS expenses_cny
    FROM sales AS s
    FULL JOIN expenses AS x
        ON x.merchant_id = s.merchant_id AND x.shop_id = s.shop_id AND x.month_start = s.month_start
)
SELECT c.merchant_id,
       c.shop_id,
       sh.shop_name,
       sh.platform_id,
       p.platform_code,
       c.month_start,
       c.order_count,
       round(c.gmv_cny, 2) AS gmv_cny,
       round(c.cost_cny, 2) AS cost_cny,
       round(c.fees_cny, 2) AS fees_cny,
       round(c.gross_profit_cny, 2) AS gross_profit_cny,
       round(c.net_profit_cny, 2) AS net_profit_cny,
       round(c.expenses_cny, 2) AS expenses_cny,
       round(c.net_profit_cny - c.expenses_cny, 2) AS operating_profit_cny,
       round(c.gross_profit_cny / nullif(c.gmv_cny, 0), 6) AS gross_margin,
       round(c.net_profit_cny / nullif(c.gmv_cny, 0), 6) AS net_margin,
       round((c.net_profit_cny - c.expenses_cny) / nullif(c.gmv_cny, 0), 6) AS operating_margin
FROM combined AS c
JOIN dw.dim_shops AS sh ON sh.merchant_id = c.merchant_id AND sh.shop_id = c.shop_id
JOIN dw.dim_platforms AS p ON p.platform_id = sh.platform_id
WITH DATA;

CREATE UNIQUE INDEX mv_profit_analysis_key ON mart.mv_profit_analysis (merchant_id, shop_id, month_start);
CREATE INDEX mv_profit_analysis_merchant_month_idx ON mart.mv_profit_analysis (merchant_id, month_start);
CREATE INDEX mv_profit_analysis_platform_month_idx ON mart.mv_profit_analysis (merchant_id, platform_code, month_start);

COMMENT ON MATERIALIZED VIEW mart.mv_profit_analysis IS 'Profit per merchant, shop and month: sales profit from mart.mv_daily_sales, shop expenses, operating profit and margins. Readers use mart.profit_analysis.';
COMMENT ON COLUMN mart.mv_profit_analysis.expenses_cny IS 'Expenses attributed to the shop that month (dw.fact_expenses with shop_id), less order fees (order_id set), which net_profit_cny holds already.';
COMMENT ON COLUMN mart.mv_profit_analysis.operating_profit_cny IS 'net_profit_cny - expenses_cny.';
COMMENT ON COLUMN mart.mv_profit_analysis.gross_margin IS 'gross_profit_cny / gmv_cny (0.25 = 25 %); NULL without GMV.';
COMMENT ON COLUMN mart.mv_profit_analysis.net_margin IS 'net_profit_cny / gmv_cny; NULL without GMV.';
COMMENT ON COLUMN mart.mv_profit_analysis.operating_margin IS 'operating_profit_cny / gmv_cny; NULL without GMV.';

REVOKE ALL ON mart.mv_profit_analysis FROM PUBLIC;

SELECT ops.register_view('mart.mv_profit_analysis', '$default_refresh_interval$', '$default_stale_after$', true,
    'Profit per merchant, shop and month.');

CREATE OR REPLACE VIEW mart.profit_analysis WITH (security_barrier) AS
    SELECT * FROM mart.mv_profit_analysis WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.profit_analysis IS 'Reader view of mart.mv_profit_analysis: the transaction''s merchant only.';
GRANT SELECT ON mart.profit_analysis TO erp_reader;
