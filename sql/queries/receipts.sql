-- receipts: the scoped merchant's payment receipts one by one: totals over the filter (count and CNY, and of them
-- the unapplied ones), then a page of rows, newest first (receipt date, then the time received).
-- An unapplied receipt is one that settles no receivable (receivable_id IS NULL): the payment named neither an
-- invoice nor an order.
-- reads: mart.receipts (sql/migrations/0057_receipts_reader_view.sql)
-- parameters: :unapplied (boolean: true = only unapplied receipts), :from, :to (receipt dates, included; NULL = no
--             bound), :limit, :offset (integers)
-- run: see docs/queries.md
SELECT count(*) AS count,
       coalesce(sum(amount_cny), 0) AS amountcny,
       count(*) FILTER (WHERE receivable_id IS NULL) AS unappliedcount,
       coalesce(sum(amount_cny) FILTER (WHERE receivable_id IS NULL), 0) AS unappliedcny
  FROM mart.receipts
 WHERE (NOT :unapplied::boolean OR receivable_id IS NULL)
   AND (:from::date IS NULL OR receipt_date >= :from::date)
   AND (:to::date IS NULL OR receipt_date <= :to::date);
SELECT receipt_id AS receiptid, reference_no AS referenceno, receipt_date AS receiptdate, received_at AS receivedat,
       currency_code AS currency, amount, exchange_rate AS exchangerate, amount_cny AS amountcny, payment_method AS paymentmethod,
       receivable_id AS receivableid, invoice_no AS invoiceno, order_no AS orderno
  FROM mart.receipts
 WHERE (NOT :unapplied::boolean OR receivable_id IS NULL)
   AND (:from::date IS NULL OR receipt_date >= :from::date)
   AND (:to::date IS NULL OR receipt_date <= :to::date)
 ORDER BY receipt_date DESC, received_at DESC, receipt_id DESC
 LIMIT :limit OFFSET :offset;
