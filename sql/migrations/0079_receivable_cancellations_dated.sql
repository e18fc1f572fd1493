-- 0079_receivable_cancellations_dated: when a receivable was cancelled, so that receivables as of a past day count one
-- cancelled later as outstanding that day (docs/business-flows.md, "Receivables one by one").
-- requires: 0006_facts_inventory_finance (dw.fact_accounts_receivable), 0005_facts_sales (dw.fact_sales_orders),
--           0004_dimensions (dw.dim_merchants, dw.dim_shops), 0046_receivable_cny_reconciles (mart.receivables)
-- dw.settle_receivables sets cancelled_at from now on. The receivables cancelled before get the earlier of their own and
-- their order's last change: both were written when the cancellation was recorded or after it, so the earlier one is the
-- closest the warehouse knows (it is when a cancelled order's stock movements are dated, too).

ALTER TABLE dw.fact_accounts_receivable ADD COLUMN cancelled_at timestamptz;

UPDATE dw.fact_accounts_receivable AS r
   SET cancelled_at = least(r.updated_at, (SELECT o.updated_at FROM dw.fact_sales_orders AS o
                                            WHERE o.merchant_id = r.merchant_id AND o.order_id = r.order_id AND o.order_date = r.order_date))
 WHERE r.status = 'cancelled';

COMMENT ON COLUMN dw.fact_accounts_receivable.cancelled_at IS 'When the receivable was cancelled (its order cancelled, refunded, returned or no longer invoiced): the order''s change that cancelled it, set by dw.settle_receivables; NULL while not cancelled (a reopened receivable loses it). Receivables as of an earlier day count it as it stood then.';

CREATE OR REPLACE VIEW mart.receivables WITH (security_barrier) AS
    SELECT r.merchant_id, r.receivable_id, r.invoice_no, o.order_no, r.order_id, r.order_date,
           r.shop_id, s.shop_name, r.customer_id, r.currency_code, r.exchange_rate,
           r.amount, r.received_amount, r.outstanding_amount,
           r.amount_cny,
           round(r.received_amount * r.exchange_rate, 2) AS received_cny,
           r.amount_cny - round(r.received_amount * r.exchange_rate, 2) AS outstanding_cny,
           r.invoice_date, r.due_date, r.status, r.settled_at,
           r.cancelled_at,
           (r.cancelled_at AT TIME ZONE m.timezone)::date AS cancelled_on
    FROM dw.fact_accounts_receivable AS r
    LEFT JOIN dw.dim_shops AS s ON s.merchant_id = r.merchant_id AND s.shop_id = r.shop_id
    LEFT JOIN dw.fact_sales_orders AS o
        ON o.merchant_id = r.merchant_id AND o.order_id = r.order_id AND o.order_date = r.order_date
    LEFT JOIN dw.dim_merchants AS m ON m.merchant_id = r.merchant_id
    WHERE r.merchant_id = (SELECT ops.current_merchant_id());

COMMENT ON COLUMN mart.receivables.cancelled_at IS 'When the receivable was cancelled; NULL while not cancelled (or cancelled before the warehouse kept the time and never since).';
COMMENT ON COLUMN mart.receivables.cancelled_on IS 'The day of cancelled_at in the merchant''s time zone (as a stock movement''s transaction_date): as of that day on, the receivable counts as cancelled.';
