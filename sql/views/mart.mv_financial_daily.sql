-- mart.mv_financial_daily: finance per merchant and day: receivables invoiced, still outstanding
-- and overdue, money received, expenses, sales profit and operating profit.
-- requires: mart.mv_daily_sales, dw.fact_accounts_receivable, dw.receivable_counts_as_invoiced, dw.is_open_receivable, dw.fact_payment_receipts, dw.fact_expenses,
--           dw.order_fee_expenses, dw.receivable_outstanding_cny
-- The day grain lets a finance question over any window (the 15th to the 14th, the last 10 days)
-- be answered exactly, not rounded out to whole months; mart.mv_financial_overview sums these
-- days into months, so months and days always agree.
-- Receivables are dated by invoice date; outstanding and overdue are as of today (open, partially
-- paid or overdue items; overdue = due_date before today). Written-off and cancelled receivables
-- are excluded (dw.receivable_counts_as_invoiced, the rule the receivables list's totals share).
-- Each fee counts once: the order fees (dw.order_fee_expenses) and expenses imported with an
-- order_id are already in the orders' net_profit_cny, so expenses_cny and operating profit leave
-- them out; cash flow counts every expense, since the fees are paid either way (docs/metrics.md).
-- A change of an order's fees reaches this table through mart.mv_daily_sales: the orders' triggers
-- invalidate its day there, and its refresh passes the day on.
-- An incremental aggregate (docs/refresh.md): a table that only the refresh functions write,
-- filled by mart.mv_financial_daily_rows; a due refresh recomputes only the (merchant, day)
-- buckets that writes to the finance facts invalidated and the days mart.mv_daily_sales rewrote.
-- Overdue depends on the day: the table remembers the day it is computed as of
-- (ops.mv_registry.as_of_date), and when the date moved, mart.mv_financial_daily_date_moved logs
-- the invoice days of the open receivables that fell due in between, so the table always equals
-- a fresh computation.

SELECT ops.drop_mart_relation('mart.mv_financial_daily');

CREATE TABLE mart.mv_financial_daily (
    merchant_id           bigint  NOT NULL,
    day                   date    NOT NULL,
    invoiced_cny          numeric NOT NULL,
    outstanding_cny       numeric NOT NULL,
    overdue_cny           numeric NOT NULL,
    overdue_count         bigint  NOT NULL,
    receipts_cny          numeric NOT NULL,
    expenses_cny          numeric NOT NULL,
    all_expenses_cny      numeric NOT NULL,
    gmv_cny               numeric NOT NULL,
    gross_profit_cny      numeric NOT NULL,
    net_profit_cny        numeric NOT NULL,
    operating_profit_cny  numeric NOT NULL,
    net_cash_flow_cny     numeric NOT NULL
);

-- The aggregate's rows for some merchants (NULL: all) and the days first_day..last_day, with
-- outstanding and overdue as of the day as_of (today unless a test says otherwise).
CREATE FUNCTION mart.mv_financial_daily_rows(merchants bigint[], first_day date, last_day date, as_of date DEFAULT CURRENT_DATE)
RETURNS SETOF mart.mv_financial_daily
LANGUAGE sql
STABLE
BEGIN ATOMIC
WITH receivables AS (
    SELECT r.merchant_id, r.invoice_date AS day,
           sum(r.amount_cny) AS invoiced_cny,
           -- The balance in CNY by the one rule mart.receivables and write-offs count it by: what was booked
           -- less what was paid, each in CNY (rounding the balance on its own could differ by a cent).
           sum(dw.receivable_outstanding_cny(r.amount_cny, r.received_amount, r.exchange_rate))
               FILTER (WHERE dw.is_open_receivable(r.status)) AS outstanding_cny,
           sum(dw.receivable_outstanding_cny(r.amount_cny, r.received_amount, r.exchange_rate))
               FILTER (WHERE dw.is_open_receivable(r.status) AND r.due_date < as_of) AS overdue_cny,
           count(*) FILTER (WHERE dw.is_open_receivable(r.status) AND r.due_date < as_of) AS overdue_count
    FROM dw.fact_accounts_receivable AS r
    WHERE dw.receivable_counts_as_invoiced(r.status)
      AND (merchants IS NULL OR r.merchant_id = ANY (merchants))
      AND r.invoice_date BETWEEN first_day AND last_day
    GROUP BY r.merchant_id, r.invoice_date
),
receipts AS (
    SELECT p.merchant_id, p.receipt_date AS day, sum(p.amount_cny) AS receipts_cny
    FROM dw.fact_payment_receipts AS p
    WHERE (merchants IS NULL OR p.merchant_id = ANY (merchants))
      AND p.receipt_date BETWEEN first_day AND last_day
    GROUP BY p.merchant_id, p.receipt_date
),
expenses AS (
    SELECT e.merchant_id, e.day,
           sum(e.amount_cny) FILTER (WHERE e.order_id IS NULL) AS expenses_cny,
           sum(e.amount_cny) AS all_expenses_cny
    FROM (SELECT x.merchant_id, x.expense_date AS day, x.order_id, x.amount_cny
          FROM dw.fact_expenses AS x
          WHERE (merchants IS NULL OR x.merchant_id = ANY (merchants))
            AND x.expense_date BETWEEN first_day AND last_day
          UNION ALL
          SELECT f.merchant_id, f.expense_date, f.order_id, f.amount_cny
          FROM dw.order_fee_expenses(merchants, first_day, last_day) AS f) AS e
    GROUP BY e.merchant_id, e.day
),
sales AS (
    SELECT d.merchant_id, d.sales_date AS day,
           sum(d.gmv_cny) AS gmv_cny, sum(d.gross_profit_cny) AS gross_profit_cny, sum(d.net_profit_cny) AS net_profit_cny
    FROM mart.mv_daily_sales AS d
    WHERE (merchants IS NULL OR d.merchant_id = ANY (merchants))
      AND d.sales_date BETWEEN first_day AND last_day
    GROUP BY d.merchant_id, d.sales_date
),
days AS (
    SELECT receivables.merchant_id, receivables.day FROM receivables
    UNION SELECT receipts.merchant_id, receipts.day FROM receipts
    UNION SELECT expenses.merchant_id, expenses.day FROM expenses
    UNION SELECT sales.merchant_id, sales.day FROM sales
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
LEFT JOIN sales AS s ON s.merchant_id = d.merchant_id AND s.day = d.day;
END;

-- What moving the date from from_day to to_day changed: the invoice days of the open receivables
-- whose due date lies between (they became overdue, or stopped being so if the clock went back).
-- A plain SQL body, not BEGIN ATOMIC: it records no column dependencies, so a migration may change
-- what it reads without dropping it (this file re-creates it).
CREATE OR REPLACE FUNCTION mart.mv_financial_daily_date_moved(from_day date, to_day date)
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$
    INSERT INTO ops.agg_invalidations (view_name, merchant_id, first_day, last_day, source_name)
    SELECT 'mart.mv_financial_daily', r.merchant_id, r.invoice_date, r.invoice_date, 'date moved'
    FROM dw.fact_accounts_receivable AS r
    WHERE dw.is_open_receivable(r.status)
      AND r.merchant_id IN (SELECT m.merchant_id FROM dw.dim_merchants AS m)
      AND r.due_date >= LEAST(from_day, to_day) AND r.due_date < GREATEST(from_day, to_day)
    GROUP BY r.merchant_id, r.invoice_date;
$$;

INSERT INTO mart.mv_financial_daily SELECT * FROM mart.mv_financial_daily_rows(NULL, '-infinity', 'infinity');

CREATE UNIQUE INDEX mv_financial_daily_key ON mart.mv_financial_daily (merchant_id, day);
ANALYZE mart.mv_financial_daily;

COMMENT ON TABLE mart.mv_financial_daily IS 'Finance per merchant and day: receivables invoiced/outstanding/overdue, receipts, expenses, sales and operating profit, net cash flow: an incremental aggregate that only the refresh functions write. Base of mart.mv_financial_overview. Readers use mart.financial_daily.';
COMMENT ON COLUMN mart.mv_financial_daily.invoiced_cny IS 'Receivables invoiced that day (not written off or cancelled), in CNY.';
COMMENT ON COLUMN mart.mv_financial_daily.outstanding_cny IS 'Of those, what is still unpaid today (open, partially paid or overdue).';
COMMENT ON COLUMN mart.mv_financial_daily.overdue_cny IS 'Of the outstanding, what is past its due date today.';
COMMENT ON COLUMN mart.mv_financial_daily.receipts_cny IS 'Money received that day (dw.fact_payment_receipts).';
COMMENT ON COLUMN mart.mv_financial_daily.expenses_cny IS 'Expenses that day not tied to an order (order_id NULL), shop-attributed and merchant-wide; order fees are in net_profit_cny already.';
COMMENT ON COLUMN mart.mv_financial_daily.all_expenses_cny IS 'Every expense that day, order fees included (what net_cash_flow_cny subtracts).';
COMMENT ON COLUMN mart.mv_financial_daily.operating_profit_cny IS 'net_profit_cny of sales - expenses_cny: each order fee counted once.';
COMMENT ON COLUMN mart.mv_financial_daily.net_cash_flow_cny IS 'receipts_cny - all_expenses_cny.';
COMMENT ON FUNCTION mart.mv_financial_daily_rows(bigint[], date, date, date) IS 'The rows of mart.mv_financial_daily for the given merchants (NULL: all) and days, outstanding and overdue as of the given day (default today): what its refresh inserts.';
COMMENT ON FUNCTION mart.mv_financial_daily_date_moved(date, date) IS 'Date-moved function of mart.mv_financial_daily (ops.mv_registry.date_moved_function): logs the invoice days of the open receivables whose due date lies between the two days.';

REVOKE ALL ON mart.mv_financial_daily FROM PUBLIC;
-- Readers read the table itself under row level security (their scope), through mart.financial_daily.
SELECT ops.enable_reader_scope('mart.mv_financial_daily');
REVOKE EXECUTE ON FUNCTION mart.mv_financial_daily_rows(bigint[], date, date, date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION mart.mv_financial_daily_date_moved(date, date) FROM PUBLIC;

SELECT ops.register_aggregate('mart.mv_financial_daily', 'mart.mv_financial_daily_rows(bigint[], date, date, date)', 'day', 'day',
    '$default_refresh_interval$', '$default_stale_after$', 'Receivables, receipts, expenses and profit per merchant and day.');
UPDATE ops.mv_registry
SET date_moved_function = 'mart.mv_financial_daily_date_moved(date, date)', as_of_date = CURRENT_DATE
WHERE view_name = 'mart.mv_financial_daily';

-- security_invoker, not security_barrier: the table's policy scopes readers inside the plan, so
-- the view is flattened into the query. The filter scopes callers that row level security does
-- not (the owner, an app login that owns).
CREATE OR REPLACE VIEW mart.financial_daily WITH (security_invoker) AS
    SELECT * FROM mart.mv_financial_daily WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.financial_daily IS 'Reader view of mart.mv_financial_daily (security_invoker): the transaction''s merchant only, by its filter and, for readers, by the table''s row level security (ops.current_merchant_id()).';
GRANT SELECT ON mart.financial_daily TO erp_reader;
