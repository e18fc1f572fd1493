-- dw.post_order_totals: the order columns that follow from its lines: cost and item count and
-- inventory_deducted, in one UPDATE.
-- requires: dw.order_ref (0017_business_flows), dw.fact_order_items, dw.fact_sales_orders,
--           dw.fact_inventory_transactions, dw.stock_deducted
-- Cost and item count are the sums of dw.order_line_totals, and the unlined movements those of
-- dw.order_unlined_shipped: the order import reads both per stored order and sets all three
-- columns in its upsert, so it does not call this. Orders without lines keep the cost and item
-- count they were imported with.
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
    changed integer;
BEGIN
    -- The sums for the whole batch in one aggregate (calling dw.order_line_totals per order probed the
    -- partitioned lines once per order), and one join with the orders, so it is a hash join: joined a
    -- second time to read their old values, the batch's orders (estimated at a tenth of their number)
    -- were probed by nested loop, each probe scanning the merchant's orders.
    WITH selected AS (
        SELECT DISTINCT r.merchant_id, r.order_id, r.order_date FROM unnest(orders) AS r
    )
    UPDATE dw.fact_sales_orders AS o
    SET cost_amount_cny = CASE WHEN x.lined THEN x.cost_amount_cny ELSE o.cost_amount_cny END,
        item_count = CASE WHEN x.lined THEN x.item_count ELSE o.item_count END,
        inventory_deducted = dw.stock_deducted(o.status, x.item_count, x.unlined_shipped)
    FROM (
        SELECT s.merchant_id, s.order_id, s.order_date,
               l.order_id IS NOT NULL AS lined, l.cost_amount_cny, l.item_count, u.shipped AS unlined_shipped
        FROM selected AS s
        LEFT JOIN (
            SELECT i.merchant_id, i.order_id, i.order_date, sum(i.cost_amount) AS cost_amount_cny,
                   sum(i.quantity)::integer AS item_count
            FROM selected AS s
            JOIN dw.fact_order_items AS i
              ON i.merchant_id = s.merchant_id AND i.order_id = s.order_id AND i.order_date = s.order_date
            GROUP BY i.merchant_id, i.order_id, i.order_date
        ) AS l ON l.merchant_id = s.merchant_id AND l.order_id = s.order_id AND l.order_date = s.order_date
        LEFT JOIN (
            SELECT t.merchant_id, t.order_id, t.order_date, -sum(t.quantity_change) AS shipped
            FROM selected AS s
            JOIN dw.fact_inventory_transactions AS t
              ON t.merchant_id = s.merchant_id AND t.order_id = s.order_id AND t.order_date = s.order_date
            WHERE t.line_no IS NULL AND t.transaction_type IN ('sale_out', 'return_in')
            GROUP BY t.merchant_id, t.order_id, t.order_date
        ) AS u ON u.merchant_id = s.merchant_id AND u.order_id = s.order_id AND u.order_date = s.order_date
    ) AS x
    WHERE o.merchant_id = x.merchant_id AND o.order_id = x.order_id AND o.order_date = x.order_date
      AND ((x.lined AND (o.cost_amount_cny, o.item_count) IS DISTINCT FROM (x.cost_amount_cny, x.item_count))
           OR o.inventory_deducted IS DISTINCT FROM dw.stock_deducted(o.status, x.item_count, x.unlined_shipped));
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END
$$;

COMMENT ON FUNCTION dw.post_order_totals(dw.order_ref[]) IS
    'Sets cost_amount_cny and item_count of the given orders from their lines (orders without lines are left alone) and inventory_deducted from their lines, status and unlined movements; returns the orders changed.';
REVOKE EXECUTE ON FUNCTION dw.post_order_totals(dw.order_ref[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.post_order_totals(dw.order_ref[]) TO erp_writer;
