-- receipts: the scoped merchant's payment receipts one by one: totals over the filter (count and CNY, and of them
-- the applied, the unapplied and, of those, the credits, and the refunded ones), then a page of rows, newest first
-- (receipt date, then the time received).
-- What became of a receipt is mart.receipts.application: applied, unapplied (it names no receivable: the payment named
-- neither an invoice nor an order), credit (paid to a receivable since cancelled: money held for the customer) or
-- refunded (its order is refunded); mart.receipts.unapplied: to be matched by hand (unapplied or credit).
-- reads: mart.receipts (sql/migrations/0057_receipts_reader_view.sql, application: 0080_receipt_applications.sql)
-- parameters: :unapplied (boolean: true = only unapplied receipts and credits), :from, :to (receipt dates, included;
--             NULL = no bound), :limit, :offset (integers)
-- run: see docs/queries.md
SELECT count(*) AS count,
       coalesce(sum(amount_cny), 0) AS amountcny,
       count(*) FILTER (WHERE application = 'applied') AS appliedcount,
       coalesce(sum(amount_cny) FILTER (WHERE application = 'applied'), 0) AS appliedcny,
       count(*) FILTER (WHERE unapplied) AS unappliedcount,
       coalesce(sum(amount_cny) FILTER (WHERE unapplied), 0) AS unappliedcny,
       count(*) FILTER (WHERE application = 'credit') AS creditcount,
       coalesce(sum(amount_cny) FILTER (WHERE application = 'credit'), 0) AS creditcny,
       count(*) FILTER (WHERE application = 'refunded') AS refundedcount,
       coalesce(sum(amount_cny) FILTER (WHERE application = 'refunded'), 0) AS refundedcny
  FROM mart.receipts
 WHERE (NOT :unapplied::boolean OR unapplied)
   AND (:from::date IS NULL OR receipt_date >= :from::date)
   AND (:to::date IS NULL OR receipt_date <= :to::date);
SELECT receipt_id AS receiptid, reference_no AS referenceno, receipt_date AS receiptdate, received_at AS receivedat,
       currency_code AS currency, amount, exchange_rate AS exchangerate, amount_cny AS amountcny, payment_method AS paymentmethod,
       receivable_id AS receivableid, invoice_no AS invoiceno, order_no AS orderno, application, unapplied
  FROM mart.receipts
 WHERE (NOT :unapplied::boolean OR unapplied)
   AND (:from::date IS NULL OR receipt_date >= :from::date)
   AND (:to::date IS NULL OR receipt_date <= :to::date)
 ORDER BY receipt_date DESC, received_at DESC, receipt_id DESC
 LIMIT :limit OFFSET :offset;
