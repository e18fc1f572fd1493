-- 0081_receivable_write_offs_dated: when a receivable was written off, so that receivables as of an earlier day count it as it
-- stood that day (docs/business-flows.md, "Receivables one by one"), as 0079 did for cancellations. erpdb writes no
-- receivable off: a DBA or an app sets status = 'written_off', which dw.settle_receivables keeps; the trigger dates it then
-- (or keeps the time the same UPDATE gives) and clears the date when the status leaves written_off.
-- requires: 0006_facts_inventory_finance (dw.fact_accounts_receivable), 0005_facts_sales (dw.fact_sales_orders),
--           0004_dimensions (dw.dim_merchants, dw.dim_shops), 0079_receivable_cancellations_dated (mart.receivables)
-- The trigger function is sql/functions/dw.date_receivable_write_off.sql; until it replaces this placeholder, later in the
-- same erpdb migrate, a write-off is not dated. A receivable written off before gets its last change (updated_at): the
-- write-off was recorded then or earlier, the closest the warehouse knows.

ALTER TABLE dw.fact_accounts_receivable ADD COLUMN written_off_at timestamptz;

UPDATE dw.fact_accounts_receivable SET written_off_at = updated_at WHERE status = 'written_off';

COMMENT ON COLUMN dw.fact_accounts_receivable.written_off_at IS 'When the receivable was written off: set when its status becomes written_off (an UPDATE may give the time itself), NULL while it is not. Receivables as of an earlier day count it as it stood then.';

CREATE FUNCTION dw.date_receivable_write_off()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RETURN NEW;
END
$$;

REVOKE EXECUTE ON FUNCTION dw.date_receivable_write_off() FROM PUBLIC;

-- Row triggers that fire only when the status enters or leaves written_off (their WHEN): no other write pays for them.
CREATE TRIGGER fact_accounts_receivable_date_write_off_insert BEFORE INSERT ON dw.fact_accounts_receivable
    FOR EACH ROW WHEN (NEW.status = 'written_off') EXECUTE FUNCTION dw.date_receivable_write_off();

CREATE TRIGGER fact_accounts_receivable_date_write_off_update BEFORE UPDATE OF status ON dw.fact_accounts_receivable
    FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status AND 'written_off' IN (NEW.status, OLD.status))
    EXECUTE FUNCTION dw.date_receivable_write_off();

CREATE OR REPLACE VIEW mart.receivables WITH (security_barrier) AS
    SELECT r.merchant_id, r.receivable_id, r.invoice_no, o.order_no, r.order_id, r.order_date,
           r.shop_id, s.shop_name, r.customer_id, r.currency_code, r.exchange_rate,
           r.amount, r.received_amount, r.outstanding_amount,
           r.amount_cny,
           round(r.received_amount * r.exchange_rate, 2) AS received_cny,
           r.amount_cny - round(r.received_amount * r.exchange_rate, 2) AS outstanding_cny,
           r.invoice_date, r.due_date, r.status, r.settled_at,
           r.cancelled_at,
           (r.cancelled_at AT TIME ZONE m.timezone)::date AS cancelled_on,
           r.written_off_at,
           (r.written_off_at AT TIME ZONE m.timezone)::date AS written_off_on
    FROM dw.fact_accounts_receivable AS r
    LEFT JOIN dw.dim_shops AS s ON s.merchant_id = r.merchant_id AND s.shop_id = r.shop_id
    LEFT JOIN dw.fact_sales_orders AS o
        ON o.merchant_id = r.merchant_id AND o.order_id = r.order_id AND o.order_date = r.order_date
    LEFT JOIN dw.dim_merchants AS m ON m.merchant_id = r.merchant_id
    WHERE r.merchant_id = (SELECT ops.current_merchant_id());

COMMENT ON COLUMN mart.receivables.written_off_at IS 'When the receivable was written off; NULL while it is not.';
COMMENT ON COLUMN mart.receivables.written_off_on IS 'The day of written_off_at in the merchant''s time zone: as of that day on, the receivable counts as written off.';
