-- dw.record_receivable_reopening: row trigger on dw.fact_accounts_receivable (AFTER UPDATE OF status, only when the status
-- leaves cancelled: 0083_receivable_reopenings) that keeps the cancellation the receivable is losing: when it was cancelled
-- (OLD.cancelled_at) and when it reopened. mart.receivables_as_of reads them: as of a day between the two, the receivable
-- counts as cancelled.
-- requires: dw.fact_receivable_reopenings (0083_receivable_reopenings), dw.fact_sales_orders
-- The reopening is dated as cancellations are (dw.settle_receivables): by its order's last change, the import or edit that
-- made it a sale again (or invoiced again); now() for a receivable without an order. Never before the cancellation it ends
-- (a cancellation dated by hand after its order's last change). A cancellation of unknown time (cancelled_at NULL, not
-- written since 0079) is not kept: there is no day to count it from.

CREATE OR REPLACE FUNCTION dw.record_receivable_reopening()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF OLD.cancelled_at IS NOT NULL THEN
        INSERT INTO dw.fact_receivable_reopenings (merchant_id, receivable_id, cancelled_at, reopened_at)
        SELECT OLD.merchant_id, OLD.receivable_id, OLD.cancelled_at,
               greatest(OLD.cancelled_at, coalesce((SELECT o.updated_at FROM dw.fact_sales_orders AS o
                                                     WHERE o.merchant_id = OLD.merchant_id AND o.order_id = OLD.order_id
                                                       AND o.order_date = OLD.order_date), now()))
        -- Cancelled and reopened twice with the same cancellation time (within one transaction): one period.
        ON CONFLICT (merchant_id, receivable_id, cancelled_at) DO UPDATE SET reopened_at = EXCLUDED.reopened_at;
    END IF;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION dw.record_receivable_reopening() IS
    'Trigger: when a receivable''s status leaves cancelled, records the cancellation it ends (its cancelled_at) and when it reopened (its order''s last change) in dw.fact_receivable_reopenings.';
REVOKE EXECUTE ON FUNCTION dw.record_receivable_reopening() FROM PUBLIC;
