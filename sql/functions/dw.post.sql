-- dw.post: re-posts history (erpdb post, ErpDatabase.PostAsync): the orders of one merchant (or
-- all) in an order-date range, then stock movements not yet applied, stock counts and the
-- settlement of every receivable in scope.
-- requires: dw.order_ref (0017_business_flows), dw.post_orders, dw.apply_inventory_movements,
--           dw.post_stock_counts, dw.settle_receivables
-- Idempotent: a second run returns zeros. from_date/to_date bound the orders (inclusive); stock
-- movements, counts and receivables are posted for the whole merchant, since they carry no order date.
-- jit = off: its statements touch every partition of the facts, and compiling them (seconds)
-- costs more than a posting run takes.

-- An earlier version also returned the fee expenses posted; a result column cannot be removed in place.
DROP FUNCTION IF EXISTS dw.post(bigint, date, date);

CREATE OR REPLACE FUNCTION dw.post(
    merchant bigint DEFAULT NULL,
    from_date date DEFAULT NULL,
    to_date date DEFAULT NULL,
    OUT orders integer,
    OUT orders_costed integer,
    OUT movements integer,
    OUT positions integer,
    OUT receivables integer,
    OUT settled integer,
    OUT stock_counts integer)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
    selected dw.order_ref[];
    posted   record;
BEGIN
    IF from_date IS NOT NULL AND to_date IS NOT NULL AND to_date < from_date THEN
        RAISE EXCEPTION 'dw.post: to_date % is before from_date %', to_date, from_date
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    SELECT coalesce(array_agg(ROW(o.merchant_id, o.order_id, o.order_date)::dw.order_ref ORDER BY o.merchant_id, o.order_id), '{}')
    INTO selected
    FROM dw.fact_sales_orders AS o
    WHERE (merchant IS NULL OR o.merchant_id = merchant)
      AND (from_date IS NULL OR o.order_date >= from_date)
      AND (to_date IS NULL OR o.order_date <= to_date);
    orders := cardinality(selected);

    posted := dw.post_orders(selected);
    orders_costed := posted.orders_costed;
    movements := posted.movements;
    receivables := posted.receivables;
    positions := posted.positions + dw.apply_inventory_movements(merchant);
    stock_counts := dw.post_stock_counts(merchant);
    settled := posted.settled + dw.settle_receivables(merchant, NULL);
END
$$;

COMMENT ON FUNCTION dw.post(bigint, date, date) IS
    'Re-posts the orders of merchant (NULL = all) dated from_date..to_date (NULL = unbounded), applies pending stock movements and counts, and settles the merchant''s receivables. Returns counts of what changed; zeros when the books were already posted.';
REVOKE EXECUTE ON FUNCTION dw.post(bigint, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.post(bigint, date, date) TO erp_writer;
