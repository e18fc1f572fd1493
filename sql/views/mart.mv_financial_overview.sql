-- mart.mv_financial_overview: finance per merchant and month: receivables invoiced, still
-- outstanding and overdue, money received, expenses, sales profit and operating profit.
-- requires: mart.mv_daily_sales, dw.fact_accounts_receivable, dw.fact_payment_receipts, dw.fact_expenses
-- Receivables are grouped by invoice month; outstanding and overdue are as of today (open,
-- partially paid or overdue items; overdue = due_date before today), so the view changes daily and
-- the interval refresh keeps it current. Written-off and cancelled receivables are excluded.
-- Each fee counts once: expenses with order_id set (the order fees posting writes) are already in
-- the orders' net_profit_cny, so expenses_cny and operating profit leave them out; cash flow
-- counts every expense, since the fees are paid either way (docs/metrics.md).

DROP MATERIALIZED VIEW IF EXISTS mart.mv_financial_overview CASCADE;

CREATE MATERIALIZED VIEW mart.mv_financial_overview AS
WITH receivables AS (
    SELECT r.merchant_id, date_trunc('month', r.invoice_date)::date AS month_start,
           sum(r.amount_cny) AS invoiced_cny,
           sum(round(r.outstanding_amount * r.exchange_rate, 2))
               FILTER (WHERE r.status IN ('open', 'partially_paid', 'overdue')) AS outstanding_cny,
           sum(round(r.outstanding_amount * r.exchange_rate, 2))
               FILTER (WHERE r.status IN ('open', 'partially_paid', 'overdue') AND r.due_date < CURRENT_DATE) AS overdue_cny,
           count(*) FILTER (WHERE r.status IN ('open', 'partially_paid', 'overdue') AND r.due_date < CURRENT_DATE) AS overdue_count
    FROM dw.fact_accounts_receivable AS r
    WHERE r.status NOT IN ('written_off', 'cancelled')
    GROUP BY r.merchant_id, date_trunc('month', r.invoice_date)
),
receipts AS (
    SELECT p.merchant_id, date_trunc('month', p.receipt_date)::date AS month_start, sum(p.amount_cny) AS receipts_cny
    FROM dw.fact_payment_receipts AS p
    GROUP BY p.merchant_id, date_trunc('month', p.receipt_date)
),
expenses AS (
    SELECT e.merchant_id, date_trunc('month', e.expense_date)::date AS month_start,
           sum(e.amount_cny) FILTER (WHERE e.order_id IS NULL) AS expenses_cny,
           sum(e.amount_cny) AS all_expenses_cny
    FROM dw.fact_expenses AS e
    GROUP BY e.merchant_id, date_trunc('month', e.expense_date)
),
sales AS (
    SELECT d.merchant_id, date_trunc('month', d.sales_date)::date AS month_start,
           sum(d.gmv_cny) AS gmv_cny, sum(d.gross_profit_cny) AS gross_profit_cny, sum(d.net_profit_cny) AS net_profit_cny
    FROM mart.mv_daily_sales AS d
    GROUP BY d.merchant_id, date_trunc('month', d.sales_date)
),
months AS (
    SELECT merchant_id, month_start FROM receivables
    UNION SELECT merchant_id, month_start FROM receipts
    UNION SELECT merchant_id, month_start FROM expenses
    UNION SELECT merchant_id, month_start FROM sales
)
SELECT m.merchant_id,
       m.month_start,
       round(coalesce(r.invoiced_cny, 0), 2) AS invoiced_cny,
       round(coalesce(r.outstanding_cny, 0), 2) AS outstanding_cny,
       round(coalesce(r.overdue_cny, 0), 2) AS overdue_cny,
       coalesce(r.overdue_count, 0) AS overdue_count,
       round(coalesce(p.receipts_cny, 0), 2) AS receipts_cny,
       round(coalesce(e.expenses_cny, 0), 2) AS expenses_cny,
       round(coalesce(s.gmv_cny, 0), 2) AS gmv_cny,
       round(coalesce(s.gross_profit_cny, 0), 2) AS gross_profit_cny,
       round(coalesce(s.net_profit_cny, 0), 2) AS net_profit_cny,
       round(coalesce(s.net_profit_cny, 0) - coalesce(e.expenses_cny, 0), 2) AS operating_profit_cny,
       round(coalesce(p.receipts_cny, 0) - coalesce(e.all_expenses_cny, 0), 2) AS net_cash_flow_cny
FROM months AS m
LEFT JOIN receivables AS r ON r.merchant_id = m.merchant_id AND r.month_start = m.month_start
LEFT JOIN receipts AS p ON p.merchant_id = m.merchant_id AND p.month_start = m.month_start
LEFT JOIN expenses AS e ON e.merchant_id = m.merchant_id AND e.month_start = m.month_start
LEFT JOIN sales AS s ON s.merchant_id = m.merchant_id AND s.month_start = m.month_start
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
