-- receivables: the scoped merchant's receivables one by one: the day aging counts to, totals over the filter, a page of
-- rows (most overdue first, then the largest outstanding; :sort 'largest': the largest outstanding first), then the
-- aging summary per bucket. The totals' amounts leave out cancelled and written-off receivables
-- (dw.receivable_counts_as_invoiced), as finance's invoiced does; their count is of every row listed.
-- reads: mart.receivables (sql/migrations/0021_list_reader_views.sql); buckets and days overdue
--        come from dw.receivable_aging_bucket as of today (the one definition of aging; days
--        overdue is kept only for receivables that have a bucket)
-- parameters: :status ('open' = not settled, 'overdue' = not settled and past due, 'paid';
--             NULL = all), :sort ('overdue' or 'largest'), :aging (boolean: false returns no summary rows), :limit, :offset (integers)
-- run: see docs/queries.md
SELECT CURRENT_DATE AS asof;
WITH r AS (
    SELECT v.*, b.aging_bucket, CASE WHEN b.aging_bucket IS NOT NULL THEN greatest(CURRENT_DATE - v.due_date, 0) END AS days_overdue
      FROM mart.receivables AS v
     CROSS JOIN LATERAL (SELECT dw.receivable_aging_bucket(v.due_date, v.status, CURRENT_DATE) AS aging_bucket) AS b
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
WITH r AS (
    SELECT v.*, b.aging_bucket, CASE WHEN b.aging_bucket IS NOT NULL THEN greatest(CURRENT_DATE - v.due_date, 0) END AS days_overdue
      FROM mart.receivables AS v
     CROSS JOIN LATERAL (SELECT dw.receivable_aging_bucket(v.due_date, v.status, CURRENT_DATE) AS aging_bucket) AS b
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
WITH r AS (
    SELECT v.*, b.aging_bucket, CASE WHEN b.aging_bucket IS NOT NULL THEN greatest(CURRENT_DATE - v.due_date, 0) END AS days_overdue
      FROM mart.receivables AS v
     CROSS JOIN LATERAL (SELECT dw.receivable_aging_bucket(v.due_date, v.status, CURRENT_DATE) AS aging_bucket) AS b
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
