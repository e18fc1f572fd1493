-- dw.apply_inventory_movements: moves the stock positions by the movements not yet applied, and
-- keeps the weighted-average cost and the shortages.
-- requires: dw.fact_inventory.shortage_* and dw.fact_inventory_transactions.quantity_posted
--           (0017_business_flows), dw.fact_inventory_transactions.posted_* (0050), dw.dim_products,
--           dw.average_cost_after_purchases, dw.product_cost_cny, dw.open_inventory_deltas, dw.is_reservation,
--           dw.missing_rate_problem
-- Applies quantity_change - quantity_posted of every movement where they differ (NULL = never:
-- the writer kept the position itself), then sets quantity_posted = quantity_change: so it is
-- idempotent, and a purchase re-imported with another quantity applies just the difference.
-- A movement also keeps the product and warehouse it was applied to (posted_product_id,
-- posted_warehouse_code, 0050; NULL = where it stands): one re-imported with another SKU or
-- warehouse takes its quantity_posted units back from the old position and posts quantity_change
-- to the new one, so on hand = opening + the movements per product and warehouse still holds.
-- A caller that wrote movements already applied (dw.post_order_stock) leaves their deltas in
-- pg_temp.inventory_deltas; they move the positions together with the pending ones, and are consumed.
-- Book balance = quantity_on_hand - shortage_on_hand (any sign); quantity_on_hand is its positive
-- part, shortage_on_hand the units shipped beyond it. Book reservation = quantity_reserved +
-- shortage_reserved; quantity_reserved never exceeds quantity_on_hand, the rest is short.
-- So per product and warehouse, at any time: quantity_on_hand - shortage_on_hand = opening +
-- applied on-hand movements, and quantity_reserved + shortage_reserved = opening reserved +
-- applied reserve/release movements. A position opens at its product's unit cost (in CNY at the
-- rate of its first movement's day: dw.product_cost_cny); a purchase
-- (purchase_in) moves average_unit_cost to the weighted average of the stock on hand and the units
-- received, and a corrected one (taken back, re-priced: posted_unit_cost) by the rule of
-- dw.average_cost_after_purchases. Goods returned on orders enter the average at their line's cost
-- (dw.post_order_stock hands them in pg_temp.inventory_deltas as received units and value).

CREATE OR REPLACE FUNCTION dw.apply_inventory_movements(merchant bigint DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed integer;
    unvalued record;
BEGIN
    -- Deltas a caller already collected (dw.post_order_stock writes its movements applied and leaves
    -- their deltas here) move the positions together with the pending movements, in one pass.
    PERFORM dw.open_inventory_deltas();

    -- A movement is pending while its units, place or cost differ from what was applied (the posted_*
    -- columns; NULL = where it stands). The predicate is the partial index's (0050), word for word.
    WITH pending AS (
        SELECT t.merchant_id, t.transaction_id, t.quantity_posted,
               coalesce(t.posted_product_id, t.product_id) AS posted_product_id,
               coalesce(t.posted_warehouse_code, t.warehouse_code) AS posted_warehouse_code,
               coalesce(t.posted_unit_cost, t.unit_cost) AS posted_unit_cost
        FROM dw.fact_inventory_transactions AS t
        WHERE (t.quantity_posted <> t.quantity_change OR t.posted_product_id <> t.product_id
               OR t.posted_warehouse_code <> t.warehouse_code OR t.posted_unit_cost <> t.unit_cost)
          AND (merchant IS NULL OR t.merchant_id = merchant)
        FOR UPDATE
    ),
    applied AS (
        UPDATE dw.fact_inventory_transactions AS t
        SET quantity_posted = t.quantity_change, posted_product_id = t.product_id,
            posted_warehouse_code = t.warehouse_code, posted_unit_cost = t.unit_cost
        FROM pending AS p
        WHERE t.merchant_id = p.merchant_id AND t.transaction_id = p.transaction_id
        RETURNING t.merchant_id, t.product_id, t.warehouse_code, t.transaction_type, t.unit_cost, t.quantity_change, t.transaction_date,
                  p.posted_product_id, p.posted_warehouse_code, p.quantity_posted, p.posted_unit_cost,
                  -- the units posted that stay where they are: none when the movement moved
                  CASE WHEN t.product_id = p.posted_product_id AND t.warehouse_code = p.posted_warehouse_code
                       THEN p.quantity_posted ELSE 0 END AS staying
    ),
    -- Where a movement now stands it brings quantity_change - staying; where it was posted before
    -- (when it moved to another product or warehouse) it takes back the quantity_posted units.
    -- A purchase's legs also carry value (dw.average_cost_after_purchases): units received at its
    -- unit_cost, units taken back at the cost they were posted with, and the staying units re-priced
    -- by unit_cost - posted_unit_cost.
    legs AS (
        SELECT a.merchant_id, a.product_id, a.warehouse_code, a.transaction_type, a.transaction_date,
               a.quantity_change - a.staying AS delta,
               greatest(a.quantity_change - a.staying, 0) AS received,
               greatest(a.quantity_change - a.staying, 0) * coalesce(a.unit_cost, 0) AS received_value,
               greatest(a.staying - a.quantity_change, 0) AS taken_back,
               greatest(a.staying - a.quantity_change, 0) * coalesce(a.posted_unit_cost, 0) AS taken_back_value,
               least(a.staying, a.quantity_change) AS repriced,
               least(a.staying, a.quantity_change) * (coalesce(a.unit_cost, 0) - coalesce(a.posted_unit_cost, 0)) AS repriced_value
        FROM applied AS a
        UNION ALL
        SELECT a.merchant_id, a.posted_product_id, a.posted_warehouse_code, a.transaction_type, a.transaction_date,
               -a.quantity_posted, 0, 0, a.quantity_posted, a.quantity_posted * coalesce(a.posted_unit_cost, 0), 0, 0
        FROM applied AS a
        WHERE (a.posted_product_id <> a.product_id OR a.posted_warehouse_code <> a.warehouse_code) AND a.quantity_posted <> 0
    )
    INSERT INTO pg_temp.inventory_deltas
    SELECT l.merchant_id, l.product_id, l.warehouse_code,
           coalesce(sum(l.delta) FILTER (WHERE NOT dw.is_reservation(l.transaction_type)), 0),
           coalesce(sum(l.delta) FILTER (WHERE dw.is_reservation(l.transaction_type)), 0),
           coalesce(sum(l.received) FILTER (WHERE l.transaction_type = 'purchase_in'), 0),
           coalesce(sum(l.received_value) FILTER (WHERE l.transaction_type = 'purchase_in'), 0),
           coalesce(sum(l.taken_back) FILTER (WHERE l.transaction_type = 'purchase_in'), 0),
           coalesce(sum(l.taken_back_value) FILTER (WHERE l.transaction_type = 'purchase_in'), 0),
           coalesce(sum(l.repriced) FILTER (WHERE l.transaction_type = 'purchase_in'), 0),
           coalesce(sum(l.repriced_value) FILTER (WHERE l.transaction_type = 'purchase_in'), 0),
           min(l.transaction_date)
    FROM legs AS l
    GROUP BY l.merchant_id, l.product_id, l.warehouse_code;

    DROP TABLE IF EXISTS pg_temp.inventory_moves;
    CREATE TEMP TABLE inventory_moves ON COMMIT DROP AS
    SELECT d.merchant_id, d.product_id, d.warehouse_code, sum(d.on_hand_change) AS on_hand_change,
           sum(d.reserved_change) AS reserved_change, sum(d.received) AS received, sum(d.received_value) AS received_value,
           sum(d.taken_back) AS taken_back, sum(d.taken_back_value) AS taken_back_value,
           sum(d.repriced) AS repriced, sum(d.repriced_value) AS repriced_value, min(d.moved_on) AS moved_on
    FROM pg_temp.inventory_deltas AS d
    WHERE merchant IS NULL OR d.merchant_id = merchant
    GROUP BY d.merchant_id, d.product_id, d.warehouse_code;
    DELETE FROM pg_temp.inventory_deltas AS d WHERE merchant IS NULL OR d.merchant_id = merchant;

    -- A position opens at the product's safety stock and unit cost: a count or an order's return
    -- that opens it brings no cost, and stock valued at 0 would drag the next purchase's weighted
    -- average down (100 counted units, then 10 bought at 5: 0.45 a unit instead of the product's cost).
    -- The product's cost is in its cost_currency: it opens at that cost in CNY at the rate of the day
    -- of the earliest movement opening it (dw.product_cost_cny). With no rate of that currency for
    -- that day (dw.exchange_rate_on) the posting fails, naming the product, as an order without a rate is rejected.
    SELECT p.sku, d.warehouse_code, p.cost_currency, d.moved_on INTO unvalued
    FROM pg_temp.inventory_moves AS d
    JOIN dw.dim_products AS p ON p.merchant_id = d.merchant_id AND p.product_id = d.product_id
    CROSS JOIN LATERAL dw.product_cost_cny(p.unit_cost, p.cost_currency::text, d.moved_on) AS c
    WHERE c.unit_cost IS NULL
      AND NOT EXISTS (SELECT 1 FROM dw.fact_inventory AS f
                      WHERE f.merchant_id = d.merchant_id AND f.product_id = d.product_id AND f.warehouse_code = d.warehouse_code)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'sku % costs in % and %: its new stock position %@% cannot be valued in CNY',
            unvalued.sku, unvalued.cost_currency, dw.missing_rate_problem(unvalued.cost_currency::text, unvalued.moved_on), unvalued.sku, unvalued.warehouse_code
            USING ERRCODE = 'data_exception', HINT = 'Add the rate to dw.fact_exchange_rates and import or post again.';
    END IF;

    INSERT INTO dw.fact_inventory AS f (merchant_id, product_id, warehouse_code, safety_stock, average_unit_cost)
    SELECT d.merchant_id, d.product_id, d.warehouse_code, p.safety_stock, c.unit_cost
    FROM pg_temp.inventory_moves AS d
    JOIN dw.dim_products AS p ON p.merchant_id = d.merchant_id AND p.product_id = d.product_id
    CROSS JOIN LATERAL dw.product_cost_cny(p.unit_cost, p.cost_currency::text, d.moved_on) AS c
    ON CONFLICT (merchant_id, product_id, warehouse_code) DO NOTHING;

    -- book = on hand - shortage + change; reservation = reserved + short + change (never below 0).
    UPDATE dw.fact_inventory AS f
    SET quantity_on_hand = greatest(f.quantity_on_hand - f.shortage_on_hand + d.on_hand_change, 0),
        shortage_on_hand = greatest(-(f.quantity_on_hand - f.shortage_on_hand + d.on_hand_change), 0),
        quantity_reserved = least(greatest(f.quantity_reserved + f.shortage_reserved + d.reserved_change, 0),
                                  greatest(f.quantity_on_hand - f.shortage_on_hand + d.on_hand_change, 0)),
        shortage_reserved = greatest(f.quantity_reserved + f.shortage_reserved + d.reserved_change, 0)
                            - least(greatest(f.quantity_reserved + f.shortage_reserved + d.reserved_change, 0),
                                    greatest(f.quantity_on_hand - f.shortage_on_hand + d.on_hand_change, 0)),
        average_unit_cost = CASE
            WHEN d.received > 0 OR d.taken_back > 0 OR d.repriced > 0 THEN dw.average_cost_after_purchases(
                f.quantity_on_hand, f.average_unit_cost, d.taken_back, d.taken_back_value,
                d.repriced, d.repriced_value, d.received, d.received_value)
            ELSE f.average_unit_cost END
    FROM pg_temp.inventory_moves AS d
    WHERE f.merchant_id = d.merchant_id AND f.product_id = d.product_id AND f.warehouse_code = d.warehouse_code
      AND (d.on_hand_change <> 0 OR d.reserved_change <> 0 OR d.received > 0 OR d.taken_back > 0 OR d.repriced > 0);
    GET DIAGNOSTICS changed = ROW_COUNT;

    PERFORM dw.check_stock_shortages(merchant);
    RETURN changed;
END
$$;

COMMENT ON FUNCTION dw.apply_inventory_movements(bigint) IS
    'Applies the not yet applied part of every stock movement (of one merchant, or all) to dw.fact_inventory: on hand, reserved, shortages, weighted-average cost on purchases; then raises or resolves stock_shortage alerts. Returns the positions changed. Idempotent.';
REVOKE EXECUTE ON FUNCTION dw.apply_inventory_movements(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.apply_inventory_movements(bigint) TO erp_writer;
