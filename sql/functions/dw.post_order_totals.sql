-- dw.post_order_totals: an order's cost and item count from its lines.
-- requires: dw.order_ref (0017_business_flows), dw.fact_order_items, dw.fact_sales_orders
-- The same sums as dw.order_line_totals (which the order import uses per stored order).
-- Orders without lines keep what they were imported with. The profit columns of the order are
-- generated from cost_amount_cny, so they follow.

CREATE OR REPLACE FUNCTION dw.post_order_totals(orders dw.order_ref[])
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed integer;
BEGIN
    -- The sums of dw.order_line_totals, for the whole batch in one aggregate: calling it per order probed the
    -- partitioned lines once per order, by nested loop, however large the batch.
    UPDATE dw.fact_sales_orders AS o
    SET cost_amount_cny = l.cost_amount_cny,
        item_count = l.item_count
    FROM (SELECT i.merchant_id, i.order_id, i.order_date, sum(i.cost_amount) AS cost_amount_cny, sum(i.quantity)::integer AS item_count
          FROM (SELECT DISTINCT r.merchant_id, r.order_id, r.order_date FROM unnest(orders) AS r) AS s
          JOIN dw.fact_order_items AS i
            ON i.merchant_id = s.merchant_id AND i.order_id = s.order_id AND i.order_date = s.order_date
          GROUP BY i.merchant_id, i.order_id, i.order_date) AS l
    WHERE o.merchant_id = l.merchant_id AND o.order_id = l.order_id AND o.order_date = l.order_date
      AND (o.cost_amount_cny, o.item_count) IS DISTINCT FROM (l.cost_amount_cny, l.item_count);
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END
$$;

COMMENT ON FUNCTION dw.post_order_totals(dw.order_ref[]) IS
    'Sets cost_amount_cny and item_count of the given orders from their lines (orders without lines are left alone); returns the orders changed.';
REVOKE EXECUTE ON FUNCTION dw.post_order_totals(dw.order_ref[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.post_order_totals(dw.order_ref[]) TO erp_writer;
