-- mart.receivables_as_of: the scoped merchant's receivables as they stood on a day, aged as of that day,
-- filtered by status: the rows sql/queries/receivables.sql totals, lists and buckets (one definition
-- for its three statements). A SQL function of one SELECT, not SECURITY DEFINER: the planner inlines
-- it into each statement, and it reads the reader views as the caller, so merchant isolation holds.
-- As of a past day (asof before today): the receivables invoiced on or before it, each with the receipts
-- dated on or before it (received, outstanding, paid/partially paid/overdue/open from them); one cancelled
-- or written off on or before that day (cancelled_on, written_off_on, in the merchant's time zone) is so, one
-- cancelled or written off after it counts as it stood (one of unknown day as it is now). A receivable cancelled
-- or written off on or before the day and reopened after it (mart.receivable_reopenings) was so that day, whatever it
-- is now. NULL, today or later: as stored now (receipts are applied when imported), aged as of that day.
-- cancelled_at: when a receivable cancelled as of that day was cancelled (NULL otherwise, or not known);
-- written_off_at: when one written off as of that day was written off (NULL otherwise).
-- Buckets and days overdue come from dw.receivable_aging_bucket (the one definition of aging; days
-- overdue is kept only for receivables that have a bucket).
-- Received and outstanding CNY come from dw.receivable_received_cny and dw.receivable_outstanding_cny (the one rule
-- mart.receivables, finance and write-offs count them by), applied to what was received as of the day.
-- status_filter: 'open' = not settled, 'overdue' = not settled and past due, 'paid'; NULL = all.
-- requires: mart.receivables (0021_list_reader_views, cancelled_on: 0079_receivable_cancellations_dated,
--           written_off_on: 0081_receivable_write_offs_dated), mart.receipts (0057_receipts_reader_view),
--           mart.receivable_reopenings (0083_receivable_reopenings, closed_as: 0084_write_offs_undone_kept),
--           dw.receivable_aging_bucket, dw.receivable_received_cny, dw.receivable_outstanding_cny,
--           dw.receivable_payment_status (paid, overdue, partially paid or open from what was received by the day)

-- It returned no cancelled_at, then no written_off_at before; a function's result type cannot be changed in place.
DROP FUNCTION IF EXISTS mart.receivables_as_of(date, text);

CREATE FUNCTION mart.receivables_as_of(asof date, status_filter text)
RETURNS TABLE (receivable_id bigint, invoice_no text, order_no text, order_date date, shop_id bigint, shop_name text,
               currency_code character(3), amount numeric, received_amount numeric, outstanding_amount numeric,
               amount_cny numeric, received_cny numeric, outstanding_cny numeric, invoice_date date, due_date date,
               days_overdue integer, aging_bucket text, status text, settled_at timestamptz, cancelled_at timestamptz,
               written_off_at timestamptz)
LANGUAGE sql
STABLE
AS $$
    WITH v AS (
        SELECT v.receivable_id, v.invoice_no, v.order_no, v.order_date, v.shop_id, v.shop_name, v.currency_code, v.amount,
               v.amount_cny, v.exchange_rate, v.invoice_date, v.due_date,
               coalesce(x.received, v.received_amount) AS received_amount,
               dw.receivable_received_cny(coalesce(x.received, v.received_amount), v.exchange_rate) AS received_cny,
               CASE WHEN x.received IS NULL THEN v.status
                    -- A closing that covered the day and has been undone since (the later one, should two cover it).
                    WHEN c.written_off_at > coalesce(c.cancelled_at, '-infinity') THEN 'written_off'
                    WHEN c.cancelled_at IS NOT NULL THEN 'cancelled'
                    WHEN v.status = 'written_off' AND coalesce(v.written_off_on <= asof, true) THEN v.status
                    WHEN v.status = 'cancelled' AND coalesce(v.cancelled_on <= asof, true) THEN v.status
                    ELSE dw.receivable_payment_status(v.amount, x.received, v.due_date < asof) END AS status,
               CASE WHEN x.received IS NULL THEN v.settled_at WHEN x.received >= v.amount THEN x.last_received_at END AS settled_at,
               coalesce(c.cancelled_at, v.cancelled_at) AS cancelled_at, coalesce(c.written_off_at, v.written_off_at) AS written_off_at
          FROM mart.receivables AS v
          LEFT JOIN LATERAL (SELECT coalesce(sum(p.amount), 0) AS received, max(p.received_at) AS last_received_at
                               FROM mart.receipts AS p
                              WHERE p.receivable_id = v.receivable_id AND p.receipt_date <= asof) AS x ON asof < CURRENT_DATE
          -- The cancellation and the write-off that covered the day and have been undone since: when each began.
          LEFT JOIN LATERAL (SELECT max(h.closed_at) FILTER (WHERE h.closed_as = 'cancelled') AS cancelled_at,
                                    max(h.closed_at) FILTER (WHERE h.closed_as = 'written_off') AS written_off_at
                               FROM mart.receivable_reopenings AS h
                              WHERE h.receivable_id = v.receivable_id AND h.closed_on <= asof AND h.reopened_on > asof) AS c ON asof < CURRENT_DATE
         WHERE NOT coalesce(asof < CURRENT_DATE, false) OR v.invoice_date <= asof
    ), r AS (
        SELECT v.*, v.amount - v.received_amount AS outstanding_amount,
               dw.receivable_outstanding_cny(v.amount_cny, v.received_amount, v.exchange_rate) AS outstanding_cny,
               b.aging_bucket,
               CASE WHEN b.aging_bucket IS NOT NULL THEN greatest(coalesce(asof, CURRENT_DATE) - v.due_date, 0) END AS days_overdue
          FROM v
         CROSS JOIN LATERAL (SELECT dw.receivable_aging_bucket(v.due_date, v.status, coalesce(asof, CURRENT_DATE)) AS aging_bucket) AS b
    )
    SELECT r.receivable_id, r.invoice_no, r.order_no, r.order_date, r.shop_id, r.shop_name, r.currency_code, r.amount,
           r.received_amount, r.outstanding_amount, r.amount_cny, r.received_cny, r.outstanding_cny, r.invoice_date,
           r.due_date, r.days_overdue, r.aging_bucket, r.status, r.settled_at,
           CASE WHEN r.status = 'cancelled' THEN r.cancelled_at END,
           CASE WHEN r.status = 'written_off' THEN r.written_off_at END
      FROM r
     WHERE CASE status_filter
               WHEN 'open' THEN r.aging_bucket IS NOT NULL
               WHEN 'overdue' THEN r.days_overdue > 0
               WHEN 'paid' THEN r.status = 'paid'
               ELSE true
           END
$$;

COMMENT ON FUNCTION mart.receivables_as_of(date, text) IS
    'The scoped merchant''s receivables as they stood on asof (NULL: as stored now), aged as of that day and filtered by status_filter (open, overdue, paid; NULL: all): the rows of sql/queries/receivables.sql. Reads the reader views as the caller.';
REVOKE EXECUTE ON FUNCTION mart.receivables_as_of(date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mart.receivables_as_of(date, text) TO erp_reader, erp_writer;
