-- dw.post_order_totals: what an order row keeps of its lines and its stock: cost and item count
-- from the lines, inventory_deducted from the posted movements. One update of each order row.
-- requires: dw.order_ref (0017_business_flows), dw.fact_order_items, dw.fact_sales_orders,
--           dw.fact_inventory_transactions
-- Cost and units: the same sums as dw.order_line_totals (which the order import uses per stored
-- order); orders without lines keep what they were imported with; lines = false leaves them to a
-- caller that has just set them itself (the order import, in its upsert). The profit columns of
-- the order are generated from cost_amount_cny, so they follow.
-- inventory_deducted: the order's goods are out of stock exactly when its posted sale_out minus
-- return_in movements leave at least one unit out, so it runs after dw.post_order_stock.
-- Each order row is updated once at most: cost, units and the flag together where cost or units
-- changed, the flag alone elsewhere (two updates in a row rewrote every order of a batch and its
-- eight indexes twice).
-- Returns the orders whose cost or units changed.

-- It took the orders alone and set cost and units only; posting updated inventory_deducted apart.
DROP FUNCTION IF EXISTS dw.post_order_totals(dw.order_ref[]);

CREATE OR REPLACE FUNCTION dw.post_order_totals(orders dw.order_ref[], lines boolean DEFAULT true)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed integer;
BEGIN
    -- What the lines and the movements say of each order of the batch, each sum by one aggregate over
    -- a join with the batch: calling dw.order_line_totals per order, or a subquery per order, probed
    -- the partitions once per order. Kept in a temporary table and analyzed, so that both updates
    -- below join it with the orders by its real size: estimated from the array (a tenth of it), the
    -- join ran as a nested loop that scanned a partition's orders for each order of the batch.
    CREATE TEMP TABLE IF NOT EXISTS order_totals (
        merchant_id bigint, order_id bigint, order_date date,
        cost_amount_cny numeric, item_count integer, inventory_deducted boolean
    ) ON COMMIT DROP;
    TRUNCATE order_totals;
    WITH selected AS (
        SELECT DISTINCT r.merchant_id, r.order_id, r.order_date FROM unnest(orders) AS r
    ),
    line_sums AS (
        SELECT i.merchant_id, i.order_id, i.order_date, sum(i.cost_amount) AS cost_amount_cny, sum(i.quantity)::integer AS item_count
        FROM selected AS s
        JOIN dw.fact_order_items AS i
          ON i.merchant_id = s.merchant_id AND i.order_id = s.order_id AND i.order_date = s.order_date
        WHERE lines
        GROUP BY i.merchant_id, i.order_id, i.order_date
    ),
    shipped AS (
        SELECT t.merchant_id, t.order_id, t.order_date, -sum(t.quantity_change) AS units
        FROM selected AS s
        JOIN dw.fact_inventory_transactions AS t
          ON t.merchant_id = s.merchant_id AND t.order_id = s.order_id AND t.order_date = s.order_date
        WHERE t.transaction_type IN ('sale_out', 'return_in')
        GROUP BY t.merchant_id, t.order_id, t.order_date
    )
    INSERT INTO order_totals
    SELECT s.merchant_id, s.order_id, s.order_date, l.cost_amount_cny, l.item_count, coalesce(sh.units, 0) > 0
    FROM selected AS s
    LEFT JOIN line_sums AS l
      ON l.merchant_id = s.merchant_id AND l.order_id = s.order_id AND l.order_date = s.order_date
    LEFT JOIN shipped AS sh
      ON sh.merchant_id = s.merchant_id AND sh.order_id = s.order_id AND sh.order_date = s.order_date;
    ANALYZE order_totals;

    -- Orders with lines whose cost or units changed: all three columns at once.
    UPDATE dw.fact_sales_orders AS o
    SET cost_amount_cny = x.cost_amount_cny,
        item_count = x.item_count,
        inventory_deducted = x.inventory_deducted
    FROM order_totals AS x
    WHERE o.merchant_id = x.merchant_id AND o.order_id = x.order_id AND o.order_date = x.order_date
      AND x.item_count IS NOT NULL
      AND (o.cost_amount_cny, o.item_count) IS DISTINCT FROM (x.cost_amount_cny, x.item_count);
    GET DIAGNOSTICS changed = ROW_COUNT;

    -- The others whose stock flag changed (none of the rows above: they hold it already).
    UPDATE dw.fact_sales_orders AS o
    SET inventory_deducted = x.inventory_deducted
    FROM order_totals AS x
    WHERE o.merchant_id = x.merchant_id AND o.order_id = x.order_id AND o.order_date = x.order_date
      AND o.inventory_deducted IS DISTINCT FROM x.inventory_deducted;
    RETURN changed;
END
$$;

COMMENT ON FUNCTION dw.post_order_totals(dw.order_ref[], boolean) IS
    'Sets cost_amount_cny and item_count of the given orders from their lines (unless lines is false; orders without lines are left alone) and inventory_deducted from their posted movements, in one update; returns the orders whose cost or units changed.';
REVOKE EXECUTE ON FUNCTION dw.post_order_totals(dw.order_ref[], boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.post_order_totals(dw.order_ref[], boolean) TO erp_writer;
