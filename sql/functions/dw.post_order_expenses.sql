-- dw.post_order_expenses: an order's fees as expense rows, one per order and category.
-- requires: dw.order_ref (0017_business_flows), dw.fact_sales_orders, dw.fact_expenses
-- platform_commission -> platform_fee, payment_fee -> payment_fee, shipping_fee -> logistics; in
-- the order currency at the order's rate, dated the order date, reference order:<order_id>:<category>.
-- A fee that became 0 removes its row. These rows repeat the fees already in the order's
-- net_profit_cny: a report adding both must leave out expenses with order_id set.
-- Its rows come from orders it has just read, so dw.check_order_references skips them
-- (erpdb.rows_from_orders = 'on' around that statement only).

CREATE OR REPLACE FUNCTION dw.post_order_expenses(orders dw.order_ref[])
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    upserted integer;
    deleted  integer;
BEGIN
    DROP TABLE IF EXISTS pg_temp.order_fees;
    CREATE TEMP TABLE order_fees ON COMMIT DROP AS
    SELECT o.merchant_id, o.order_id, o.order_date, o.order_no, o.shop_id, o.currency_code, o.exchange_rate,
           f.category, f.amount
    FROM (SELECT DISTINCT x.merchant_id, x.order_id, x.order_date FROM unnest(orders) AS x) AS s
    JOIN dw.fact_sales_orders AS o
      ON o.merchant_id = s.merchant_id AND o.order_id = s.order_id AND o.order_date = s.order_date
    CROSS JOIN LATERAL (VALUES ('platform_fee', o.platform_commission), ('payment_fee', o.payment_fee),
                               ('logistics', o.shipping_fee)) AS f(category, amount);

    DELETE FROM dw.fact_expenses AS e
    USING pg_temp.order_fees AS f
    WHERE e.merchant_id = f.merchant_id AND e.reference_no = format('order:%s:%s', f.order_id, f.category)
      AND f.amount = 0;
    GET DIAGNOSTICS deleted = ROW_COUNT;

    PERFORM set_config('erpdb.rows_from_orders', 'on', true);
    INSERT INTO dw.fact_expenses AS e (
        merchant_id, expense_date, shop_id, category, description, currency_code, exchange_rate, amount,
        order_id, order_date, reference_no)
    SELECT f.merchant_id, f.order_date, f.shop_id, f.category, format('%s of order %s', f.category, f.order_no),
           f.currency_code, f.exchange_rate, f.amount, f.order_id, f.order_date,
           format('order:%s:%s', f.order_id, f.category)
    FROM pg_temp.order_fees AS f
    WHERE f.amount > 0
    ORDER BY f.merchant_id, f.order_id, f.category
    ON CONFLICT (merchant_id, reference_no) WHERE reference_no IS NOT NULL DO UPDATE
        SET expense_date = EXCLUDED.expense_date,
            shop_id = EXCLUDED.shop_id,
            category = EXCLUDED.category,
            description = EXCLUDED.description,
            currency_code = EXCLUDED.currency_code,
            exchange_rate = EXCLUDED.exchange_rate,
            amount = EXCLUDED.amount,
            order_id = EXCLUDED.order_id,
            order_date = EXCLUDED.order_date
        WHERE (e.expense_date, e.shop_id, e.category, e.description, e.currency_code, e.exchange_rate, e.amount,
               e.order_id, e.order_date)
              IS DISTINCT FROM (EXCLUDED.expense_date, EXCLUDED.shop_id, EXCLUDED.category, EXCLUDED.description,
                                EXCLUDED.currency_code, EXCLUDED.exchange_rate, EXCLUDED.amount, EXCLUDED.order_id,
                                EXCLUDED.order_date);
    GET DIAGNOSTICS upserted = ROW_COUNT;
    PERFORM set_config('erpdb.rows_from_orders', 'off', true);
    RETURN upserted + deleted;
END
$$;

COMMENT ON FUNCTION dw.post_order_expenses(dw.order_ref[]) IS
    'Writes the fees of the given orders as dw.fact_expenses rows (platform_fee, payment_fee, logistics; reference order:<order_id>:<category>), removing those whose fee became 0. Returns rows inserted, changed or removed.';
REVOKE EXECUTE ON FUNCTION dw.post_order_expenses(dw.order_ref[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.post_order_expenses(dw.order_ref[]) TO erp_writer;
