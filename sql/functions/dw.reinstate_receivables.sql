-- dw.reinstate_receivables: undoes an accountant's write-off (erpdb post --reinstate, ErpDatabase.ReinstateAsync): the
-- written-off receivables of one merchant's named invoices owe again. Each takes the status its receipts and its order give
-- it (dw.settle_receivables: paid, partially paid, open, or cancelled when its order is no longer a sale), then the overdue
-- check marks it overdue when it is past due and raises its alert (dw.mark_overdue_receivables, run for the merchant, as the
-- daily check would).
-- requires: dw.fact_accounts_receivable, dw.settle_receivables, dw.mark_overdue_receivables, dw.receivable_outstanding_cny
--           (0082_receivable_cny_in_one_place), dw.record_receivable_reopening (0084_write_offs_undone_kept)
-- The write-off keeps its period (dw.record_receivable_reopening): erpdb receivables --as-of a day it covered still counts the
-- receivable written off, so a closed month's list does not change; from today it is outstanding again.
-- All or nothing: a number the merchant has no receivable for fails the run naming it, and nothing changes. One that is not
-- written off is left as it is, so running it twice changes nothing the second time.
-- Returns the receivables reinstated, what they owe now in CNY (dw.receivable_outstanding_cny, as write-offs count it; none
-- for one cancelled meanwhile) and how many of them are overdue.

CREATE OR REPLACE FUNCTION dw.reinstate_receivables(
    merchant bigint,
    invoice_numbers text[],
    OUT receivables integer,
    OUT outstanding_cny numeric,
    OUT overdue integer)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    unknown    text;
    reinstated bigint[];
BEGIN
    SELECT n.invoice_no INTO unknown
    FROM (SELECT DISTINCT i AS invoice_no FROM unnest(invoice_numbers) AS i) AS n
    WHERE NOT EXISTS (SELECT FROM dw.fact_accounts_receivable AS r WHERE r.merchant_id = merchant AND r.invoice_no = n.invoice_no)
    ORDER BY n.invoice_no
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION '%', format('invoice_no %s is not a receivable of merchant %s: check the number and the merchant (erpdb receivables --status all lists them)', unknown, merchant)
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Nothing was reinstated.';
    END IF;

    -- open only for a moment: dw.settle_receivables keeps written_off, and gives every other status from the receipts.
    WITH reopened AS (
        UPDATE dw.fact_accounts_receivable AS r
        SET status = 'open'
        WHERE r.merchant_id = merchant AND r.invoice_no = ANY (invoice_numbers) AND r.status = 'written_off'
        RETURNING r.receivable_id
    )
    SELECT array_agg(o.receivable_id) INTO reinstated FROM reopened AS o;
    receivables := coalesce(cardinality(reinstated), 0);
    IF receivables > 0 THEN
        PERFORM dw.settle_receivables(merchant, reinstated);
        PERFORM dw.mark_overdue_receivables(CURRENT_DATE, merchant);
    END IF;

    SELECT coalesce(sum(dw.receivable_outstanding_cny(r.amount_cny, r.received_amount, r.exchange_rate)) FILTER (WHERE r.status <> 'cancelled'), 0),
           count(*) FILTER (WHERE r.status = 'overdue')
    INTO outstanding_cny, overdue
    FROM dw.fact_accounts_receivable AS r
    WHERE r.merchant_id = merchant AND r.receivable_id = ANY (reinstated);
END
$$;

COMMENT ON FUNCTION dw.reinstate_receivables(bigint, text[]) IS
    'Undoes the write-off of a merchant''s written-off invoices: each takes the status its receipts and order give it, and is marked overdue (with its alert) when past due; the write-off''s period is kept for as-of days. Refuses, naming it, an invoice the merchant does not have; leaves one not written off as it is. Returns the receivables reinstated, what they owe in CNY, and how many are overdue.';
REVOKE EXECUTE ON FUNCTION dw.reinstate_receivables(bigint, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.reinstate_receivables(bigint, text[]) TO erp_writer;
