-- dw.write_off_receivables: an accountant's write-off of bad debts (erpdb post --write-off, ErpDatabase.WriteOffAsync):
-- the receivables of one merchant's named invoices, each still owing something, become written_off as of a time (default
-- now), and their overdue alerts resolve.
-- requires: dw.fact_accounts_receivable, dw.fact_accounts_receivable.written_off_at (0081_receivable_write_offs_dated),
--           dw.resolve_receivable_alerts, dw.receivable_outstanding_cny (0082_receivable_cny_in_one_place)
-- All or nothing, every refusal naming the invoice: a number the merchant has no receivable for, one that owes nothing
-- (paid or cancelled), or a time before its invoice date or after now fails the run, and nothing changes. A receivable
-- written off already is left as it is, with its own date: running it twice changes nothing the second time.
-- The write-off is dated by written_off_at (the trigger dw.date_receivable_write_off keeps the time given here), so that
-- erpdb receivables --as-of an earlier day still counts the receivable as it stood then (mart.receivables_as_of). A
-- payment that arrives later is still applied to it (dw.settle_receivables keeps the status written_off).
-- Returns the receivables written off by this call and what they still owed, in CNY (dw.receivable_outstanding_cny: booked
-- less received, each in CNY, the rule mart.receivables and finance count a balance by).

CREATE OR REPLACE FUNCTION dw.write_off_receivables(
    merchant bigint,
    invoice_numbers text[],
    written_off timestamptz DEFAULT now(),
    OUT receivables integer,
    OUT outstanding_cny numeric,
    OUT alerts_resolved integer)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    refused record;
BEGIN
    IF written_off > now() THEN
        RAISE EXCEPTION 'a write-off cannot be dated in the future: % is after now (%); give a time up to now, or none for now', written_off, now()
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    -- Each number once, with its receivable (locked against a payment settling it meanwhile), or none.
    SELECT n.invoice_no, r.status, r.invoice_date INTO refused
    FROM (SELECT DISTINCT i AS invoice_no FROM unnest(invoice_numbers) AS i) AS n
    LEFT JOIN LATERAL (
        SELECT r.status, r.invoice_date FROM dw.fact_accounts_receivable AS r
        WHERE r.merchant_id = merchant AND r.invoice_no = n.invoice_no
        FOR UPDATE) AS r ON true
    WHERE r.status IS NULL OR r.status IN ('paid', 'cancelled')
       OR (r.status <> 'written_off' AND written_off < r.invoice_date)
    ORDER BY n.invoice_no
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION '%', CASE
            WHEN refused.status IS NULL THEN format('invoice_no %s is not a receivable of merchant %s: check the number and the merchant (erpdb receivables --status all lists them)', refused.invoice_no, merchant)
            WHEN refused.status IN ('paid', 'cancelled') THEN format('invoice_no %s is %s: it owes nothing to write off', refused.invoice_no, refused.status)
            ELSE format('invoice_no %s was invoiced on %s, after the write-off''s time %s: date the write-off on or after its invoice date', refused.invoice_no, refused.invoice_date, written_off)
            END
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Nothing was written off.';
    END IF;

    WITH written AS (
        UPDATE dw.fact_accounts_receivable AS r
        SET status = 'written_off', written_off_at = written_off
        WHERE r.merchant_id = merchant AND r.invoice_no = ANY (invoice_numbers) AND r.status <> 'written_off'
        RETURNING dw.receivable_outstanding_cny(r.amount_cny, r.received_amount, r.exchange_rate) AS owed_cny
    )
    SELECT count(*), coalesce(sum(w.owed_cny), 0) INTO receivables, outstanding_cny FROM written AS w;
    alerts_resolved := dw.resolve_receivable_alerts(merchant);
END
$$;

COMMENT ON FUNCTION dw.write_off_receivables(bigint, text[], timestamptz) IS
    'Writes off the receivables of a merchant''s invoices that still owe something, as of a time (default now); refuses, naming it, an unknown invoice, one paid or cancelled, or a time before its invoice date or in the future. Returns the receivables written off, their outstanding CNY and the overdue alerts resolved.';
REVOKE EXECUTE ON FUNCTION dw.write_off_receivables(bigint, text[], timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.write_off_receivables(bigint, text[], timestamptz) TO erp_writer;
