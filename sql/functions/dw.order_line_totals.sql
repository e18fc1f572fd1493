-- dw.order_line_totals: an order's cost and units from its lines, as the order import takes them
-- for a stored order and dw.post_order_totals for each order of a posted batch.
-- requires: dw.fact_order_items (0005_facts_sales)
-- No row when the order has no lines (then the order keeps the cost and item count it was
-- imported with).
-- A plain SQL body without SET, so the planner inlines it into the caller's query: one index probe
-- per order (about 6 us, against 18 us for a call of the same body through the function manager,
-- which a SET clause forces). pg_catalog is searched first, so sum, count and the operators cannot
-- be replaced through the caller's search_path; the table is schema-qualified. Inlined, its row
-- estimate is the aggregate's one row (ROWS 1 only matters if it is ever called, not inlined).

-- first_day, last_day: days of the caller's batch that include day. When the caller's statement is
-- planned they are constants (its parameters, or the posting's bounds), so PostgreSQL plans only the
-- partitions of those days; bounded by day alone, which is a column of the caller's row, it planned
-- every monthly partition and its indexes: 7-17 ms of a one-order ingest against 0.7 ms bounded
-- (docs/batch-plans.md, "A small batch is planned for its own days").

-- An earlier version took no batch days; two versions would leave the old one callable unbounded.
DROP FUNCTION IF EXISTS dw.order_line_totals(bigint, bigint, date);

CREATE OR REPLACE FUNCTION dw.order_line_totals(merchant bigint, order_key bigint, day date, first_day date, last_day date)
RETURNS TABLE (cost_amount_cny numeric, item_count integer)
LANGUAGE sql
STABLE
ROWS 1
AS $$
    SELECT sum(i.cost_amount), sum(i.quantity)::integer
    FROM dw.fact_order_items AS i
    WHERE i.merchant_id = merchant AND i.order_id = order_key AND i.order_date = day
      AND i.order_date BETWEEN first_day AND last_day
    HAVING count(*) > 0
$$;

COMMENT ON FUNCTION dw.order_line_totals(bigint, bigint, date, date, date) IS
    'Cost in CNY (sum of quantity x unit_cost of the lines) and units (sum of quantities) of one order; no row when it has no lines. first_day, last_day: days of the caller''s batch that include day (they bound the partitions planned).';
REVOKE EXECUTE ON FUNCTION dw.order_line_totals(bigint, bigint, date, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.order_line_totals(bigint, bigint, date, date, date) TO erp_writer;
