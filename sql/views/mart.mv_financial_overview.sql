-- mart.mv_financial_overview: finance per merchant and month: receivables invoiced, still
-- outstanding and overdue, money received, expenses, sales profit and operating profit.
-- requires: mart.mv_financial_daily
-- Summed from mart.mv_financial_daily, never from the facts, so days and months always agree; the
-- rules (invoice-date grouping, outstanding and overdue as of today, each fee counted once) are
-- that view's. Amounts are sums of the days' rounded amounts.

DROP MATERIALIZED VIEW IF EXISTS mart.mv_financial_overview CASCADE;

CREATE MATERIALIZED VIEW mart.mv_financial_overview AS
SELECT d.merchant_id,
       date_trunc('month', d.day)::date AS month_start,
       sum(d.invoiced_cny) AS invoiced_cny,
       sum(d.outstanding_cny) AS outstanding_cny,
       sum(d.overdue_cny) AS overdue_cny,
       sum(d.overdue_count)::bigint AS overdue_count,
       sum(d.receipts_cny) AS receipts_cny,
       sum(d.expenses_cny) AS expenses_cny,
       sum(d.gmv_cny) AS gmv_cny,
       sum(d.gross_profit_cny) AS gross_profit_cny,
       sum(d.net_profit_cny) AS net_profit_cny,
       sum(d.operating_profit_cny) AS operating_profit_cny,
       sum(d.net_cash_flow_cny) AS net_cash_flow_cny
FROM mart.mv_financial_daily AS d
GROUP BY d.merchant_id, date_trunc('month', d.day)
WITH DATA;

CREATE UNIQUE INDEX mv_financial_overview_key ON mart.mv_financial_overview (merchant_id, month_start);

COMMENT ON MATERIALIZED VIEW mart.mv_financial_overview IS 'Finance per merchant and month: receivables invoiced/outstanding/overdue, receipts, expenses, sales and operating profit, net cash flow. Readers use mart.financial_overview.';
COMMENT ON COLUMN mart.mv_financial_overview.invoiced_cny IS 'Receivables invoiced that month (not written off or cancelled), in CNY.';
COMMENT ON COLUMN mart.mv_financial_overview.outstanding_cny IS 'Of those, what is still unpaid today (open, partially paid or overdue).';
COMMENT ON COLUMN mart.mv_financial_overview.overdue_cny IS 'Of the outstanding, what is past its due date today.';
COMMENT ON COLUMN mart.mv_financial_overview.receipts_cny IS 'Money received that month (dw.fact_payment_receipts).';
COMMENT ON COLUMN mart.mv_financial_overview.expenses_cny IS 'Expenses that month not tied to an order (order_id NULL), shop-attributed and merchant-wide; order fees are in net_profit_cny already.';
COMMENT ON COLUMN mart.mv_financial_overview.operating_profit_cny IS 'net_profit_cny of sales - expenses_cny: each order fee counted once.';
COMMENT ON COLUMN mart.mv_financial_overview.net_cash_flow_cny IS 'receipts_cny - every expense that month, order fees included.';

REVOKE ALL ON mart.mv_financial_overview FROM PUBLIC;

SELECT ops.register_view('mart.mv_financial_overview', '$default_refresh_interval$', '$default_stale_after$', true,
    'Receivables, receipts, expenses and profit per merchant and month.');

CREATE OR REPLACE VIEW mart.financial_overview WITH (security_barrier) AS
    SELECT * FROM mart.mv_financial_overview WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.financial_overview IS 'Reader view of mart.mv_financial_overview: the transaction''s merchant only.';
GRANT SELECT ON mart.financial_overview TO erp_reader;
