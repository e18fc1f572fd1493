-- dw.record_receivable_reopening: row trigger on dw.fact_accounts_receivable (AFTER UPDATE OF status, only when the status
-- leaves cancelled or written_off: 0083_receivable_reopenings, 0084_write_offs_undone_kept) that keeps the closing the
-- receivable is losing: which status it leaves, when it entered it (OLD.cancelled_at or OLD.written_off_at) and when it
-- reopened. mart.receivables_as_of reads them: as of a day between the two, the receivable counts as cancelled or written off.
-- requires: dw.fact_receivable_reopenings.closed_as (0084_write_offs_undone_kept), dw.fact_sales_orders
-- A cancellation's reopening is dated as cancellations are (dw.settle_receivables): by its order's last change, the import
-- or edit that made it a sale again (or invoiced again); now() for a receivable without an order. A write-off's undoing is
-- an act on the receivable itself, not on its order: now(). Never before the closing it ends (one dated by hand after its
-- order's last change, or in the future). A closing of unknown time (cancelled_at NULL, not written since 0079) is not
-- kept: there is no day to count it from.

CREATE OR REPLACE FUNCTION dw.record_receivable_reopening()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    closed timestamptz := CASE OLD.status WHEN 'cancelled' THEN OLD.cancelled_at ELSE OLD.written_off_at END;
    reopened timestamptz := now();
BEGIN
    IF closed IS NULL THEN
        RETURN NULL;
    END IF;
    IF OLD.status = 'cancelled' THEN
        reopened := coalesce((SELECT o.updated_at FROM dw.fact_sales_orders AS o
                               WHERE o.merchant_id = OLD.merchant_id AND o.order_id = OLD.order_id
                                 AND o.order_date = OLD.order_date), reopened);
    END IF;
    INSERT INTO dw.fact_receivable_reopenings (merchant_id, receivable_id, closed_as, closed_at, reopened_at)
    VALUES (OLD.merchant_id, OLD.receivable_id, OLD.status, closed, greatest(closed, reopened))
    -- Closed and reopened twice with the same closing time (within one transaction): one period.
    ON CONFLICT (merchant_id, receivable_id, closed_as, closed_at) DO UPDATE SET reopened_at = EXCLUDED.reopened_at;
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION dw.record_receivable_reopening() IS
    'Trigger: when a receivable''s status leaves cancelled or written_off, records the closing it ends (the status, its cancelled_at or written_off_at) and when it reopened (a cancellation: its order''s last change; a write-off: now) in dw.fact_receivable_reopenings.';
REVOKE EXECUTE ON FUNCTION dw.record_receivable_reopening() FROM PUBLIC;
