-- dw.post_order_totals: the order columns that follow from its lines: cost and item count and
-- inventory_deducted, in one UPDATE.
-- requires: dw.order_ref (0017_business_flows), dw.fact_sales_orders, dw.order_line_totals,
--           dw.order_unlined_shipped, dw.stock_deducted
-- Cost and item count are the sums of dw.order_line_totals, and the unlined movements those of
-- dw.order_unlined_shipped, read per order exactly as the order import's upsert reads them (it sets
-- all three columns itself, so it does not call this). Orders without lines keep the cost and item
-- count they were imported with (cost_amount and quantity are NOT NULL, so a NULL sum means no lines).
-- The profit columns of the order are generated from cost_amount_cny, so they follow.
-- inventory_deducted (dw.stock_deducted) is true when the order's net shipped quantity is positive
-- once dw.post_order_stock has run: that posting brings every line to its target, so the flag is
-- known from the lines and the status before the movements are written. Setting it here, not after the
-- movements, writes each order once per posting instead of twice (an UPDATE of 200,000 orders
-- and their seven indexes: 8-23 s at 1,000,000 orders).

-- A version had a second argument, totals, for the order import, which now sets the columns itself;
-- two versions would make a call ambiguous.
DROP FUNCTION IF EXISTS dw.post_order_totals(dw.order_ref[], boolean);

CREATE OR REPLACE FUNCTION dw.post_order_totals(orders dw.order_ref[])
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed   integer;
    first_day date;
    last_day  date;
BEGIN
    -- The batch's first and last day prune the orders to their partitions when the UPDATE is planned:
    -- unbounded, it was planned over every partition of the orders and their indexes (one order: about
    -- 20 ms of planning, more than the update).
    SELECT min(r.order_date), max(r.order_date) INTO first_day, last_day FROM unnest(orders) AS r;
    -- One inlined probe of the lines and one of the unlined movements per order (dw.order_line_totals,
    -- dw.order_unlined_shipped): linear in the batch whatever the estimates. A batch-wide aggregate joined
    -- back to the orders was planned, on fresh statistics, as a nested loop rescanning the aggregate for
    -- every order (its three-column join guessed at one row): 100,000 orders took more than ten minutes.
    WITH selected AS (
        SELECT DISTINCT r.merchant_id, r.order_id, r.order_date FROM unnest(orders) AS r
    )
    UPDATE dw.fact_sales_orders AS o
    SET cost_amount_cny = coalesce(l.cost_amount_cny, o.cost_amount_cny),
        item_count = coalesce(l.item_count, o.item_count),
        inventory_deducted = dw.stock_deducted(o.status, l.item_count, u.shipped)
    FROM selected AS s
    LEFT JOIN LATERAL dw.order_line_totals(s.merchant_id, s.order_id, s.order_date, first_day, last_day) AS l ON true
    LEFT JOIN LATERAL dw.order_unlined_shipped(s.merchant_id, s.order_id, s.order_date, first_day, last_day) AS u ON true
    WHERE o.merchant_id = s.merchant_id AND o.order_id = s.order_id AND o.order_date = s.order_date
      AND o.order_date BETWEEN first_day AND last_day
      AND ((o.cost_amount_cny, o.item_count) IS DISTINCT FROM (coalesce(l.cost_amount_cny, o.cost_amount_cny), coalesce(l.item_count, o.item_count))
           OR o.inventory_deducted IS DISTINCT FROM dw.stock_deducted(o.status, l.item_count, u.shipped));
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END
$$;

COMMENT ON FUNCTION dw.post_order_totals(dw.order_ref[]) IS
    'Sets cost_amount_cny and item_count of the given orders from their lines (orders without lines are left alone) and inventory_deducted from their lines, status and unlined movements; returns the orders changed.';
REVOKE EXECUTE ON FUNCTION dw.post_order_totals(dw.order_ref[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.post_order_totals(dw.order_ref[]) TO erp_writer;
