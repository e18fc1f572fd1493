-- dw.receivable_payment_status: the status of a receivable that is neither cancelled nor written off,
-- from what it is owed and what has been received: paid once fully received; else overdue when the
-- caller says it is past due; else partially_paid once anything is received; else open.
-- requires: nothing
-- The one rule that settling (dw.settle_receivables), the overdue check (dw.mark_overdue_receivables)
-- and a receivable as of a past day (mart.receivables_as_of) share; each decides "past due" its own
-- way (the stored status, the due date against a day). A plain SQL expression without SET: the
-- planner inlines it.

CREATE OR REPLACE FUNCTION dw.receivable_payment_status(amount numeric, received numeric, past_due boolean)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT CASE WHEN received >= amount THEN 'paid'
                WHEN past_due THEN 'overdue'
                WHEN received > 0 THEN 'partially_paid'
                ELSE 'open' END
$$;

COMMENT ON FUNCTION dw.receivable_payment_status(numeric, numeric, boolean) IS
    'Status of a receivable neither cancelled nor written off: paid when received >= amount, else overdue when past_due, else partially_paid when anything is received, else open.';
REVOKE EXECUTE ON FUNCTION dw.receivable_payment_status(numeric, numeric, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.receivable_payment_status(numeric, numeric, boolean) TO erp_writer, erp_reader;
