-- dw.post_order_stock: the stock movements of orders, as the difference between what each line's
-- status asks for and what was already posted for it. Posting twice posts nothing the second time.
-- requires: dw.order_ref, dw.fact_inventory_transactions.line_no (0017_business_flows),
--           dw.fact_sales_orders, dw.fact_order_items, dw.dim_merchants, dw.apply_inventory_movements,
--           dw.ships_stock, dw.open_inventory_deltas, ops.analyze_batch, dw.is_reservation
-- Per line (and product, so a line whose SKU changed moves the old product back):
--   reserved: the quantity while paid or processing, else 0      (reserve / release movements)
--   shipped:  the quantity while dw.ships_stock (shipped, delivered, completed) (sale_out / return_in)
-- pending reserves nothing; cancelled, refunded and returned reserve and ship nothing, so they
-- release a reservation or take shipped goods back (a return_in re-enters the weighted-average cost
-- at the line's unit_cost, as a purchase at its price). Movements are written applied (quantity_posted
-- = quantity_change) and their deltas handed to dw.apply_inventory_movements in pg_temp.inventory_deltas,
-- which moves the positions by them and by the merchant's other pending movements in the same pass:
-- writing them unapplied and then updating every one of them wrote each movement and its six
-- indexes twice.
-- What a line posted for a product it no longer has (a deleted line, a corrected SKU) is reversed
-- as of the time it was posted (docs/business-flows.md, "Correcting what was imported").
-- A line's first movements are booked in its merchant's shipping warehouse
-- (dw.dim_merchants.shipping_warehouse_code, 'default' unless set) and all its later ones where its
-- first went: what it releases or takes back returns where it was taken from, even after the merchant
-- ships from another warehouse.
-- Reference: order:<order_id>:<line_no>:<type>:<n>, n counting that type for that line, so the
-- unique (merchant_id, transaction_type, reference_no) stops two concurrent postings of one order.

-- It returned the movements alone and left them for dw.apply_inventory_movements; a new result type needs a new function.
DROP FUNCTION IF EXISTS dw.post_order_stock(dw.order_ref[]);

CREATE OR REPLACE FUNCTION dw.post_order_stock(orders dw.order_ref[], OUT movements integer, OUT positions integer)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    merchant  bigint;
    first_day date;
    last_day  date;
BEGIN
    -- The movements' effect on positions, as dw.apply_inventory_movements collects it (same columns).
    PERFORM dw.open_inventory_deltas();

    -- The batch's orders, in an analyzed temp table: read from the array, their DISTINCT was
    -- estimated at a tenth (or less) of the batch, and the orders and their lines were then probed
    -- key by key through every partition. Knowing the batch's size, the planner hashes them
    -- (200,000 orders in psql: the function's median 12.5 s, 9.5 s with the table).
    DROP TABLE IF EXISTS pg_temp.posting_orders;
    CREATE TEMP TABLE posting_orders ON COMMIT DROP AS
    SELECT DISTINCT r.merchant_id, r.order_id, r.order_date FROM unnest(orders) AS r;
    PERFORM ops.analyze_batch('pg_temp.posting_orders');
    -- The batch's first and last order day bound the orders and lines read, so that only their
    -- partitions are scanned: the join of the batch with the orders on three columns is still
    -- estimated at a few rows, and a day's 4,764 orders at 1,000,000 were hashed against every
    -- order of the warehouse (1.5 s) instead of one month's.
    SELECT min(s.order_date), max(s.order_date) INTO first_day, last_day FROM pg_temp.posting_orders AS s;

    WITH selected AS (
        SELECT s.merchant_id, s.order_id, s.order_date FROM pg_temp.posting_orders AS s
    ),
    ord AS (
        SELECT o.merchant_id, o.order_id, o.order_date, o.order_no, o.status, o.ordered_at, o.paid_at,
               o.shipped_at, o.updated_at, m.timezone, m.shipping_warehouse_code
        FROM selected AS s
        JOIN dw.fact_sales_orders AS o
          ON o.merchant_id = s.merchant_id AND o.order_id = s.order_id AND o.order_date = s.order_date
        JOIN dw.dim_merchants AS m ON m.merchant_id = o.merchant_id
        WHERE o.order_date BETWEEN first_day AND last_day
    ),
    target AS (
        SELECT i.merchant_id, i.order_id, i.order_date, i.line_no, i.product_id, i.unit_cost,
               o.order_no, o.timezone, o.shipping_warehouse_code, o.ordered_at, o.paid_at, o.shipped_at, o.updated_at,
               CASE WHEN o.status IN ('paid', 'processing') THEN i.quantity ELSE 0 END AS reserved,
               CASE WHEN dw.ships_stock(o.status) THEN i.quantity ELSE 0 END AS shipped
        FROM ord AS o
        JOIN dw.fact_order_items AS i
          ON i.merchant_id = o.merchant_id AND i.order_id = o.order_id AND i.order_date = o.order_date
        WHERE i.order_date BETWEEN first_day AND last_day
    ),
    posted AS (
        SELECT t.merchant_id, t.order_id, t.order_date, t.line_no, t.product_id,
               o.order_no, o.timezone, o.ordered_at, o.paid_at, o.shipped_at, o.updated_at,
               min(t.warehouse_code) AS warehouse_code,
               coalesce(sum(t.quantity_change) FILTER (WHERE dw.is_reservation(t.transaction_type)), 0) AS reserved,
               coalesce(-sum(t.quantity_change) FILTER (WHERE t.transaction_type IN ('sale_out', 'return_in')), 0) AS shipped,
               max(t.unit_cost) FILTER (WHERE t.transaction_type = 'sale_out') AS unit_cost,
               max(t.occurred_at) FILTER (WHERE t.transaction_type = 'reserve') AS reserve_posted_at,
               max(t.occurred_at) FILTER (WHERE t.transaction_type = 'sale_out') AS ship_posted_at,
               max(t.occurred_at) FILTER (WHERE t.transaction_type = 'return_in') AS returned_at
        FROM ord AS o
        JOIN dw.fact_inventory_transactions AS t
          ON t.merchant_id = o.merchant_id AND t.order_id = o.order_id AND t.order_date = o.order_date
        WHERE t.line_no IS NOT NULL
        GROUP BY t.merchant_id, t.order_id, t.order_date, t.line_no, t.product_id,
                 o.order_no, o.timezone, o.ordered_at, o.paid_at, o.shipped_at, o.updated_at
    ),
    -- Each side carries its order's columns, so the movements need no second join with ord: with
    -- the batch's orders estimated at one row, that join ran as a nested loop over every movement.
    delta AS (
        SELECT coalesce(tg.merchant_id, p.merchant_id) AS merchant_id,
               coalesce(tg.order_id, p.order_id) AS order_id,
               coalesce(tg.order_date, p.order_date) AS order_date,
               coalesce(tg.line_no, p.line_no) AS line_no,
               coalesce(tg.product_id, p.product_id) AS product_id,
               coalesce(tg.unit_cost, p.unit_cost) AS unit_cost,
               coalesce(tg.order_no, p.order_no) AS order_no,
               coalesce(tg.timezone, p.timezone) AS timezone,
               -- A line moves its stock where it first did; a line not posted yet, in the merchant's shipping warehouse.
               coalesce(p.warehouse_code, tg.shipping_warehouse_code) AS warehouse_code,
               coalesce(tg.ordered_at, p.ordered_at) AS ordered_at,
               coalesce(tg.paid_at, p.paid_at) AS paid_at,
               coalesce(tg.shipped_at, p.shipped_at) AS shipped_at,
               coalesce(tg.updated_at, p.updated_at) AS updated_at,
               -- What a line posted for a product it no longer has (the line was deleted, or its SKU corrected) is taken
               -- back as of when it was posted: a correction of the import, not an event of its own, so stock as of the
               -- days between shows what the order really moved.
               CASE WHEN tg.line_no IS NULL THEN p.reserve_posted_at END AS reserve_undone_at,
               CASE WHEN tg.line_no IS NULL THEN p.ship_posted_at END AS ship_undone_at,
               -- Shipped again after its last shipment came back, the order still giving the time of a shipment already posted (a file without
               -- shipped_at keeps the first one's): an event, dated when recorded, never before the return it follows, as a
               -- return is never dated before the shipment it takes back. A new shipped_at in the file is taken as given.
               CASE WHEN p.returned_at >= p.ship_posted_at
                     AND coalesce(tg.shipped_at, p.shipped_at, tg.paid_at, p.paid_at, tg.ordered_at, p.ordered_at) <= p.ship_posted_at
                    THEN greatest(coalesce(tg.updated_at, p.updated_at), p.returned_at) END AS reshipped_at,
               coalesce(tg.reserved, 0) - coalesce(p.reserved, 0) AS reserve_change,
               coalesce(tg.shipped, 0) - coalesce(p.shipped, 0) AS ship_change,
               bool_or(p.line_no IS NOT NULL) OVER (PARTITION BY coalesce(tg.merchant_id, p.merchant_id), coalesce(tg.order_id, p.order_id),
                                                    coalesce(tg.order_date, p.order_date), coalesce(tg.line_no, p.line_no)) AS line_posted
        FROM target AS tg
        FULL JOIN posted AS p
          ON p.merchant_id = tg.merchant_id AND p.order_id = tg.order_id AND p.order_date = tg.order_date
         AND p.line_no = tg.line_no AND p.product_id = tg.product_id
    ),
    moves AS (
        SELECT d.*, CASE WHEN d.reserve_change > 0 THEN 'reserve' ELSE 'release' END AS transaction_type,
               d.reserve_change AS quantity_change
        FROM delta AS d WHERE d.reserve_change <> 0
        UNION ALL
        SELECT d.*, CASE WHEN d.ship_change > 0 THEN 'sale_out' ELSE 'return_in' END,
               -d.ship_change
        FROM delta AS d WHERE d.ship_change <> 0
    ),
    numbered AS (
        SELECT mv.*,
               CASE WHEN dw.is_reservation(mv.transaction_type) AND mv.reserve_undone_at IS NOT NULL THEN mv.reserve_undone_at
                    WHEN mv.transaction_type IN ('sale_out', 'return_in') AND mv.ship_undone_at IS NOT NULL THEN mv.ship_undone_at
                    ELSE
               CASE mv.transaction_type
                   WHEN 'reserve' THEN coalesce(mv.paid_at, mv.ordered_at)
                   WHEN 'sale_out' THEN s.shipped_at
                   WHEN 'release' THEN CASE WHEN mv.ship_change > 0 THEN s.shipped_at ELSE mv.updated_at END
                   ELSE mv.updated_at
               END END AS occurred_at,
               -- The line's earlier movements of the type are counted only for a line posted before
               -- (under any product): a new batch's lines skip one probe of the partitions each.
               CASE WHEN mv.line_posted THEN
                   (SELECT count(*) FROM dw.fact_inventory_transactions AS t
                    WHERE t.merchant_id = mv.merchant_id AND t.order_id = mv.order_id AND t.order_date = mv.order_date
                      AND t.line_no = mv.line_no AND t.transaction_type = mv.transaction_type)
               ELSE 0 END
               + row_number() OVER (PARTITION BY mv.merchant_id, mv.order_id, mv.line_no, mv.transaction_type ORDER BY mv.product_id) AS seq
        FROM moves AS mv
        -- When a line ships, for its sale_out and the release that goes with it (one time, so that no unit is both shipped and
        -- still reserved in between): the file's shipped_at; without one, when recorded if the shipment releases the line's
        -- reservation (a paid order now shipped: the status change is the event), else its payment or order (an order loaded
        -- already shipped, or a correction of a shipped line: a new SKU or quantity, booked where the shipment was).
        CROSS JOIN LATERAL (SELECT coalesce(mv.reshipped_at, mv.shipped_at, CASE WHEN mv.reserve_change < 0 THEN mv.updated_at END,
                                            mv.paid_at, mv.ordered_at) AS shipped_at) AS s
    )
    ,
    written AS (
        INSERT INTO dw.fact_inventory_transactions (
            merchant_id, transaction_date, product_id, warehouse_code, transaction_type, quantity_change, unit_cost,
            order_id, order_date, line_no, reference_no, note, occurred_at, quantity_posted)
        SELECT n.merchant_id, (n.occurred_at AT TIME ZONE n.timezone)::date, n.product_id, n.warehouse_code, n.transaction_type,
               n.quantity_change,
               CASE WHEN n.transaction_type IN ('sale_out', 'return_in') THEN n.unit_cost END,
               n.order_id, n.order_date, n.line_no,
               format('order:%s:%s:%s:%s', n.order_id, n.line_no, n.transaction_type, n.seq),
               format('order %s line %s', n.order_no, n.line_no),
               n.occurred_at, n.quantity_change
        FROM numbered AS n
        ORDER BY n.merchant_id, n.order_id, n.line_no, n.transaction_type
        RETURNING merchant_id, product_id, warehouse_code, transaction_type, quantity_change, unit_cost, transaction_date
    )
    -- Goods that come back (return_in) re-enter the weighted-average cost at the cost they were sold
    -- with (the line's unit_cost, the cost of goods sold the return takes back), as a purchase enters
    -- at its price; one without a cost (0) enters at the position's average, as before.
    INSERT INTO pg_temp.inventory_deltas (merchant_id, product_id, warehouse_code, on_hand_change, reserved_change, received, received_value, moved_on)
    SELECT w.merchant_id, w.product_id, w.warehouse_code,
           CASE WHEN dw.is_reservation(w.transaction_type) THEN 0 ELSE w.quantity_change END,
           CASE WHEN dw.is_reservation(w.transaction_type) THEN w.quantity_change ELSE 0 END,
           CASE WHEN w.transaction_type = 'return_in' AND w.unit_cost > 0 THEN w.quantity_change ELSE 0 END,
           CASE WHEN w.transaction_type = 'return_in' AND w.unit_cost > 0 THEN w.quantity_change * w.unit_cost ELSE 0 END,
           w.transaction_date
    FROM written AS w;
    GET DIAGNOSTICS movements = ROW_COUNT;

    -- The positions move by these movements (and by any other pending one of the merchant, as before), now.
    positions := 0;
    IF movements > 0 THEN
        FOR merchant IN SELECT DISTINCT d.merchant_id FROM pg_temp.inventory_deltas AS d ORDER BY 1 LOOP
            positions := positions + dw.apply_inventory_movements(merchant);
        END LOOP;
    END IF;
END
$$;

COMMENT ON FUNCTION dw.post_order_stock(dw.order_ref[]) IS
    'Posts the reserve/release/sale_out/return_in movements that bring each line of the given orders to what its status asks for, and moves the positions by them (dw.apply_inventory_movements); returns the movements inserted and positions changed (zeros when already posted). inventory_deducted is dw.post_order_totals''.';
REVOKE EXECUTE ON FUNCTION dw.post_order_stock(dw.order_ref[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.post_order_stock(dw.order_ref[]) TO erp_writer;
