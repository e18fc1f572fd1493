-- mart.mv_financial_daily: finance per merchant and day: receivables invoiced, still outstanding
-- and overdue, money received, expenses, sales profit and operating profit.
-- requires: mart.mv_daily_sales, dw.fact_accounts_receivable, dw.fact_payment_receipts, dw.fact_expenses
-- The day grain lets a finance question over any window (the 15th to the 14th, the last 10 days)
-- be answered exactly, not rounded out to whole months; mart.mv_financial_overview sums these
-- days into months, so months and days always agree.
-- Receivables are dated by invoice date; outstanding and overdue are as of today (open, partially
-- paid or overdue items; overdue = due_date before today), so the view changes daily and the
-- interval refresh keeps it current. Written-off and cancelled receivables are excluded.
-- Each fee counts once: expenses with order_id set (the order fees posting writes) are already in
-- the orders' net_profit_cny, so expenses_cny and operating profit leave them out; cash flow
-- counts every expense, since the fees are paid either way (docs/metrics.md).

DROP MATERIALIZED VIEW IF EXISTS mart.mv_financial_daily CASCADE;

CREATE MATERIALIZED VIEW mart.mv_financial_daily AS
WITH receivables AS (
    SELECT r.merchant_id, r.invoice_date AS day,
           sum(r.amount_cny) AS invoiced_cny,
           sum(round(r.outstanding_amount * r.exchange_rate, 2))
               FILTER (WHERE r.status IN ('open', 'partially_paid', 'overdue')) AS outstanding_cny,
           sum(round(r.outstanding_amount * r.exchange_rate, 2))
               FILTER (WHERE r.status IN ('open', 'partially_paid', 'overdue') AND r.due_date < CURRENT_DATE) AS overdue_cny,
           count(*) FILTER (WHERE r.status IN ('open', 'partially_paid', 'overdue') AND r.due_date < CURRENT_DATE) AS overdue_count
    FROM dw.fact_accounts_receivable AS r
    WHERE r.status NOT IN ('written_off', 'cancelled')
    GROUP BY r.merchant_id, r.invoice_date
),
receipts AS (
    SELECT p.merchant_id, p.receipt_date AS day, sum(p.amount_cny) AS receipts_cny
    FROM dw.fact_payment_receipts AS p
    GROUP BY p.merchant_id, p.receipt_date
),
expenses AS (
    SELECT e.merchant_id, e.expense_date AS day,
           sum(e.amount_cny) FILTER (WHERE e.order_id IS NULL) AS expenses_cny,
           sum(e.amount_cny) AS all_expenses_cny
    FROM dw.fact_expenses AS e
    GROUP BY e.merchant_id, e.expense_date
),
sales AS (
    SELECT d.merchant_id, d.sales_date AS day,
           sum(d.gmv_cny) AS gmv_cny, sum(d.gross_profit_cny) AS gross_profit_cny, sum(d.net_profit_cny) AS net_profit_cny
    FROM mart.mv_daily_sales AS d
    GROUP BY d.merchant_id, d.sales_date
),
days AS (
    SELECT merchant_id, day FROM receivables
    UNION SELECT merchant_id, day FROM receipts
    UNION SELECT merchant_id, day FROM expenses
    UNION SELECT merchant_id, day FROM sales
)
SELECT d.merchant_id,
       d.day,
       round(coalesce(r.invoiced_cny, 0), 2) AS invoiced_cny,
       round(coalesce(r.outstanding_cny, 0), 2) AS outstanding_cny,
       round(coalesce(r.overdue_cny, 0), 2) AS overdue_cny,
       coalesce(r.overdue_count, 0) AS overdue_count,
       round(coalesce(p.receipts_cny, 0), 2) AS receipts_cny,
       round(coalesce(e.expenses_cny, 0), 2) AS expenses_cny,
       round(coalesce(e.all_expenses_cny, 0), 2) AS all_expenses_cny,
       round(coalesce(s.gmv_cny, 0), 2) AS gmv_cny,
       round(coalesce(s.gross_profit_cny, 0), 2) AS gross_profit_cny,
       round(coalesce(s.net_profit_cny, 0), 2) AS net_profit_cny,
       round(coalesce(s.net_profit_cny, 0) - coalesce(e.expenses_cny, 0), 2) AS operating_profit_cny,
       round(coalesce(p.receipts_cny, 0) - coalesce(e.all_expenses_cny, 0), 2) AS net_cash_flow_cny
FROM days AS d
LEFT JOIN receivables AS r ON r.merchant_id = d.merchant_id AND r.day = d.day
LEFT JOIN receipts AS p ON p.merchant_id = d.merchant_id AND p.day = d.day
LEFT JOIN expenses AS e ON e.merchant_id = d.merchant_id AND e.day = d.day
LEFT JOIN sales AS s ON s.merchant_id = d.merchant_id AND s.day = d.day
WITH DATA;

CREATE UNIQUE INDEX mv_financial_daily_key ON mart.mv_financial_daily (merchant_id, day);

COMMENT ON MATERIALIZED VIEW mart.mv_financial_daily IS 'Finance per merchant and day: receivables invoiced/outstanding/overdue, receipts, expenses, sales and operating profit, net cash flow. Base of mart.mv_financial_overview. Readers use mart.financial_daily.';
COMMENT ON COLUMN mart.mv_financial_daily.invoiced_cny IS 'Receivables invoiced that day (not written off or cancelled), in CNY.';
COMMENT ON COLUMN mart.mv_financial_daily.outstanding_cny IS 'Of those, what is still unpaid today (open, partially paid or overdue).';
COMMENT ON COLUMN mart.mv_financial_daily.overdue_cny IS 'Of the outstanding, what is past its due date today.';
COMMENT ON COLUMN mart.mv_financial_daily.receipts_cny IS 'Money received that day (dw.fact_payment_receipts).';
COMMENT ON COLUMN mart.mv_financial_daily.expenses_cny IS 'Expenses that day not tied to an order (order_id NULL), shop-attributed and merchant-wide; order fees are in net_profit_cny already.';
COMMENT ON COLUMN mart.mv_financial_daily.all_expenses_cny IS 'Every expense that day, order fees included (what net_cash_flow_cny subtracts).';
COMMENT ON COLUMN mart.mv_financial_daily.operating_profit_cny IS 'net_profit_cny of sales - expenses_cny: each order fee counted once.';
COMMENT ON COLUMN mart.mv_financial_daily.net_cash_flow_cny IS 'receipts_cny - all_expenses_cny.';

REVOKE ALL ON mart.mv_financial_daily FROM PUBLIC;

SELECT ops.register_view('mart.mv_financial_daily', '$default_refresh_interval$', '$default_stale_after$', true,
    'Receivables, receipts, expenses and profit per merchant and day.');

CREATE OR REPLACE VIEW mart.financial_daily WITH (security_barrier) AS
    SELECT * FROM mart.mv_financial_daily WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.financial_daily IS 'Reader view of mart.mv_financial_daily: the transaction''s merchant only.';
GRANT SELECT ON mart.financial_daily TO erp_reader;
