-- 0046_receivable_cny_reconciles: a receivable's CNY amounts add up to the cent.
-- requires: 0021_list_reader_views (mart.receivables)
-- Each CNY amount was its own rounding of the currency amount times the rate, so a USD receivable
-- of 33.33 paid 11.11 at 7.1234 showed 237.42 - 79.14 = 158.28 owed while outstanding_cny said
-- 158.29. The amount and the receipts are what was booked and paid: the balance is their
-- difference, as it is in the receivable's own currency (outstanding_amount = amount -
-- received_amount). mart.mv_financial_daily counts the balance the same way.

CREATE OR REPLACE VIEW mart.receivables WITH (security_barrier) AS
    SELECT r.merchant_id, r.receivable_id, r.invoice_no, o.order_no, r.order_id, r.order_date,
           r.shop_id, s.shop_name, r.customer_id, r.currency_code, r.exchange_rate,
           r.amount, r.received_amount, r.outstanding_amount,
           r.amount_cny,
           round(r.received_amount * r.exchange_rate, 2) AS received_cny,
           r.amount_cny - round(r.received_amount * r.exchange_rate, 2) AS outstanding_cny,
           r.invoice_date, r.due_date, r.status, r.settled_at
    FROM dw.fact_accounts_receivable AS r
    LEFT JOIN dw.dim_shops AS s ON s.merchant_id = r.merchant_id AND s.shop_id = r.shop_id
    LEFT JOIN dw.fact_sales_orders AS o
        ON o.merchant_id = r.merchant_id AND o.order_id = r.order_id AND o.order_date = r.order_date
    WHERE r.merchant_id = (SELECT ops.current_merchant_id());

COMMENT ON COLUMN mart.receivables.outstanding_cny IS 'amount_cny - received_cny: the balance of what was booked and what was paid, to the cent (mart.mv_financial_daily counts it the same way).';
