-- dw.receivable_counts_as_invoiced: whether a receivable's amount counts as invoiced: every status
-- but cancelled (its order was withdrawn, cancelled, refunded or returned) and written off.
-- requires: nothing
-- The one rule that finance (mart.mv_financial_daily, "invoiced") and the receivables list's totals
-- (sql/queries/receivables.sql) share, so the two never disagree. A plain SQL expression without
-- SET: the planner inlines it.

CREATE OR REPLACE FUNCTION dw.receivable_counts_as_invoiced(status text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT status NOT IN ('cancelled', 'written_off')
$$;

COMMENT ON FUNCTION dw.receivable_counts_as_invoiced(text) IS
    'True when a receivable of this status counts in invoiced amounts (finance, the receivables list''s totals): every status but cancelled and written_off.';
GRANT EXECUTE ON FUNCTION dw.receivable_counts_as_invoiced(text) TO erp_writer, erp_reader;
