-- receivables: the scoped merchant's receivables one by one: the day aging counts to, totals over the filter, a page of
-- rows (most overdue first, then the largest outstanding; :sort 'largest': the largest outstanding first), then the
-- aging summary per bucket. The totals' amounts leave out cancelled and written-off receivables
-- (dw.receivable_counts_as_invoiced), as finance's invoiced does, and so does their count, so that it counts what they sum;
-- listed counts every row the pages list.
-- reads: mart.receivables_as_of (sql/functions): the receivables as they stood on :asof (a month end; NULL, today or
--        later: as stored now), aged as of that day, filtered by :status
-- parameters: :asof (date or NULL), :status ('open' = not settled, 'overdue' = not settled and past due, 'paid';
--             NULL = all), :sort ('overdue' or 'largest'), :aging (boolean: false returns no summary rows), :limit, :offset (integers)
-- run: see docs/queries.md
SELECT coalesce(:asof::date, CURRENT_DATE) AS asof;
SELECT count(*) FILTER (WHERE dw.receivable_counts_as_invoiced(status)) AS count,
       coalesce(sum(amount_cny) FILTER (WHERE dw.receivable_counts_as_invoiced(status)), 0) AS amountcny,
       coalesce(sum(received_cny) FILTER (WHERE dw.receivable_counts_as_invoiced(status)), 0) AS receivedcny,
       coalesce(sum(outstanding_cny) FILTER (WHERE aging_bucket IS NOT NULL), 0) AS outstandingcny,
       count(*) FILTER (WHERE days_overdue > 0) AS overduecount,
       coalesce(sum(outstanding_cny) FILTER (WHERE days_overdue > 0), 0) AS overduecny,
       count(*) AS listed
  FROM mart.receivables_as_of(:asof::date, :status::text);
SELECT receivable_id AS receivableid, invoice_no AS invoiceno, order_no AS orderno, order_date AS orderdate,
       shop_id AS shopid, shop_name AS shopname, currency_code AS currency, amount, received_amount AS received,
       outstanding_amount AS outstanding, amount_cny AS amountcny, received_cny AS receivedcny, outstanding_cny AS outstandingcny,
       invoice_date AS invoicedate, due_date AS duedate, days_overdue AS daysoverdue, aging_bucket AS agingbucket,
       status, settled_at AS settledat, cancelled_at AS cancelledat, written_off_at AS writtenoffat
  FROM mart.receivables_as_of(:asof::date, :status::text)
 ORDER BY CASE WHEN :sort::text = 'largest' THEN outstanding_cny END DESC NULLS LAST,
          days_overdue DESC NULLS LAST, outstanding_cny DESC, due_date, receivable_id
 LIMIT :limit OFFSET :offset;
-- Every bucket dw.receivable_aging_bucket knows, in order, found by asking it about a receivable
-- due 0 to 3660 days ago: no second list of bucket names to keep in step.
WITH buckets AS (
    SELECT dw.receivable_aging_bucket(CURRENT_DATE - d, 'open', CURRENT_DATE) AS bucket, min(d) AS from_days
      FROM pg_catalog.generate_series(0, 3660) AS d
     WHERE :aging::boolean
     GROUP BY 1
)
SELECT b.bucket AS name, b.from_days AS fromdays, count(r.receivable_id) AS count, coalesce(sum(r.outstanding_cny), 0) AS outstandingcny
  FROM buckets AS b
  LEFT JOIN mart.receivables_as_of(:asof::date, :status::text) AS r ON r.aging_bucket = b.bucket
 GROUP BY b.bucket, b.from_days
 ORDER BY b.from_days;
