-- dw.order_line_totals: an order's cost and units from its lines, as the order import takes them
-- for a stored order; dw.post_order_totals sums the same columns for a whole batch at once.
-- requires: dw.fact_order_items (0005_facts_sales)
-- No row when the order has no lines (then the order keeps the cost and item count it was
-- imported with). ROWS 1: at most one row; the default estimate of 1000 made a batch's upsert
-- look a thousand times its size to the planner, which then spent seconds compiling it (JIT).

CREATE OR REPLACE FUNCTION dw.order_line_totals(merchant bigint, order_key bigint, day date)
RETURNS TABLE (cost_amount_cny numeric, item_count integer)
LANGUAGE sql
STABLE
ROWS 1
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT sum(i.cost_amount), sum(i.quantity)::integer
    FROM dw.fact_order_items AS i
    WHERE i.merchant_id = merchant AND i.order_id = order_key AND i.order_date = day
    HAVING count(*) > 0
$$;

COMMENT ON FUNCTION dw.order_line_totals(bigint, bigint, date) IS
    'Cost in CNY (sum of quantity x unit_cost of the lines) and units (sum of quantities) of one order; no row when it has no lines.';
REVOKE EXECUTE ON FUNCTION dw.order_line_totals(bigint, bigint, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.order_line_totals(bigint, bigint, date) TO erp_writer;
