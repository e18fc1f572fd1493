-- mart.mv_profit_analysis: profit per merchant, shop and month: GMV, cost, fees, gross and net
-- profit from sales, the shop's own expenses, operating profit, and the three margins.
-- requires: mart.mv_daily_sales, dw.fact_expenses, dw.dim_shops, dw.dim_platforms
-- Sales come from mart.mv_daily_sales (so the numbers agree with the sales views); expenses are
-- those attributed to a shop (dw.fact_expenses.shop_id); merchant-wide expenses (shop_id NULL)
-- are in mart.mv_financial_overview. A shop with expenses but no sales in a month has a row too.
-- Expenses with order_id set (order fees) are already in net_profit_cny and are left out, so each
-- fee counts once (docs/metrics.md).
-- An incremental aggregate by month (docs/refresh.md): the refresh of mart.mv_daily_sales and the
-- triggers on dw.fact_expenses log the days that changed; a refresh recomputes those months only.
-- Sales and expenses are summed from one UNION ALL (not a FULL JOIN of two sums, as before) so
-- that the merchant and day bounds reach both sources' indexes.

SELECT ops.drop_mart_relation('mart.mv_profit_analysis');

CREATE TABLE mart.mv_profit_analysis (
    merchant_id           bigint  NOT NULL,
    shop_id               bigint  NOT NULL,
    shop_name             text,
    platform_id           smallint,
    platform_code         text,
    month_start           date    NOT NULL,
    order_count           bigint  NOT NULL,
    gmv_cny               numeric NOT NULL,
    cost_cny              numeric NOT NULL,
    fees_cny              numeric NOT NULL,
    gross_profit_cny      numeric NOT NULL,
    net_profit_cny        numeric NOT NULL,
    expenses_cny          numeric NOT NULL,
    operating_profit_cny  numeric NOT NULL,
    gross_margin          numeric,
    net_margin            numeric,
    operating_margin      numeric
);

-- The aggregate's rows for some merchants (NULL: all) and the months within first_day..last_day
-- (the refresh passes whole months).
CREATE FUNCTION mart.mv_profit_analysis_rows(merchants bigint[], first_day date, last_day date)
RETURNS SETOF mart.mv_profit_analysis
LANGUAGE sql
STABLE
BEGIN ATOMIC
WITH combined AS (
    SELECT u.merchant_id, u.shop_id, u.month_start,
           sum(u.order_count)::bigint AS order_count,
           sum(u.gmv_cny) AS gmv_cny, sum(u.cost_cny) AS cost_cny, sum(u.fees_cny) AS fees_cny,
           sum(u.gross_profit_cny) AS gross_profit_cny, sum(u.net_profit_cny) AS net_profit_cny,
           sum(u.expenses_cny) AS expenses_cny
    FROM (SELECT d.merchant_id, d.shop_id, date_trunc('month', d.sales_date)::date AS month_start,
                 d.order_count, d.gmv_cny, d.cost_cny, d.fees_cny, d.gross_profit_cny, d.net_profit_cny,
                 0::numeric AS expenses_cny
          FROM mart.mv_daily_sales AS d
          WHERE (merchants IS NULL OR d.merchant_id = ANY (merchants))
            AND d.sales_date BETWEEN first_day AND last_day
          UNION ALL
          SELECT e.merchant_id, e.shop_id, date_trunc('month', e.expense_date)::date,
                 0, 0, 0, 0, 0, 0, e.amount_cny
          FROM dw.fact_expenses AS e
          WHERE e.shop_id IS NOT NULL AND e.order_id IS NULL
            AND (merchants IS NULL OR e.merchant_id = ANY (merchants))
            AND e.expense_date BETWEEN first_day AND last_day) AS u
    GROUP BY u.merchant_id, u.shop_id, u.month_start
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
JOIN dw.dim_platforms AS p ON p.platform_id = sh.platform_id;
END;

INSERT INTO mart.mv_profit_analysis SELECT * FROM mart.mv_profit_analysis_rows(NULL, '-infinity', 'infinity');

CREATE UNIQUE INDEX mv_profit_analysis_key ON mart.mv_profit_analysis (merchant_id, shop_id, month_start);
CREATE INDEX mv_profit_analysis_merchant_month_idx ON mart.mv_profit_analysis (merchant_id, month_start);
CREATE INDEX mv_profit_analysis_platform_month_idx ON mart.mv_profit_analysis (merchant_id, platform_code, month_start);
ANALYZE mart.mv_profit_analysis;

COMMENT ON TABLE mart.mv_profit_analysis IS 'Profit per merchant, shop and month: sales profit from mart.mv_daily_sales, shop expenses, operating profit and margins. An incremental aggregate that only the refresh functions write. Readers use mart.profit_analysis.';
COMMENT ON COLUMN mart.mv_profit_analysis.expenses_cny IS 'Expenses attributed to the shop that month (dw.fact_expenses with shop_id), less order fees (order_id set), which net_profit_cny holds already.';
COMMENT ON COLUMN mart.mv_profit_analysis.operating_profit_cny IS 'net_profit_cny - expenses_cny.';
COMMENT ON COLUMN mart.mv_profit_analysis.gross_margin IS 'gross_profit_cny / gmv_cny (0.25 = 25 %); NULL without GMV.';
COMMENT ON COLUMN mart.mv_profit_analysis.net_margin IS 'net_profit_cny / gmv_cny; NULL without GMV.';
COMMENT ON COLUMN mart.mv_profit_analysis.operating_margin IS 'operating_profit_cny / gmv_cny; NULL without GMV.';
COMMENT ON FUNCTION mart.mv_profit_analysis_rows(bigint[], date, date) IS 'The rows of mart.mv_profit_analysis for the given merchants (NULL: all) and the months within the given days: what its refresh inserts.';

REVOKE ALL ON mart.mv_profit_analysis FROM PUBLIC;
-- Readers read the table itself under row level security (their scope), through mart.profit_analysis.
SELECT ops.enable_reader_scope('mart.mv_profit_analysis');
REVOKE EXECUTE ON FUNCTION mart.mv_profit_analysis_rows(bigint[], date, date) FROM PUBLIC;

SELECT ops.register_aggregate('mart.mv_profit_analysis', 'mart.mv_profit_analysis_rows(bigint[], date, date)', 'month_start', 'month',
    '$default_refresh_interval$', '$default_stale_after$', 'Profit per merchant, shop and month.');

-- security_invoker, not security_barrier: the table's policy scopes readers inside the plan, so
-- the view is flattened into the query (filters pushed, ORDER BY ... LIMIT walks an index). The
-- filter scopes callers that row level security does not (the owner, an app login that owns).
CREATE OR REPLACE VIEW mart.profit_analysis WITH (security_invoker) AS
    SELECT * FROM mart.mv_profit_analysis WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.profit_analysis IS 'Reader view of mart.mv_profit_analysis (security_invoker): the transaction''s merchant only, by its filter and, for readers, by the table''s row level security (ops.current_merchant_id()).';
GRANT SELECT ON mart.profit_analysis TO erp_reader;
