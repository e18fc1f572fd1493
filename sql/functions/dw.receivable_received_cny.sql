-- dw.receivable_received_cny: how much of a receivable was received, in CNY.
-- requires: nothing (it reads no table; its arguments are dw.fact_accounts_receivable.received_amount and
--           exchange_rate of 0006_facts_inventory_finance)
-- The one rule for converting what a receivable was paid: received amounts are in the receivable's currency
-- (a payment in another currency is refused at import), so they convert at the receivable's own rate, rounded
-- to cents, as its amount_cny is. What it still owes in CNY is amount_cny less this
-- (dw.receivable_outstanding_cny). Every figure that converts a receivable's receipts calls it: mart.receivables
-- (received_cny), mart.receivables_as_of (received as of a day) and, through dw.receivable_outstanding_cny,
-- finance and write-offs (docs/metrics.md, "A receivable's balance in CNY").
-- Created by migration 0082_receivable_cny_in_one_place, because mart.receivables calls it; this file is its
-- live definition. A single SELECT in LANGUAGE sql, IMMUTABLE, without SET, STRICT or SECURITY DEFINER, so the
-- planner inlines it into the calling query. Readers may call it: mart.receivables runs it as them.
-- Changing the rule: edit this file, migrate, then `erpdb refresh --all` (mart.mv_financial_daily holds days
-- computed under the old rule until then).

CREATE OR REPLACE FUNCTION dw.receivable_received_cny(received_amount numeric, exchange_rate numeric)
RETURNS numeric
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT round(received_amount * exchange_rate, 2)
$$;

COMMENT ON FUNCTION dw.receivable_received_cny(numeric, numeric) IS
    'What was received of a receivable, in CNY: received_amount (in the receivable''s currency) at the receivable''s exchange_rate, rounded to cents. The one conversion of a receivable''s receipts (mart.receivables, receivables as of a day, finance, write-offs). Reads no table.';
REVOKE EXECUTE ON FUNCTION dw.receivable_received_cny(numeric, numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.receivable_received_cny(numeric, numeric) TO erp_reader, erp_writer;
