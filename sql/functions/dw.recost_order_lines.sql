-- dw.recost_order_lines: an accountant's deliberate re-cost of booked order lines (erpdb post --recost,
-- ErpDatabase.RecostAsync): each selected line's unit_cost becomes its product's cost now, in CNY at the
-- rate of the order date, and the orders whose lines changed are posted (cost, profit, inventory_deducted).
-- requires: dw.order_ref (0017_business_flows), dw.fact_sales_orders, dw.fact_order_items, dw.dim_products,
--           dw.product_cost_cny, dw.post_orders, dw.missing_rate_problem
-- Booked costs stay booked (docs/business-flows.md): neither a re-import nor dw.post moves them. This is the
-- one way to restate them on purpose, as importing each line again with that unit_cost would:
-- - the cost is dw.dim_products.unit_cost converted by dw.product_cost_cny at the line's order date (the
--   product's cost as the accountant corrected it), not a position's weighted average, which a corrected
--   product cost does not restate (an inventory snapshot or the next purchases do);
-- - a line already at that cost is not written, so running it twice changes nothing the second time;
-- - a product without a cost (unit_cost 0, what a product imported without one gets) leaves its lines as
--   they are: their cost came from a stock position or the line itself, and 0 would wipe it;
-- - stock movements keep the unit cost they were posted with (a later return takes the line's new cost,
--   as after a line import with unit_cost); positions and their average cost do not move;
-- - a product whose cost is in a currency without a rate for the order date (dw.exchange_rate_on) fails the run,
--   naming the SKU and day, and nothing changes.
-- Selection: merchant (NULL = all), order dates from_date..to_date (NULL = unbounded) and, when given, the
-- orders numbered order_number. Returns the orders selected, the lines re-costed and the orders whose
-- cost changed.

CREATE OR REPLACE FUNCTION dw.recost_order_lines(
    merchant bigint DEFAULT NULL,
    from_date date DEFAULT NULL,
    to_date date DEFAULT NULL,
    order_number text DEFAULT NULL,
    OUT orders integer,
    OUT lines integer,
    OUT orders_costed integer)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
    selected dw.order_ref[];
    changed  dw.order_ref[];
    unvalued record;
BEGIN
    IF from_date IS NOT NULL AND to_date IS NOT NULL AND to_date < from_date THEN
        RAISE EXCEPTION 'dw.recost_order_lines: to_date % is before from_date %', to_date, from_date
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT coalesce(array_agg(ROW(o.merchant_id, o.order_id, o.order_date)::dw.order_ref ORDER BY o.merchant_id, o.order_id), '{}')
    INTO selected
    FROM dw.fact_sales_orders AS o
    WHERE (merchant IS NULL OR o.merchant_id = merchant)
      AND (from_date IS NULL OR o.order_date >= from_date)
      AND (to_date IS NULL OR o.order_date <= to_date)
      AND (order_number IS NULL OR o.order_no = order_number);
    orders := cardinality(selected);

    SELECT p.sku, p.cost_currency, i.order_date INTO unvalued
    FROM unnest(selected) AS s
    JOIN dw.fact_order_items AS i ON i.merchant_id = s.merchant_id AND i.order_id = s.order_id AND i.order_date = s.order_date
    JOIN dw.dim_products AS p ON p.merchant_id = i.merchant_id AND p.product_id = i.product_id
    CROSS JOIN LATERAL dw.product_cost_cny(p.unit_cost, p.cost_currency::text, i.order_date) AS c
    WHERE p.unit_cost > 0 AND c.unit_cost IS NULL
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'sku % costs in % and %: its order lines cannot be re-costed in CNY',
            unvalued.sku, unvalued.cost_currency, dw.missing_rate_problem(unvalued.cost_currency::text, unvalued.order_date)
            USING ERRCODE = 'data_exception', HINT = 'Add the rate with erpdb import exchange-rates and re-cost again.';
    END IF;

    WITH recosted AS (
        UPDATE dw.fact_order_items AS i
        SET unit_cost = n.unit_cost
        FROM (SELECT l.merchant_id, l.order_id, l.order_date, l.line_no, c.unit_cost
              FROM unnest(selected) AS s
              JOIN dw.fact_order_items AS l ON l.merchant_id = s.merchant_id AND l.order_id = s.order_id AND l.order_date = s.order_date
              JOIN dw.dim_products AS p ON p.merchant_id = l.merchant_id AND p.product_id = l.product_id
              CROSS JOIN LATERAL dw.product_cost_cny(p.unit_cost, p.cost_currency::text, l.order_date) AS c
              WHERE p.unit_cost > 0 AND l.unit_cost <> c.unit_cost) AS n
        WHERE i.merchant_id = n.merchant_id AND i.order_id = n.order_id AND i.order_date = n.order_date AND i.line_no = n.line_no
        RETURNING i.merchant_id, i.order_id, i.order_date
    )
    SELECT count(*), coalesce(array_agg(DISTINCT ROW(r.merchant_id, r.order_id, r.order_date)::dw.order_ref), '{}')
    INTO lines, changed
    FROM recosted AS r;

    -- The orders' cost and profit follow their lines (dw.post_order_totals); their receivables follow the order's own
    -- columns, which a re-cost does not change.
    orders_costed := CASE WHEN lines > 0 THEN (dw.post_orders(changed, totals => true, order_books => false)).orders_costed ELSE 0 END;
END
$$;

COMMENT ON FUNCTION dw.recost_order_lines(bigint, date, date, text) IS
    'Restates the unit_cost of the selected orders'' lines (merchant NULL = all, order dates from_date..to_date, order_number NULL = any) as their product''s unit_cost in CNY at the order date (dw.product_cost_cny; a product of cost 0 leaves its lines alone) and posts the orders whose lines changed; returns the orders selected, lines re-costed and orders whose cost changed (zeros for lines and orders_costed when already at that cost). Fails, changing nothing, when a product''s currency has no rate. See docs/business-flows.md, "Booked costs stay booked".';
REVOKE EXECUTE ON FUNCTION dw.recost_order_lines(bigint, date, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.recost_order_lines(bigint, date, date, text) TO erp_writer;
