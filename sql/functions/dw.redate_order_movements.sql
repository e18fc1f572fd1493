-- dw.redate_order_movements: dates the stock movements already posted for order lines by the paid
-- and shipped times their order now gives, after a corrected order date moved them (by as many days
-- as the order, dw.cascade_order_keys) or a corrected time left them behind, so that stock as of a
-- day agrees with the corrected order.
-- requires: dw.order_ref (0017_business_flows), dw.fact_sales_orders, dw.fact_inventory_transactions,
--           dw.dim_merchants; the movements as dw.post_order_stock writes them
-- The rule, per movement of an order line (line_no set), as dw.post_order_stock dates new ones:
--   reserve:   the line's latest reservation (for its product) takes the order's paid_at; without one
--              it keeps its (moved) time
--   sale_out:  the line's latest shipment takes the order's shipped_at; without one (the order no
--              longer says when it shipped, e.g. its status went back) it keeps its (moved) time
--   an earlier reservation or shipment (the order shipped, came back and shipped again) is history the
--              order's one paid_at/shipped_at no longer describes: it keeps its (moved) time
--   release:   one that went with a shipment (same time as a sale_out of its line and product)
--              is dated as that sale_out; any other (a cancellation) keeps its own time, which is when
--              it was recorded, but never before the reservation it releases (the latest before it)
--   return_in: keeps its own time, never before the shipment it takes back (the latest before it)
-- transaction_date is occurred_at's day in the merchant's time zone, as when posted. Quantities,
-- products and warehouses are not touched, so positions do not move: only the day a movement
-- counts on changes. Movements naming no line (written by hand or another system) are left as
-- they are. A movement already dated right is not written: calling it twice changes nothing.
-- Called by the order import for the orders whose order_date the file corrected (the move step
-- lists them), and after its posting for the orders whose paid or shipped time it corrected without a
-- date change, when that posting wrote no movement for them (OrdersEntity.RedateRetimed); not by dw.post, which has no file saying what was corrected,
-- nor by every posting (a status change is an event: its earlier movements keep their times).

CREATE OR REPLACE FUNCTION dw.redate_order_movements(orders dw.order_ref[])
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    redated integer;
BEGIN
    IF coalesce(cardinality(orders), 0) = 0 THEN
        RETURN 0;
    END IF;
    WITH selected AS (
        SELECT DISTINCT r.merchant_id, r.order_id, r.order_date FROM unnest(orders) AS r
    ),
    ord AS (
        SELECT o.merchant_id, o.order_id, o.order_date, m.timezone,
               o.paid_at, o.shipped_at
        FROM selected AS s
        JOIN dw.fact_sales_orders AS o
          ON o.merchant_id = s.merchant_id AND o.order_id = s.order_id AND o.order_date = s.order_date
        JOIN dw.dim_merchants AS m ON m.merchant_id = o.merchant_id
    ),
    line_moves AS (
        SELECT t.merchant_id, t.transaction_id, t.order_id, t.order_date, t.line_no, t.product_id, t.transaction_type,
               t.occurred_at, o.timezone, o.paid_at, o.shipped_at,
               -- the latest reservation and the latest shipment of the line and product (all rows at that time: a
               -- quantity raised while shipped posts a second sale_out at the same time)
               t.occurred_at = max(t.occurred_at) OVER (PARTITION BY t.merchant_id, t.order_id, t.order_date, t.line_no,
                                                                      t.product_id, t.transaction_type) AS latest
        FROM ord AS o
        JOIN dw.fact_inventory_transactions AS t
          ON t.merchant_id = o.merchant_id AND t.order_id = o.order_id AND t.order_date = o.order_date
        WHERE t.line_no IS NOT NULL AND t.transaction_type IN ('reserve', 'release', 'sale_out', 'return_in')
    ),
    dated AS (
        SELECT l.*,
               CASE WHEN l.latest AND l.transaction_type = 'reserve' THEN coalesce(l.paid_at, l.occurred_at)
                    WHEN l.latest AND l.transaction_type = 'sale_out' THEN coalesce(l.shipped_at, l.occurred_at)
                    ELSE l.occurred_at END AS dated_at
        FROM line_moves AS l
    ),
    moved AS (
        SELECT d.merchant_id, d.transaction_id, d.timezone,
               CASE d.transaction_type
                   WHEN 'release' THEN coalesce(
                       -- one that went with a shipment: as that shipment
                       (SELECT s.dated_at FROM dated AS s
                        WHERE s.merchant_id = d.merchant_id AND s.order_id = d.order_id AND s.order_date = d.order_date
                          AND s.line_no = d.line_no AND s.product_id = d.product_id AND s.transaction_type = 'sale_out'
                          AND s.occurred_at = d.occurred_at
                        LIMIT 1),
                       -- any other: its own time, never before the reservation it releases
                       greatest(d.occurred_at,
                                (SELECT s.dated_at FROM dated AS s
                                 WHERE s.merchant_id = d.merchant_id AND s.order_id = d.order_id AND s.order_date = d.order_date
                                   AND s.line_no = d.line_no AND s.product_id = d.product_id AND s.transaction_type = 'reserve'
                                   AND (s.occurred_at, s.transaction_id) < (d.occurred_at, d.transaction_id)
                                 ORDER BY s.occurred_at DESC, s.transaction_id DESC
                                 LIMIT 1)))
                   -- its own time, never before the shipment it takes back
                   WHEN 'return_in' THEN greatest(d.occurred_at,
                       (SELECT s.dated_at FROM dated AS s
                        WHERE s.merchant_id = d.merchant_id AND s.order_id = d.order_id AND s.order_date = d.order_date
                          AND s.line_no = d.line_no AND s.product_id = d.product_id AND s.transaction_type = 'sale_out'
                          AND (s.occurred_at, s.transaction_id) < (d.occurred_at, d.transaction_id)
                        ORDER BY s.occurred_at DESC, s.transaction_id DESC
                        LIMIT 1))
                   ELSE d.dated_at
               END AS occurred_at
        FROM dated AS d
    )
    UPDATE dw.fact_inventory_transactions AS t
    SET occurred_at = mv.occurred_at, transaction_date = (mv.occurred_at AT TIME ZONE mv.timezone)::date
    FROM moved AS mv
    WHERE t.merchant_id = mv.merchant_id AND t.transaction_id = mv.transaction_id
      AND (t.occurred_at <> mv.occurred_at OR t.transaction_date <> (mv.occurred_at AT TIME ZONE mv.timezone)::date);
    GET DIAGNOSTICS redated = ROW_COUNT;
    RETURN redated;
END
$$;

COMMENT ON FUNCTION dw.redate_order_movements(dw.order_ref[]) IS
    'Dates the posted stock movements of the given orders'' lines by the orders'' current paid and shipped times (a release or return never before what it undoes); returns how many it re-dated (0 when all were dated right). See docs/business-flows.md, "Correcting what was imported".';
REVOKE EXECUTE ON FUNCTION dw.redate_order_movements(dw.order_ref[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.redate_order_movements(dw.order_ref[]) TO erp_writer;
