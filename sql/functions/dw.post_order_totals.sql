-- dw.post_order_totals: the order columns that follow from its lines: cost and item count (when
-- totals is true) and inventory_deducted, in one UPDATE.
-- requires: dw.order_ref (0017_business_flows), dw.fact_order_items, dw.fact_sales_orders,
--           dw.fact_inventory_transactions
-- Cost and item count are the sums of dw.order_line_totals (which the order import uses per
-- stored order, passing totals = false); orders without lines keep what they were imported with.
-- The profit columns of the order are generated from cost_amount_cny, so they follow.
-- inventory_deducted is true when the order's net shipped quantity is positive once
-- dw.post_order_stock has run: that posting brings every line to its target (the line's quantity
-- while shipped, delivered or completed, else 0), so the flag is known from the lines and the
-- status before the movements are written, plus any sale_out/return_in of the order that belongs
-- to no line (imported movements), which posting leaves alone. Setting it here, not after the
-- movements, writes each order once per posting instead of twice (an UPDATE of 200,000 orders
-- and their seven indexes: 8-23 s at 1,000,000 orders).

-- The one-argument version became this one with a defaulted argument; two would make a call ambiguous.
DROP FUNCTION IF EXISTS dw.post_order_totals(dw.order_ref[]);

CREATE OR REPLACE FUNCTION dw.post_order_totals(orders dw.order_ref[], totals boolean DEFAULT true)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed integer;
BEGIN
    -- The sums for the whole batch in one aggregate: calling dw.order_line_totals per order probed the
    -- partitioned lines once per order, by nested loop, however large the batch.
    WITH selected AS (
        SELECT DISTINCT r.merchant_id, r.order_id, r.order_date FROM unnest(orders) AS r
    ),
    lines AS (
        SELECT i.merchant_id, i.order_id, i.order_date, sum(i.cost_amount) AS cost_amount_cny,
               sum(i.quantity)::integer AS item_count
        FROM selected AS s
        JOIN dw.fact_order_items AS i
          ON i.merchant_id = s.merchant_id AND i.order_id = s.order_id AND i.order_date = s.order_date
        GROUP BY i.merchant_id, i.order_id, i.order_date
    ),
    unlined AS (
        SELECT t.merchant_id, t.order_id, t.order_date, -sum(t.quantity_change) AS shipped
        FROM selected AS s
        JOIN dw.fact_inventory_transactions AS t
          ON t.merchant_id = s.merchant_id AND t.order_id = s.order_id AND t.order_date = s.order_date
        WHERE t.line_no IS NULL AND t.transaction_type IN ('sale_out', 'return_in')
        GROUP BY t.merchant_id, t.order_id, t.order_date
    ),
    next AS (
        SELECT o.merchant_id, o.order_id, o.order_date,
               CASE WHEN totals AND l.order_id IS NOT NULL THEN l.cost_amount_cny ELSE o.cost_amount_cny END AS cost_amount_cny,
               CASE WHEN totals AND l.order_id IS NOT NULL THEN l.item_count ELSE o.item_count END AS item_count,
               CASE WHEN o.status IN ('shipped', 'delivered', 'completed') THEN coalesce(l.item_count, 0) ELSE 0 END
                   + coalesce(u.shipped, 0) > 0 AS inventory_deducted,
               o.cost_amount_cny AS old_cost, o.item_count AS old_items, o.inventory_deducted AS old_deducted
        FROM selected AS s
        JOIN dw.fact_sales_orders AS o
          ON o.merchant_id = s.merchant_id AND o.order_id = s.order_id AND o.order_date = s.order_date
        LEFT JOIN lines AS l
          ON l.merchant_id = s.merchant_id AND l.order_id = s.order_id AND l.order_date = s.order_date
        LEFT JOIN unlined AS u
          ON u.merchant_id = s.merchant_id AND u.order_id = s.order_id AND u.order_date = s.order_date
    )
    UPDATE dw.fact_sales_orders AS o
    SET cost_amount_cny = n.cost_amount_cny,
        item_count = n.item_count,
        inventory_deducted = n.inventory_deducted
    FROM next AS n
    WHERE o.merchant_id = n.merchant_id AND o.order_id = n.order_id AND o.order_date = n.order_date
      AND (n.old_cost, n.old_items, n.old_deducted) IS DISTINCT FROM (n.cost_amount_cny, n.item_count, n.inventory_deducted);
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END
$$;

COMMENT ON FUNCTION dw.post_order_totals(dw.order_ref[], boolean) IS
    'Sets cost_amount_cny and item_count of the given orders from their lines (when totals; orders without lines are left alone) and inventory_deducted from their lines, status and unlined movements; returns the orders changed.';
REVOKE EXECUTE ON FUNCTION dw.post_order_totals(dw.order_ref[], boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.post_order_totals(dw.order_ref[], boolean) TO erp_writer;
