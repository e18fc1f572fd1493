-- dw.receivable_outstanding_cny: how much of a receivable is still owed, in CNY.
-- requires: dw.receivable_received_cny (it reads no table; its arguments are dw.fact_accounts_receivable.amount_cny,
--           received_amount and exchange_rate of 0006_facts_inventory_finance)
-- The one rule for a receivable's balance in CNY: what was booked (amount_cny) less what was received
-- (dw.receivable_received_cny: received amounts are in the receivable's currency, converted at its rate and rounded
-- to cents), as the balance in its own currency is amount - received_amount. Not that balance converted and rounded
-- on its own: the booked and received figures are each rounded to cents, and the balance rounded on its own can
-- differ from their difference by a cent (USD 100.00 paid 25.00 at 7.1234: 712.34 - 178.09 = 534.25 owed, where
-- 75.00 at 7.1234 rounds to 534.26). Every figure of what receivables owe in CNY calls it: mart.receivables
-- (outstanding_cny), mart.receivables_as_of, finance's outstanding and overdue (mart.mv_financial_daily) and what a
-- write-off returns (dw.write_off_receivables), so they agree to the cent (docs/metrics.md, "A receivable's
-- balance in CNY").
-- Created by migration 0082_receivable_cny_in_one_place, because mart.receivables calls it; this file is its live
-- definition. A single SELECT in LANGUAGE sql, IMMUTABLE, without SET, STRICT or SECURITY DEFINER, so the planner
-- inlines it, and dw.receivable_received_cny in it, into the calling query. Readers may call it: mart.receivables
-- runs it as them.
-- Changing the rule: edit this file, migrate, then `erpdb refresh --all` (mart.mv_financial_daily holds days
-- computed under the old rule until then).

CREATE OR REPLACE FUNCTION dw.receivable_outstanding_cny(amount_cny numeric, received_amount numeric, exchange_rate numeric)
RETURNS numeric
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT amount_cny - dw.receivable_received_cny(received_amount, exchange_rate)
$$;

COMMENT ON FUNCTION dw.receivable_outstanding_cny(numeric, numeric, numeric) IS
    'What a receivable still owes, in CNY: amount_cny less dw.receivable_received_cny(received_amount, exchange_rate), so booked, received and owed add up to the cent. The one rule of a receivable''s balance in CNY (mart.receivables, receivables as of a day, finance, write-offs). Reads no table.';
REVOKE EXECUTE ON FUNCTION dw.receivable_outstanding_cny(numeric, numeric, numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.receivable_outstanding_cny(numeric, numeric, numeric) TO erp_reader, erp_writer;
