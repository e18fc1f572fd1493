-- 0057_receipts_reader_view: the reader view of erpdb receipts: each payment receipt with the invoice and
-- order number it settled, or none (an unapplied receipt: receivable_id IS NULL).
-- requires: 0006_facts_inventory_finance (dw.fact_payment_receipts, dw.fact_accounts_receivable),
--           0005_facts_sales (dw.fact_sales_orders), ops.current_merchant_id (0010)
-- Readers may already select dw.fact_payment_receipts under row level security, but the library
-- runs as whatever login the app configured, and the owner is not subject to RLS: like
-- mart.receivables (0021), the view runs as its owner and filters by the transaction's merchant
-- itself (security_barrier), so every caller sees one merchant's receipts and an unscoped one none.

CREATE VIEW mart.receipts WITH (security_barrier) AS
    SELECT p.merchant_id, p.receipt_id, p.reference_no, p.receipt_date, p.received_at,
           p.currency_code, p.exchange_rate, p.amount, p.amount_cny, p.payment_method,
           p.receivable_id, r.invoice_no, o.order_no, r.order_id, r.order_date
    FROM dw.fact_payment_receipts AS p
    LEFT JOIN dw.fact_accounts_receivable AS r ON r.merchant_id = p.merchant_id AND r.receivable_id = p.receivable_id
    LEFT JOIN dw.fact_sales_orders AS o
        ON o.merchant_id = r.merchant_id AND o.order_id = r.order_id AND o.order_date = r.order_date
    WHERE p.merchant_id = (SELECT ops.current_merchant_id());

COMMENT ON VIEW mart.receipts IS 'Reader view of dw.fact_payment_receipts: the transaction''s merchant''s receipts one by one, with the invoice and order number of the receivable each settled; receivable_id NULL: an unapplied receipt.';
COMMENT ON COLUMN mart.receipts.amount_cny IS 'round(amount * exchange_rate, 2), the rate of the receipt (fixed at import).';
COMMENT ON COLUMN mart.receipts.receivable_id IS 'The receivable the receipt settles; NULL for an unapplied receipt (a payment that named neither an invoice nor an order).';
REVOKE ALL ON mart.receipts FROM PUBLIC;
GRANT SELECT ON mart.receipts TO erp_reader;
