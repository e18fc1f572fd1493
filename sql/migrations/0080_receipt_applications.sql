-- 0080_receipt_applications: what became of each receipt (mart.receipts.application), so that money paid to an invoice
-- since cancelled is a credit listed with the unapplied receipts instead of vanishing from every report
-- (docs/business-flows.md, "Receipts one by one" and "Money paid to a cancelled invoice").
-- requires: 0006_facts_inventory_finance (dw.fact_payment_receipts, dw.fact_accounts_receivable),
--           0005_facts_sales (dw.fact_sales_orders), 0057_receipts_reader_view (mart.receipts)

CREATE OR REPLACE VIEW mart.receipts WITH (security_barrier) AS
    SELECT p.merchant_id, p.receipt_id, p.reference_no, p.receipt_date, p.received_at,
           p.currency_code, p.exchange_rate, p.amount, p.amount_cny, p.payment_method,
           p.receivable_id, r.invoice_no, o.order_no, r.order_id, r.order_date,
           a.application, a.application IN ('unapplied', 'credit') AS unapplied
    FROM dw.fact_payment_receipts AS p
    LEFT JOIN dw.fact_accounts_receivable AS r ON r.merchant_id = p.merchant_id AND r.receivable_id = p.receivable_id
    LEFT JOIN dw.fact_sales_orders AS o
        ON o.merchant_id = r.merchant_id AND o.order_id = r.order_id AND o.order_date = r.order_date
    CROSS JOIN LATERAL (SELECT CASE WHEN p.receivable_id IS NULL THEN 'unapplied'
                                    WHEN r.status <> 'cancelled' THEN 'applied'
                                    WHEN o.status = 'refunded' THEN 'refunded'
                                    ELSE 'credit' END AS application) AS a
    WHERE p.merchant_id = (SELECT ops.current_merchant_id());

COMMENT ON VIEW mart.receipts IS 'Reader view of dw.fact_payment_receipts: the transaction''s merchant''s receipts one by one, with the invoice and order number of the receivable each was paid to and what became of it (application); receivable_id NULL: an unapplied receipt.';
COMMENT ON COLUMN mart.receipts.application IS 'applied: settles a receivable that stands (open to paid, or written off); unapplied: names no receivable; credit: paid to a receivable since cancelled (its order cancelled or returned, or its invoice withdrawn), money held for the customer until it is refunded or applied to another invoice; refunded: paid to a receivable whose order is refunded (the money went back). Σ of the four = every receipt.';
COMMENT ON COLUMN mart.receipts.unapplied IS 'True for a receipt to match by hand (erpdb receipts --unapplied): application unapplied or credit.';
