-- dw.post_order_totals: an order's cost and item count from its lines.
-- requires: dw.order_ref (0017_business_flows), dw.order_line_totals, dw.fact_sales_orders
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
    UPDATE dw.fact_sales_orders AS o
    SET cost_amount_cny = l.cost_amount_cny,
        item_count = l.item_count
    FROM (SELECT DISTINCT r.merchant_id, r.order_id, r.order_date FROM unnest(orders) AS r) AS s
    CROSS JOIN LATERAL dw.order_line_totals(s.merchant_id, s.order_id, s.order_date) AS l
    WHERE o.merchant_id = s.merchant_id AND o.order_id = s.order_id AND o.order_date = s.order_date
      AND (o.cost_amount_cny, o.item_count) IS DISTINCT FROM (l.cost_amount_cny, l.item_count);
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END
$$;

COMMENT ON FUNCTION dw.post_order_totals(dw.order_ref[]) IS
    'Sets cost_amount_cny and item_count of the given orders from their lines (orders without lines are left alone); returns the orders changed.';
REVOKE EXECUTE ON FUNCTION dw.post_order_totals(dw.order_ref[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.post_order_totals(dw.order_ref[]) TO erp_writer;
