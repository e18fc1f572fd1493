-- receivables: the scoped merchant's receivables one by one: the day aging counts to, totals over the filter, a page of
-- rows (most overdue first, then the largest outstanding; :sort 'largest': the largest outstanding first), then the
-- aging summary per bucket. The totals' amounts leave out cancelled and written-off receivables
-- (dw.receivable_counts_as_invoiced), as finance's invoiced does; their count is of every row listed.
-- reads: mart.receivables (sql/migrations/0021_list_reader_views.sql), and with :asof mart.receipts (0057);
--        buckets and days overdue come from dw.receivable_aging_bucket as of today, or :asof (the one
--        definition of aging; days overdue is kept only for receivables that have a bucket)
-- As of a day (:asof, a month end): the receivables invoiced on or before it, each with the receipts
-- dated on or before it (received, outstanding, paid/partially paid/overdue/open from them); cancelled
-- and written-off ones as they are now (the warehouse keeps no date of a cancellation). NULL, today
-- or later: as stored now (receipts are applied when imported), aged as of that day.
-- parameters: :asof (date or NULL), :status ('open' = not settled, 'overdue' = not settled and past due, 'paid';
--             NULL = all), :sort ('overdue' or 'largest'), :aging (boolean: false returns no summary rows), :limit, :offset (integers)
-- run: see docs/queries.md
SELECT coalesce(:asof::date, CURRENT_DATE) AS asof;
WITH v AS (
    -- As of a past day (:asof before today): the receivables invoiced by then, with the receipts dated by then.
    SELECT v.receivable_id, v.invoice_no, v.order_no, v.order_date, v.shop_id, v.shop_name, v.currency_code, v.amount,
           v.amount_cny, v.invoice_date, v.due_date,
           coalesce(x.received, v.received_amount) AS received_amount,
           round(coalesce(x.received, v.received_amount) * v.exchange_rate, 2) AS received_cny,
           CASE WHEN x.received IS NULL OR v.status IN ('cancelled', 'written_off') THEN v.status
                WHEN x.received >= v.amount THEN 'paid'
                WHEN v.due_date < :asof::date THEN 'overdue'
                WHEN x.received > 0 THEN 'partially_paid'
                ELSE 'open' END AS status,
           CASE WHEN x.received IS NULL THEN v.settled_at WHEN x.received >= v.amount THEN x.last_received_at END AS settled_at
      FROM mart.receivables AS v
      LEFT JOIN LATERAL (SELECT coalesce(sum(p.amount), 0) AS received, max(p.received_at) AS last_received_at
                           FROM mart.receipts AS p
                          WHERE p.receivable_id = v.receivable_id AND p.receipt_date <= :asof::date) AS x ON :asof::date < CURRENT_DATE
     WHERE NOT coalesce(:asof::date < CURRENT_DATE, false) OR v.invoice_date <= :asof::date
),
r AS (
    SELECT v.*, v.amount - v.received_amount AS outstanding_amount, v.amount_cny - v.received_cny AS outstanding_cny,
           b.aging_bucket, CASE WHEN b.aging_bucket IS NOT NULL THEN greatest(coalesce(:asof::date, CURRENT_DATE) - v.due_date, 0) END AS days_overdue
      FROM v
     CROSS JOIN LATERAL (SELECT dw.receivable_aging_bucket(v.due_date, v.status, coalesce(:asof::date, CURRENT_DATE)) AS aging_bucket) AS b
)
SELECT count(*) AS count,
       coalesce(sum(amount_cny) FILTER (WHERE dw.receivable_counts_as_invoiced(status)), 0) AS amountcny,
       coalesce(sum(received_cny) FILTER (WHERE dw.receivable_counts_as_invoiced(status)), 0) AS receivedcny,
       coalesce(sum(outstanding_cny) FILTER (WHERE aging_bucket IS NOT NULL), 0) AS outstandingcny,
       count(*) FILTER (WHERE days_overdue > 0) AS overduecount,
       coalesce(sum(outstanding_cny) FILTER (WHERE days_overdue > 0), 0) AS overduecny
  FROM r
 WHERE CASE :status::text
           WHEN 'open' THEN aging_bucket IS NOT NULL
           WHEN 'overdue' THEN days_overdue > 0
           WHEN 'paid' THEN status = 'paid'
           ELSE true
       END;
WITH v AS (
    -- As of a past day (:asof before today): the receivables invoiced by then, with the receipts dated by then.
    SELECT v.receivable_id, v.invoice_no, v.order_no, v.order_date, v.shop_id, v.shop_name, v.currency_code, v.amount,
           v.amount_cny, v.invoice_date, v.due_date,
           coalesce(x.received, v.received_amount) AS received_amount,
           round(coalesce(x.received, v.received_amount) * v.exchange_rate, 2) AS received_cny,
           CASE WHEN x.received IS NULL OR v.status IN ('cancelled', 'written_off') THEN v.status
                WHEN x.received >= v.amount THEN 'paid'
                WHEN v.due_date < :asof::date THEN 'overdue'
                WHEN x.received > 0 THEN 'partially_paid'
                ELSE 'open' END AS status,
           CASE WHEN x.received IS NULL THEN v.settled_at WHEN x.received >= v.amount THEN x.last_received_at END AS settled_at
      FROM mart.receivables AS v
      LEFT JOIN LATERAL (SELECT coalesce(sum(p.amount), 0) AS received, max(p.received_at) AS last_received_at
                           FROM mart.receipts AS p
                          WHERE p.receivable_id = v.receivable_id AND p.receipt_date <= :asof::date) AS x ON :asof::date < CURRENT_DATE
     WHERE NOT coalesce(:asof::date < CURRENT_DATE, false) OR v.invoice_date <= :asof::date
),
r AS (
    SELECT v.*, v.amount - v.received_amount AS outstanding_amount, v.amount_cny - v.received_cny AS outstanding_cny,
           b.aging_bucket, CASE WHEN b.aging_bucket IS NOT NULL THEN greatest(coalesce(:asof::date, CURRENT_DATE) - v.due_date, 0) END AS days_overdue
      FROM v
     CROSS JOIN LATERAL (SELECT dw.receivable_aging_bucket(v.due_date, v.status, coalesce(:asof::date, CURRENT_DATE)) AS aging_bucket) AS b
)
SELECT receivable_id AS receivableid, invoice_no AS invoiceno, order_no AS orderno, order_date AS orderdate,
       shop_id AS shopid, shop_name AS shopname, currency_code AS currency, amount, received_amount AS received,
       outstanding_amount AS outstanding, amount_cny AS amountcny, received_cny AS receivedcny, outstanding_cny AS outstandingcny,
       invoice_date AS invoicedate, due_date AS duedate, days_overdue AS daysoverdue, aging_bucket AS agingbucket,
       status, settled_at AS settledat
  FROM r
 WHERE CASE :status::text
           WHEN 'open' THEN aging_bucket IS NOT NULL
           WHEN 'overdue' THEN days_overdue > 0
           WHEN 'paid' THEN status = 'paid'
           ELSE true
       END
 ORDER BY CASE WHEN :sort::text = 'largest' THEN outstanding_cny END DESC NULLS LAST,
          days_overdue DESC NULLS LAST, outstanding_cny DESC, due_date, receivable_id
 LIMIT :limit OFFSET :offset;
-- Every bucket dw.receivable_aging_bucket knows, in order, found by asking it about a receivable
-- due 0 to 3660 days ago: no second list of bucket names to keep in step.
WITH v AS (
    -- As of a past day (:asof before today): the receivables invoiced by then, with the receipts dated by then.
    SELECT v.receivable_id, v.invoice_no, v.order_no, v.order_date, v.shop_id, v.shop_name, v.currency_code, v.amount,
           v.amount_cny, v.invoice_date, v.due_date,
           coalesce(x.received, v.received_amount) AS received_amount,
           round(coalesce(x.received, v.received_amount) * v.exchange_rate, 2) AS received_cny,
           CASE WHEN x.received IS NULL OR v.status IN ('cancelled', 'written_off') THEN v.status
                WHEN x.received >= v.amount THEN 'paid'
                WHEN v.due_date < :asof::date THEN 'overdue'
                WHEN x.received > 0 THEN 'partially_paid'
                ELSE 'open' END AS status,
           CASE WHEN x.received IS NULL THEN v.settled_at WHEN x.received >= v.amount THEN x.last_received_at END AS settled_at
      FROM mart.receivables AS v
      LEFT JOIN LATERAL (SELECT coalesce(sum(p.amount), 0) AS received, max(p.received_at) AS last_received_at
                           FROM mart.receipts AS p
                          WHERE p.receivable_id = v.receivable_id AND p.receipt_date <= :asof::date) AS x ON :asof::date < CURRENT_DATE
     WHERE NOT coalesce(:asof::date < CURRENT_DATE, false) OR v.invoice_date <= :asof::date
),
r AS (
    SELECT v.*, v.amount - v.received_amount AS outstanding_amount, v.amount_cny - v.received_cny AS outstanding_cny,
           b.aging_bucket, CASE WHEN b.aging_bucket IS NOT NULL THEN greatest(coalesce(:asof::date, CURRENT_DATE) - v.due_date, 0) END AS days_overdue
      FROM v
     CROSS JOIN LATERAL (SELECT dw.receivable_aging_bucket(v.due_date, v.status, coalesce(:asof::date, CURRENT_DATE)) AS aging_bucket) AS b
),
buckets AS (
    SELECT dw.receivable_aging_bucket(CURRENT_DATE - d, 'open', CURRENT_DATE) AS bucket, min(d) AS from_days
      FROM pg_catalog.generate_series(0, 3660) AS d
     WHERE :aging::boolean
     GROUP BY 1
)
SELECT b.bucket, b.from_days AS fromdays, count(r.receivable_id) AS count, coalesce(sum(r.outstanding_cny), 0) AS outstandingcny
  FROM buckets AS b
  LEFT JOIN r
    ON r.aging_bucket = b.bucket
   AND CASE :status::text
           WHEN 'open' THEN r.aging_bucket IS NOT NULL
           WHEN 'overdue' THEN r.days_overdue > 0
           WHEN 'paid' THEN r.status = 'paid'
           ELSE true
       END
 GROUP BY b.bucket, b.from_days
 ORDER BY b.from_days;
