-- dw.mark_overdue_receivables: the overdue check (daily): an open or partially paid receivable
-- past its due date with something outstanding becomes overdue and gets an overdue_receivable
-- alert; an overdue receivable whose due date is no longer past (its order's date was corrected, so
-- its due date moved) is open again, or partially paid; the open alerts of receivables no longer
-- overdue (paid, cancelled, written off, due again) resolve.
-- requires: dw.alerts (0017_business_flows), dw.fact_accounts_receivable, dw.receivable_payment_status
-- Subject: the invoice number, else receivable:<receivable_id>. dw.settle_receivables resolves
-- the alert at once when a payment settles the receivable.

CREATE OR REPLACE FUNCTION dw.mark_overdue_receivables(as_of date DEFAULT CURRENT_DATE, merchant bigint DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    marked integer;
BEGIN
    UPDATE dw.fact_accounts_receivable AS r
    SET status = dw.receivable_payment_status(r.amount, r.received_amount, false)
    -- Fully received is dw.settle_receivables' to mark paid, with settled_at and the order's is_paid.
    WHERE r.status = 'overdue' AND r.due_date >= as_of AND r.received_amount < r.amount
      AND (merchant IS NULL OR r.merchant_id = merchant);

    UPDATE dw.fact_accounts_receivable AS r
    SET status = 'overdue'
    WHERE r.status IN ('open', 'partially_paid') AND r.due_date < as_of AND r.outstanding_amount > 0
      AND (merchant IS NULL OR r.merchant_id = merchant);
    GET DIAGNOSTICS marked = ROW_COUNT;

    INSERT INTO dw.alerts AS a (kind, merchant_id, subject, details)
    SELECT 'overdue_receivable', r.merchant_id, coalesce(r.invoice_no, 'receivable:' || r.receivable_id),
           jsonb_build_object('receivable_id', r.receivable_id, 'invoice_no', r.invoice_no, 'order_id', r.order_id,
                              'due_date', r.due_date, 'currency', r.currency_code,
                              'outstanding', r.outstanding_amount, 'days_overdue', as_of - r.due_date)
    FROM dw.fact_accounts_receivable AS r
    WHERE r.status = 'overdue' AND (merchant IS NULL OR r.merchant_id = merchant)
    ON CONFLICT (kind, merchant_id, subject) WHERE resolved_at IS NULL DO UPDATE
        SET details = EXCLUDED.details
        WHERE a.details IS DISTINCT FROM EXCLUDED.details;

    PERFORM dw.resolve_receivable_alerts(merchant);
    RETURN marked;
END
$$;

COMMENT ON FUNCTION dw.mark_overdue_receivables(date, bigint) IS
    'The overdue check: marks open/partially paid receivables past due (as of a day, default today) overdue and overdue ones no longer past due open again, raises an overdue_receivable alert per overdue receivable and resolves those no longer overdue; one merchant or all. Returns the receivables marked.';
REVOKE EXECUTE ON FUNCTION dw.mark_overdue_receivables(date, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.mark_overdue_receivables(date, bigint) TO erp_writer;
