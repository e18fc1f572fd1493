-- amplify-seed.sql: makes a bench template of N times the orders from a seeded one, in minutes
-- instead of the hours a seed of 5,000,000 orders takes through the ingest API.
--
--   createdb ... -T erpdb_bench_seeded_1000000 erpdb_bench_amplify_5000000
--   erpdb migrate --connection "...;Database=erpdb_bench_amplify_5000000"
--   psql ... -d erpdb_bench_amplify_5000000 -v copies=4 -f tests/Erp.Db.Bench/amplify-seed.sql
--   psql ... -c "ALTER DATABASE erpdb_bench_amplify_5000000 RENAME TO erpdb_bench_seeded_5000000"
--
-- Renamed only when complete: the bench takes a template without its comment for a seed that
-- stopped half way and seeds it again. 4 copies of the 1,000,000-order seed: 27 minutes, 17 GB.
-- Each copy repeats every order of the seed on the same day, shop, customer and products, with
-- new ids and order numbers (order_no || '~k'), and everything posting wrote for it: lines, stock
-- movements, receivables and payments, their references renamed the way posting names them (the
-- order fees need no copy: dw.order_fee_expenses derives them from the orders). So the warehouse holds (copies + 1) times the orders per day of the same merchant,
-- shops and catalogue. Not repeated: per-day and per-product rows that do not come from orders
-- (product metrics, traffic, user activity, purchases and stock counts), and the stock positions,
-- which therefore do not reconcile with the movements: a bench warehouse, not a ledger.
-- Ends with a full refresh, VACUUM ANALYZE and the template's comment (the bench reads its last day).

\set ON_ERROR_STOP on
\timing on

CREATE TEMP TABLE id_step AS
SELECT (SELECT max(order_id) FROM dw.fact_sales_orders) AS orders,
       (SELECT max(order_item_id) FROM dw.fact_order_items) AS lines,
       (SELECT max(transaction_id) FROM dw.fact_inventory_transactions) AS movements,
       (SELECT max(receivable_id) FROM dw.fact_accounts_receivable) AS receivables,
       (SELECT max(receipt_id) FROM dw.fact_payment_receipts) AS receipts;

-- INSERT ... SELECT of every stored column of a table from its own rows of the seed, with some
-- columns replaced by expressions (over the row, aliased r, k = the copy and s = id_step).
CREATE FUNCTION pg_temp.repeat_rows(target regclass, k integer, replaced jsonb, seed_filter text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    columns text;
    expressions text;
BEGIN
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum),
           string_agg(coalesce(replaced ->> a.attname::text, 'r.' || quote_ident(a.attname)), ', ' ORDER BY a.attnum)
    INTO columns, expressions
    FROM pg_attribute AS a
    WHERE a.attrelid = target AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';
    EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM %s AS r CROSS JOIN (SELECT %s AS k) AS c CROSS JOIN pg_temp.id_step AS s WHERE %s',
                   target, columns, expressions, target, k, seed_filter);
END
$$;

CREATE FUNCTION pg_temp.repeat_seed(k integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_temp.repeat_rows('dw.fact_sales_orders', k, jsonb_build_object(
        'order_id', 'r.order_id + c.k * s.orders',
        'order_no', 'r.order_no || ''~'' || c.k',
        'invoice_id', 'r.invoice_id || ''~'' || c.k',
        'payment_voucher_id', 'r.payment_voucher_id || ''~'' || c.k'),
        'r.order_id <= s.orders');
    PERFORM pg_temp.repeat_rows('dw.fact_order_items', k, jsonb_build_object(
        'order_item_id', 'r.order_item_id + c.k * s.lines',
        'order_id', 'r.order_id + c.k * s.orders'),
        'r.order_id <= s.orders');
    PERFORM pg_temp.repeat_rows('dw.fact_inventory_transactions', k, jsonb_build_object(
        'transaction_id', 'r.transaction_id + c.k * s.movements',
        'order_id', 'r.order_id + c.k * s.orders',
        'reference_no', 'regexp_replace(r.reference_no, ''^order:\d+:'', ''order:'' || (r.order_id + c.k * s.orders) || '':'')'),
        'r.order_id IS NOT NULL AND r.order_id <= s.orders');
    PERFORM pg_temp.repeat_rows('dw.fact_accounts_receivable', k, jsonb_build_object(
        'receivable_id', 'r.receivable_id + c.k * s.receivables',
        'order_id', 'r.order_id + c.k * s.orders',
        'invoice_no', 'r.invoice_no || ''~'' || c.k'),
        'r.order_id IS NOT NULL AND r.receivable_id <= s.receivables');
    PERFORM pg_temp.repeat_rows('dw.fact_payment_receipts', k, jsonb_build_object(
        'receipt_id', 'r.receipt_id + c.k * s.receipts',
        'receivable_id', 'r.receivable_id + c.k * s.receivables',
        'reference_no', 'r.reference_no || ''~'' || c.k'),
        -- Not correlated with s, so PostgreSQL hashes the receivables once instead of scanning them per receipt.
        'r.receipt_id <= s.receipts AND r.receivable_id IN (SELECT a.receivable_id FROM dw.fact_accounts_receivable AS a WHERE a.order_id IS NOT NULL)');
END
$$;

-- One transaction per copy.
SELECT format('SELECT pg_temp.repeat_seed(%s)', k) FROM generate_series(1, :copies) AS k \gexec

-- New rows (the refresh scenario's next day) must not take the ids the copies used.
SELECT setval(pg_get_serial_sequence('dw.fact_sales_orders', 'order_id'), (SELECT max(order_id) FROM dw.fact_sales_orders)),
       setval(pg_get_serial_sequence('dw.fact_order_items', 'order_item_id'), (SELECT max(order_item_id) FROM dw.fact_order_items)),
       setval(pg_get_serial_sequence('dw.fact_inventory_transactions', 'transaction_id'), (SELECT max(transaction_id) FROM dw.fact_inventory_transactions)),
       setval(pg_get_serial_sequence('dw.fact_accounts_receivable', 'receivable_id'), (SELECT max(receivable_id) FROM dw.fact_accounts_receivable)),
       setval(pg_get_serial_sequence('dw.fact_payment_receipts', 'receipt_id'), (SELECT max(receipt_id) FROM dw.fact_payment_receipts));

CALL ops.refresh_all('bench');
VACUUM ANALYZE;
SELECT format('COMMENT ON DATABASE %I IS %L', current_database(),
              format('erpdb bench seed: last day %s', (SELECT max(order_date) FROM dw.fact_sales_orders))) \gexec
