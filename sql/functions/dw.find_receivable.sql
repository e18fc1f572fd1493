-- dw.find_receivable: the receivable a payment names, by invoice number or by order number.
-- requires: dw.fact_accounts_receivable, dw.fact_sales_orders (0005, 0006)
-- By invoice_no when given; else by order_no, when exactly one receivable of the merchant
-- belongs to an order with that number. NULL when none (or several) match.

CREATE OR REPLACE FUNCTION dw.find_receivable(merchant bigint, invoice text, order_number text)
RETURNS bigint
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE
        WHEN invoice IS NOT NULL THEN
            (SELECT r.receivable_id FROM dw.fact_accounts_receivable AS r
             WHERE r.merchant_id = merchant AND r.invoice_no = invoice)
        WHEN order_number IS NOT NULL THEN
            (SELECT min(r.receivable_id) FROM dw.fact_accounts_receivable AS r
             JOIN dw.fact_sales_orders AS o
               ON o.merchant_id = r.merchant_id AND o.order_id = r.order_id AND o.order_date = r.order_date
             WHERE r.merchant_id = merchant AND o.order_no = order_number
             HAVING count(*) = 1)
    END
$$;

COMMENT ON FUNCTION dw.find_receivable(bigint, text, text) IS
    'The receivable_id a payment settles: by invoice_no, else by the order_no of its order (when exactly one matches); NULL when none does.';
REVOKE EXECUTE ON FUNCTION dw.find_receivable(bigint, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.find_receivable(bigint, text, text) TO erp_writer;
