-- 0082_receivable_cny_in_one_place: a receivable's received and outstanding CNY are counted by one rule, two functions,
-- instead of the same expressions written in mart.receivables, finance (mart.mv_financial_daily) and write-offs
-- (dw.write_off_receivables): dw.receivable_received_cny (received amounts are in the receivable's currency, converted at
-- its rate and rounded to cents) and dw.receivable_outstanding_cny (amount_cny less that; docs/metrics.md, "A receivable's
-- balance in CNY"). mart.receivables is 0081's view with its two CNY expressions replaced by the calls, which give the same
-- values and the same column types (numeric); CREATE OR REPLACE VIEW keeps its owner, comments and grants.
-- requires: 0006_facts_inventory_finance (dw.fact_accounts_receivable), 0005_facts_sales (dw.fact_sales_orders),
--           0004_dimensions (dw.dim_merchants, dw.dim_shops), 0081_receivable_write_offs_dated (mart.receivables)
-- The view calls the functions, so they must exist when this migration runs, before sql/functions does on a fresh database
-- (docs/migrations.md: functions the schema needs at creation time live in migrations). They are created here with their
-- real bodies, not a placeholder as a trigger function gets (0081): a placeholder of a function that returns a value would
-- make mart.receivables fail, or give wrong figures, for whatever reads it before sql/functions replaces it (a later
-- migration on a fresh database). Their live definitions, comments and grants are sql/functions/dw.receivable_received_cny.sql
-- and sql/functions/dw.receivable_outstanding_cny.sql, which replace these in the same erpdb migrate; edit those, not this.

CREATE FUNCTION dw.receivable_received_cny(received_amount numeric, exchange_rate numeric)
RETURNS numeric
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT round(received_amount * exchange_rate, 2)
$$;

CREATE FUNCTION dw.receivable_outstanding_cny(amount_cny numeric, received_amount numeric, exchange_rate numeric)
RETURNS numeric
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT amount_cny - dw.receivable_received_cny(received_amount, exchange_rate)
$$;

-- Readers read mart.receivables, which calls the functions as them.
REVOKE EXECUTE ON FUNCTION dw.receivable_received_cny(numeric, numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.receivable_received_cny(numeric, numeric) TO erp_reader, erp_writer;
REVOKE EXECUTE ON FUNCTION dw.receivable_outstanding_cny(numeric, numeric, numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.receivable_outstanding_cny(numeric, numeric, numeric) TO erp_reader, erp_writer;

CREATE OR REPLACE VIEW mart.receivables WITH (security_barrier) AS
    SELECT r.merchant_id, r.receivable_id, r.invoice_no, o.order_no, r.order_id, r.order_date,
           r.shop_id, s.shop_name, r.customer_id, r.currency_code, r.exchange_rate,
           r.amount, r.received_amount, r.outstanding_amount,
           r.amount_cny,
           dw.receivable_received_cny(r.received_amount, r.exchange_rate) AS received_cny,
           dw.receivable_outstanding_cny(r.amount_cny, r.received_amount, r.exchange_rate) AS outstanding_cny,
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

COMMENT ON COLUMN mart.receivables.received_cny IS 'What was received, in CNY: dw.receivable_received_cny(received_amount, exchange_rate), received_amount at the receivable''s rate rounded to cents.';
COMMENT ON COLUMN mart.receivables.outstanding_cny IS 'What is still owed, in CNY: dw.receivable_outstanding_cny, amount_cny - received_cny to the cent (finance and write-offs count a balance by the same function).';
