-- dw.post_order_receivables: one receivable per invoiced order (the platform's settlement).
-- requires: dw.order_ref, dw.dim_shops.settlement_days, fact_accounts_receivable_order_unique
--           (0017_business_flows), dw.fact_sales_orders
-- Amount = the order's gmv in its currency at its exchange rate; invoice_no = the order's
-- invoice_id; invoice_date = order_date; due_date = invoice_date + the shop's settlement_days.
-- Re-posting updates these from the order (an order whose date was corrected moves its invoice and
-- due dates along); received_amount and status are dw.settle_receivables'. The term is the one in
-- force when the receivable was invoiced, as on an invoice: a receivable keeps its due date while
-- its invoice date and shop stay, so a shop's new settlement_days reaches the receivables invoiced after
-- it (and one whose order date or shop is corrected: an order moved to its right shop is due under that
-- shop's term), and re-posting after the change changes nothing.
-- Receipts already applied bind the receivable: an invoiced order whose receivable has received
-- something cannot take another currency (the receipts are in the old one, and would count one for
-- one in the new), nor, while it is a sale, a gmv below what was received (the balance would turn
-- negative). The order import refuses both naming the row when the file gives the order's invoice;
-- this check also holds when it does not (a file without is_invoiced or invoice_id keeps the stored
-- ones) and for an order changed by hand and re-posted: the posting fails and nothing is written.

CREATE OR REPLACE FUNCTION dw.post_order_receivables(orders dw.order_ref[])
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    first_day date;
    last_day  date;
    outcome   record;
BEGIN
    -- The batch's first and last day prune the orders to their partitions when planned (as dw.post_order_totals).
    SELECT min(r.order_date), max(r.order_date) INTO first_day, last_day FROM unnest(orders) AS r;

    WITH written AS (
        INSERT INTO dw.fact_accounts_receivable AS r (
            merchant_id, shop_id, customer_id, order_id, order_date, invoice_no, currency_code, exchange_rate,
            amount, invoice_date, due_date)
        SELECT o.merchant_id, o.shop_id, o.customer_id, o.order_id, o.order_date, o.invoice_id, o.currency_code,
               o.exchange_rate, o.gmv, o.order_date, due.due_date
        FROM (SELECT DISTINCT x.merchant_id, x.order_id, x.order_date FROM unnest(orders) AS x) AS s
        JOIN dw.fact_sales_orders AS o
          ON o.merchant_id = s.merchant_id AND o.order_id = s.order_id AND o.order_date = s.order_date
        -- The shop's term is looked up per order (OFFSET 0 keeps it a subquery): joined, the planner paired
        -- the batch's keys with every shop of the merchant before finding the orders, probing four times
        -- as many orders as it posts (this statement, re-posting 200,000 unchanged orders: 5.0 s with the
        -- join, 1.2-1.7 s with the look-up).
        CROSS JOIN LATERAL (SELECT h.settlement_days FROM dw.dim_shops AS h
                            WHERE h.merchant_id = o.merchant_id AND h.shop_id = o.shop_id OFFSET 0) AS sh
        LEFT JOIN dw.fact_accounts_receivable AS cur
          ON cur.merchant_id = o.merchant_id AND cur.order_id = o.order_id AND cur.order_date = o.order_date
         AND cur.order_id IS NOT NULL
        -- A receivable keeps its due date while its invoice date and shop stay: an order moved to the right shop
        -- is due under that shop's term.
        CROSS JOIN LATERAL (SELECT CASE WHEN cur.invoice_date = o.order_date AND cur.shop_id = o.shop_id THEN cur.due_date
                                        ELSE o.order_date + sh.settlement_days END AS due_date) AS due
        WHERE o.is_invoiced
          AND o.order_date BETWEEN first_day AND last_day
          -- Receivables that already agree with their order are left out before the insert: each would
          -- cost a speculative insertion, a conflict and a row lock only to change nothing (the same
          -- re-post: 6.0 s -> 5.0 s). ON CONFLICT stays for a receivable written meanwhile.
          AND (cur.receivable_id IS NULL
               OR (cur.shop_id, cur.customer_id, cur.invoice_no, cur.currency_code, cur.exchange_rate, cur.amount, cur.due_date)
                  IS DISTINCT FROM (o.shop_id, o.customer_id, o.invoice_id, o.currency_code, o.exchange_rate, o.gmv,
                                    due.due_date)
               OR cur.invoice_date IS DISTINCT FROM o.order_date)
        ORDER BY o.merchant_id, o.order_id
        ON CONFLICT (merchant_id, order_id, order_date) WHERE order_id IS NOT NULL DO UPDATE
            SET shop_id = EXCLUDED.shop_id,
                customer_id = EXCLUDED.customer_id,
                invoice_no = EXCLUDED.invoice_no,
                currency_code = EXCLUDED.currency_code,
                exchange_rate = EXCLUDED.exchange_rate,
                amount = EXCLUDED.amount,
                invoice_date = EXCLUDED.invoice_date,
                due_date = EXCLUDED.due_date
            WHERE (r.shop_id, r.customer_id, r.invoice_no, r.currency_code, r.exchange_rate, r.amount, r.invoice_date, r.due_date)
                  IS DISTINCT FROM (EXCLUDED.shop_id, EXCLUDED.customer_id, EXCLUDED.invoice_no, EXCLUDED.currency_code,
                                    EXCLUDED.exchange_rate, EXCLUDED.amount, EXCLUDED.invoice_date, EXCLUDED.due_date)
        RETURNING r.merchant_id, r.receivable_id, r.order_id, r.order_date, r.invoice_no, r.currency_code, r.amount, r.received_amount
    ),
    -- Receipts already applied bind the receivable (see above). Checked on the receivables this statement
    -- changed, against themselves as they were (the statement's snapshot): asked of every posted order
    -- before the write, the check probed the order of each paid receivable, most of them in a mature
    -- warehouse (re-posting 200,000 orders: 2.8 s on a loaded machine), to find what usually is none.
    refused AS (
        SELECT o.order_no, o.order_date, w.currency_code AS order_currency, w.amount AS gmv, w.invoice_no,
               b.currency_code AS receivable_currency, w.received_amount
        FROM written AS w
        JOIN dw.fact_accounts_receivable AS b ON b.merchant_id = w.merchant_id AND b.receivable_id = w.receivable_id
        JOIN dw.fact_sales_orders AS o
          ON o.merchant_id = w.merchant_id AND o.order_id = w.order_id AND o.order_date = w.order_date
         AND o.order_date BETWEEN first_day AND last_day
        WHERE w.received_amount > 0
          AND (w.currency_code <> b.currency_code OR (dw.is_valid_sale(o.status) AND w.amount < w.received_amount))
        ORDER BY w.merchant_id, w.order_id
        LIMIT 1
    )
    SELECT (SELECT count(*) FROM written)::integer AS changed, b.*
    INTO outcome
    FROM (SELECT) AS one
    LEFT JOIN refused AS b ON true;
    IF outcome.order_no IS NOT NULL THEN
        RAISE EXCEPTION 'order % of %: its receivable % has received % % already, so the order cannot be % %',
            outcome.order_no, outcome.order_date, outcome.invoice_no, outcome.received_amount, outcome.receivable_currency,
            CASE WHEN outcome.order_currency <> outcome.receivable_currency THEN 'in' ELSE 'of gmv' END,
            CASE WHEN outcome.order_currency <> outcome.receivable_currency THEN outcome.order_currency::text ELSE outcome.gmv::text END
            USING ERRCODE = 'check_violation', HINT = 'Correct the payments of the invoice first, then the order.';
    END IF;
    RETURN outcome.changed;
END
$$;

COMMENT ON FUNCTION dw.post_order_receivables(dw.order_ref[]) IS
    'Creates or updates the receivable of each given invoiced order: gmv in the order currency, invoice_no = invoice_id, due = order_date + the shop''s settlement_days when invoiced (kept while the invoice date and shop stay). Returns receivables inserted or changed.';
REVOKE EXECUTE ON FUNCTION dw.post_order_receivables(dw.order_ref[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.post_order_receivables(dw.order_ref[]) TO erp_writer;
