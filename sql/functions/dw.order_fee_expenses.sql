-- dw.order_fee_expenses: the fees of the orders as expense rows, one per order and category with a
-- fee: platform_commission -> platform_fee, payment_fee -> payment_fee, shipping_fee -> logistics;
-- in the order currency at the order's rate (amount_cny adds up to the order's fees_cny), dated the
-- order date, reference order:<order_id>:<category>.
-- requires: dw.fact_sales_orders
-- Derived, not stored: an order's fees are columns of the order, so these rows always agree with it
-- (no posting, nothing to re-post after a correction) and cost the import nothing; storing them
-- wrote up to three rows with five indexes per order, most of the order import's posting time
-- (docs/business-flows.md). dw.fact_expenses holds the other expenses. The fees are in the orders'
-- net_profit_cny already: a report adding these rows to net profit counts them twice.
-- merchants NULL: every merchant; first_day..last_day bound the order date (inclusive).
-- A plain SQL body without SET, so the planner inlines it into the caller's query and the merchant
-- and day bounds reach the orders' partitions and indexes (pg_catalog is searched first, so the
-- operators and format/round cannot be replaced through the caller's search_path).

CREATE OR REPLACE FUNCTION dw.order_fee_expenses(merchants bigint[], first_day date, last_day date)
RETURNS TABLE (
    merchant_id   bigint,
    expense_date  date,
    shop_id       bigint,
    category      text,
    description   text,
    currency_code char(3),
    exchange_rate numeric,
    amount        numeric,
    amount_cny    numeric,
    order_id      bigint,
    order_date    date,
    reference_no  text)
LANGUAGE sql
STABLE
AS $$
    -- amount_cny rounds the running total, not each fee: a row is the rounded total through its fee
    -- minus the rounded total before it, so an order's rows add up to its fees_cny (which rounds the
    -- sum once) to the cent, and each row is within a cent of its own fee converted.
    SELECT o.merchant_id, o.order_date, o.shop_id, f.category, format('%s of order %s', f.category, o.order_no),
           o.currency_code, o.exchange_rate, f.amount,
           round(f.through * o.exchange_rate, 2) - round((f.through - f.amount) * o.exchange_rate, 2),
           o.order_id, o.order_date, format('order:%s:%s', o.order_id, f.category)
    FROM dw.fact_sales_orders AS o
    CROSS JOIN LATERAL (VALUES ('platform_fee', o.platform_commission, o.platform_commission),
                               ('payment_fee', o.payment_fee, o.platform_commission + o.payment_fee),
                               ('logistics', o.shipping_fee, o.platform_commission + o.payment_fee + o.shipping_fee))
                        AS f (category, amount, through)
    WHERE f.amount > 0
      AND (merchants IS NULL OR o.merchant_id = ANY (merchants))
      AND o.order_date BETWEEN first_day AND last_day
$$;

COMMENT ON FUNCTION dw.order_fee_expenses(bigint[], date, date) IS
    'The fees of the orders of the given merchants (NULL: all) dated first_day..last_day as expense rows (platform_fee, payment_fee, logistics; reference order:<order_id>:<category>), one per order and category with a fee. Derived from the orders, never stored.';
REVOKE EXECUTE ON FUNCTION dw.order_fee_expenses(bigint[], date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.order_fee_expenses(bigint[], date, date) TO erp_writer;
