-- mart.mv_financial_overview: finance per merchant and month: receivables invoiced, still
-- outstanding and overdue, money received, expenses, sales profit and operating profit.
-- requires: mart.mv_financial_daily
-- Summed from mart.mv_financial_daily, never from the facts, so days and months always agree; the
-- rules (invoice-date grouping, outstanding and overdue as of today, each fee counted once) are
-- that view's. Amounts are sums of the days' rounded amounts.
-- An incremental aggregate (docs/refresh.md): the refresh of mart.mv_financial_daily logs the days
-- it rewrote (those whose receivables fell due included); this one widens them to whole months and
-- recomputes only those.

SELECT ops.drop_mart_relation('mart.mv_financial_overview');

CREATE TABLE mart.mv_financial_overview (
    merchant_id           bigint  NOT NULL,
    month_start           date    NOT NULL,
    invoiced_cny          numeric,
    outstanding_cny       numeric,
    overdue_cny           numeric,
    overdue_count         bigint,
    receipts_cny          numeric,
    expenses_cny          numeric,
    gmv_cny               numeric,
    gross_profit_cny      numeric,
    net_profit_cny        numeric,
    operating_profit_cny  numeric,
    net_cash_flow_cny     numeric
);

-- The aggregate's rows for some merchants (NULL: all) and the months within first_day..last_day
-- (the refresh passes whole months).
CREATE FUNCTION mart.mv_financial_overview_rows(merchants bigint[], first_day date, last_day date)
RETURNS SETOF mart.mv_financial_overview
LANGUAGE sql
STABLE
BEGIN ATOMIC
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
WHERE (merchants IS NULL OR d.merchant_id = ANY (merchants))
  AND d.day BETWEEN first_day AND last_day
GROUP BY d.merchant_id, date_trunc('month', d.day);
END;

INSERT INTO mart.mv_financial_overview SELECT * FROM mart.mv_financial_overview_rows(NULL, '-infinity', 'infinity');

CREATE UNIQUE INDEX mv_financial_overview_key ON mart.mv_financial_overview (merchant_id, month_start);
ANALYZE mart.mv_financial_overview;

COMMENT ON TABLE mart.mv_financial_overview IS 'Finance per merchant and month: receivables invoiced/outstanding/overdue, receipts, expenses, sales and operating profit, net cash flow, summed from mart.mv_financial_daily: an incremental aggregate that only the refresh functions write. Readers use mart.financial_overview.';
COMMENT ON COLUMN mart.mv_financial_overview.invoiced_cny IS 'Receivables invoiced that month (not written off or cancelled), in CNY.';
COMMENT ON COLUMN mart.mv_financial_overview.outstanding_cny IS 'Of those, what is still unpaid today (open, partially paid or overdue).';
COMMENT ON COLUMN mart.mv_financial_overview.overdue_cny IS 'Of the outstanding, what is past its due date today.';
COMMENT ON COLUMN mart.mv_financial_overview.receipts_cny IS 'Money received that month (dw.fact_payment_receipts).';
COMMENT ON COLUMN mart.mv_financial_overview.expenses_cny IS 'Expenses that month not tied to an order (order_id NULL), shop-attributed and merchant-wide; order fees are in net_profit_cny already.';
COMMENT ON COLUMN mart.mv_financial_overview.operating_profit_cny IS 'net_profit_cny of sales - expenses_cny: each order fee counted once.';
COMMENT ON COLUMN mart.mv_financial_overview.net_cash_flow_cny IS 'receipts_cny - every expense that month, order fees included.';
COMMENT ON FUNCTION mart.mv_financial_overview_rows(bigint[], date, date) IS 'The rows of mart.mv_financial_overview for the given merchants (NULL: all) and the months within the given days: what its refresh inserts.';

REVOKE ALL ON mart.mv_financial_overview FROM PUBLIC;
-- Readers read the table itself under row level security (their scope), through mart.financial_overview.
SELECT ops.enable_reader_scope('mart.mv_financial_overview');
REVOKE EXECUTE ON FUNCTION mart.mv_financial_overview_rows(bigint[], date, date) FROM PUBLIC;

SELECT ops.register_aggregate('mart.mv_financial_overview', 'mart.mv_financial_overview_rows(bigint[], date, date)', 'month_start', 'month',
    '$default_refresh_interval$', '$default_stale_after$', 'Receivables, receipts, expenses and profit per merchant and month, from mart.mv_financial_daily.');

-- security_invoker, not security_barrier: the table's policy scopes readers inside the plan, so
-- the view is flattened into the query. The filter scopes callers that row level security does
-- not (the owner, an app login that owns).
CREATE OR REPLACE VIEW mart.financial_overview WITH (security_invoker) AS
    SELECT * FROM mart.mv_financial_overview WHERE merchant_id = (SELECT ops.current_merchant_id());
COMMENT ON VIEW mart.financial_overview IS 'Reader view of mart.mv_financial_overview (security_invoker): the transaction''s merchant only, by its filter and, for readers, by the table''s row level security (ops.current_merchant_id()).';
GRANT SELECT ON mart.financial_overview TO erp_reader;
