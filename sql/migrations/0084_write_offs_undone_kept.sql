-- 0084_write_offs_undone_kept: a write-off undone keeps its period, as a cancellation that reopened does (0083), so that
-- receivables as of a day it covered count the receivable as written off that day. Before this, undoing a write-off (a DBA
-- setting the status back) cleared written_off_at, and a closed month's receivables list changed after the fact: the
-- receivable came back as outstanding on days it had been written off.
-- dw.fact_receivable_reopenings now keeps both kinds of closing: closed_as says which status the receivable left
-- (cancelled or written_off), closed_at when it had entered it (its cancelled_at or written_off_at then).
-- requires: 0083_receivable_reopenings (dw.fact_receivable_reopenings, its trigger, mart.receivable_reopenings),
--           0081_receivable_write_offs_dated (written_off_at), 0004_dimensions (dw.dim_merchants), ops.current_merchant_id (0010)
-- The trigger function is sql/functions/dw.record_receivable_reopening.sql, replaced later in the same erpdb migrate. The
-- write-offs undone before this migration were not kept: the warehouse does not know them.

DROP VIEW mart.receivable_reopenings;

ALTER TABLE dw.fact_receivable_reopenings RENAME COLUMN cancelled_at TO closed_at;
-- Every period kept so far is a cancellation's.
ALTER TABLE dw.fact_receivable_reopenings ADD COLUMN closed_as text NOT NULL DEFAULT 'cancelled'
    CONSTRAINT fact_receivable_reopenings_closed_as_known CHECK (closed_as IN ('cancelled', 'written_off'));
ALTER TABLE dw.fact_receivable_reopenings ALTER COLUMN closed_as DROP DEFAULT;
ALTER TABLE dw.fact_receivable_reopenings DROP CONSTRAINT fact_receivable_reopenings_pkey,
    ADD CONSTRAINT fact_receivable_reopenings_pkey PRIMARY KEY (merchant_id, receivable_id, closed_as, closed_at);
ALTER TABLE dw.fact_receivable_reopenings RENAME CONSTRAINT fact_receivable_reopenings_in_order TO fact_receivable_reopenings_reopened_after_closed;

COMMENT ON TABLE dw.fact_receivable_reopenings IS 'Each time a cancelled or written-off receivable reopened: which status it left (closed_as), when it had entered it (closed_at) and when it reopened. Written by a trigger on dw.fact_accounts_receivable; receivables as of an earlier day count it as cancelled or written off between the two.';
COMMENT ON COLUMN dw.fact_receivable_reopenings.closed_as IS 'The status the receivable left: cancelled (its order a sale, or invoiced, again) or written_off (the write-off undone).';
COMMENT ON COLUMN dw.fact_receivable_reopenings.closed_at IS 'The receivable''s cancelled_at or written_off_at while it was so.';
COMMENT ON COLUMN dw.fact_receivable_reopenings.reopened_at IS 'When it reopened: a cancellation by the last change of its order (updated_at, as cancellations are dated), or the time of the update when it has no order; a write-off by the time of the update that undid it. Never before closed_at.';

-- Fires only when a status leaves cancelled or written_off (its WHEN): no other write pays for it.
DROP TRIGGER fact_accounts_receivable_record_reopening ON dw.fact_accounts_receivable;
CREATE TRIGGER fact_accounts_receivable_record_reopening AFTER UPDATE OF status ON dw.fact_accounts_receivable
    FOR EACH ROW WHEN (OLD.status IN ('cancelled', 'written_off') AND NEW.status IS DISTINCT FROM OLD.status)
    EXECUTE FUNCTION dw.record_receivable_reopening();

-- The reader view, as before (0083): it runs as its owner and filters by the transaction's merchant itself.
CREATE VIEW mart.receivable_reopenings WITH (security_barrier) AS
    SELECT h.merchant_id, h.receivable_id, h.closed_as, h.closed_at,
           (h.closed_at AT TIME ZONE m.timezone)::date AS closed_on,
           h.reopened_at,
           (h.reopened_at AT TIME ZONE m.timezone)::date AS reopened_on
    FROM dw.fact_receivable_reopenings AS h
    LEFT JOIN dw.dim_merchants AS m ON m.merchant_id = h.merchant_id
    WHERE h.merchant_id = (SELECT ops.current_merchant_id());

COMMENT ON VIEW mart.receivable_reopenings IS 'Reader view of dw.fact_receivable_reopenings: the transaction''s merchant''s receivables that were cancelled or written off and reopened, with the days in the merchant''s time zone.';
COMMENT ON COLUMN mart.receivable_reopenings.closed_on IS 'The day of closed_at in the merchant''s time zone, as mart.receivables.cancelled_on and written_off_on.';
COMMENT ON COLUMN mart.receivable_reopenings.reopened_on IS 'The day of reopened_at in the merchant''s time zone: cancelled or written off before that day, outstanding again from it.';
REVOKE ALL ON mart.receivable_reopenings FROM PUBLIC;
GRANT SELECT ON mart.receivable_reopenings TO erp_reader;
