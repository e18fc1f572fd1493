-- 0083_receivable_reopenings: the cancellations of receivables that reopened, so that receivables as of a past day count one
-- that was cancelled on that day as cancelled, although it has reopened since (docs/business-flows.md, "Receivables one by
-- one"). A receivable keeps only its current cancellation (cancelled_at, 0079), which it loses when it reopens (its order a
-- sale again, or invoiced again): before this, such a receivable counted as outstanding on the days it was cancelled.
-- requires: 0006_facts_inventory_finance (dw.fact_accounts_receivable), 0079_receivable_cancellations_dated (cancelled_at),
--           0004_dimensions (dw.dim_merchants), ops.enable_merchant_isolation, ops.current_merchant_id (0010)
-- The trigger function is sql/functions/dw.record_receivable_reopening.sql; until it replaces this placeholder, later in the
-- same erpdb migrate, a reopening is not recorded. The reopenings before this migration were not kept: the warehouse does not
-- know them.

CREATE TABLE dw.fact_receivable_reopenings (
    merchant_id   bigint      NOT NULL,
    receivable_id bigint      NOT NULL,
    cancelled_at  timestamptz NOT NULL,
    reopened_at   timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT fact_receivable_reopenings_pkey PRIMARY KEY (merchant_id, receivable_id, cancelled_at),
    CONSTRAINT fact_receivable_reopenings_receivable_fkey FOREIGN KEY (merchant_id, receivable_id)
        REFERENCES dw.fact_accounts_receivable (merchant_id, receivable_id) ON DELETE CASCADE,
    CONSTRAINT fact_receivable_reopenings_in_order CHECK (reopened_at >= cancelled_at)
);

COMMENT ON TABLE dw.fact_receivable_reopenings IS 'Each time a cancelled receivable reopened: when it had been cancelled (its cancelled_at then) and when it reopened (its order''s change that reopened it). Written by a trigger on dw.fact_accounts_receivable; receivables as of an earlier day count it as cancelled between the two.';
COMMENT ON COLUMN dw.fact_receivable_reopenings.cancelled_at IS 'The receivable''s cancelled_at while it was cancelled.';
COMMENT ON COLUMN dw.fact_receivable_reopenings.reopened_at IS 'When it reopened: the last change of its order (updated_at, as cancellations are dated), or the time of the update when it has no order; never before cancelled_at.';

SELECT ops.enable_merchant_isolation('dw.fact_receivable_reopenings');

CREATE FUNCTION dw.record_receivable_reopening()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RETURN NULL;
END
$$;

REVOKE EXECUTE ON FUNCTION dw.record_receivable_reopening() FROM PUBLIC;

-- A row trigger that fires only when a status leaves cancelled (its WHEN): no other write pays for it.
CREATE TRIGGER fact_accounts_receivable_record_reopening AFTER UPDATE OF status ON dw.fact_accounts_receivable
    FOR EACH ROW WHEN (OLD.status = 'cancelled' AND NEW.status <> 'cancelled')
    EXECUTE FUNCTION dw.record_receivable_reopening();

-- The reader view, as mart.receivables (0021): it runs as its owner and filters by the transaction's merchant itself.
CREATE VIEW mart.receivable_reopenings WITH (security_barrier) AS
    SELECT h.merchant_id, h.receivable_id, h.cancelled_at,
           (h.cancelled_at AT TIME ZONE m.timezone)::date AS cancelled_on,
           h.reopened_at,
           (h.reopened_at AT TIME ZONE m.timezone)::date AS reopened_on
    FROM dw.fact_receivable_reopenings AS h
    LEFT JOIN dw.dim_merchants AS m ON m.merchant_id = h.merchant_id
    WHERE h.merchant_id = (SELECT ops.current_merchant_id());

COMMENT ON VIEW mart.receivable_reopenings IS 'Reader view of dw.fact_receivable_reopenings: the transaction''s merchant''s receivables that were cancelled and reopened, with the days in the merchant''s time zone.';
COMMENT ON COLUMN mart.receivable_reopenings.cancelled_on IS 'The day of cancelled_at in the merchant''s time zone, as mart.receivables.cancelled_on.';
COMMENT ON COLUMN mart.receivable_reopenings.reopened_on IS 'The day of reopened_at in the merchant''s time zone: cancelled before that day, outstanding again from it.';
REVOKE ALL ON mart.receivable_reopenings FROM PUBLIC;
GRANT SELECT ON mart.receivable_reopenings TO erp_reader;
