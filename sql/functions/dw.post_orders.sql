-- dw.post_orders: posts the given orders to the books: cost and units from their lines, stock
-- movements and positions, receivables and their settlement. (Their fees need no posting:
-- dw.order_fee_expenses derives the expense rows from the orders.)
-- requires: dw.order_ref (0017_business_flows), dw.post_order_totals, dw.post_order_stock (which applies
--           the movements), dw.post_order_receivables, dw.settle_receivables
-- Runs as the caller (erp_writer or the owner), inside the caller's transaction; every row it
-- writes belongs to the merchant of the order it comes from. Idempotent: posting the same orders
-- again changes nothing and returns zeros.
-- totals = false skips dw.post_order_totals, for a caller that has just set cost, units and
-- inventory_deducted from the stored lines itself (the order import does, in its upsert): an
-- UPDATE-join over every order of the batch that would find nothing to change (2 s per 200,000).
-- order_books = false skips the receivables and their settlement, which follow the order's own
-- columns only: for a caller that changed nothing but the orders' lines (the
-- order-lines import). Steps that cannot change anything are skipped: positions when no movement
-- was posted (dw.post applies any other pending movement), settlement when no order has a
-- receivable.
-- jit = off: its statements touch every partition of the facts, and compiling them (seconds)
-- costs more than a posting run takes.
-- enable_mergejoin = off: the batch's orders, estimated at a few hundred rows, were merged with
-- their lines on (merchant, day) alone, the order id then filtered pair by pair: quadratic in a
-- day's orders (200,000 orders at 1,000,000: 219 million pairs, 43 s of the stock posting). Hash
-- joins and key probes are linear whatever the estimates.

-- Earlier versions had fewer (defaulted) arguments; keeping them would make a call ambiguous. The
-- last one also returned the fee expenses it wrote, and a result column cannot be removed in place.
DROP FUNCTION IF EXISTS dw.post_orders(dw.order_ref[]);
DROP FUNCTION IF EXISTS dw.post_orders(dw.order_ref[], boolean);
DROP FUNCTION IF EXISTS dw.post_orders(dw.order_ref[], boolean, boolean);

CREATE OR REPLACE FUNCTION dw.post_orders(
    orders dw.order_ref[],
    totals boolean DEFAULT true,
    order_books boolean DEFAULT true,
    OUT orders_costed integer,
    OUT movements integer,
    OUT positions integer,
    OUT receivables integer,
    OUT settled integer)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET jit = off
SET enable_mergejoin = off
AS $$
DECLARE
    receivable_ids bigint[];
BEGIN
    IF coalesce(cardinality(orders), 0) = 0 THEN
        SELECT 0, 0, 0, 0, 0 INTO orders_costed, movements, positions, receivables, settled;
        RETURN;
    END IF;
    orders_costed := CASE WHEN totals THEN dw.post_order_totals(orders) ELSE 0 END;
    SELECT s.movements, s.positions INTO movements, positions FROM dw.post_order_stock(orders) AS s;
    receivables := 0;
    settled := 0;
    IF NOT order_books THEN
        RETURN;
    END IF;

    receivables := dw.post_order_receivables(orders);
    SELECT array_agg(r.receivable_id) INTO receivable_ids
    FROM dw.fact_accounts_receivable AS r
    JOIN (SELECT DISTINCT x.merchant_id, x.order_id, x.order_date FROM unnest(orders) AS x) AS s
      ON r.merchant_id = s.merchant_id AND r.order_id = s.order_id AND r.order_date = s.order_date;
    settled := CASE WHEN receivable_ids IS NULL THEN 0 ELSE dw.settle_receivables(NULL, receivable_ids) END;
END
$$;

COMMENT ON FUNCTION dw.post_orders(dw.order_ref[], boolean, boolean) IS
    'Posts the given orders: cost, item_count and inventory_deducted from lines (unless totals is false: the caller set them), stock movements and positions (with shortage alerts), and unless order_books is false (only lines changed) receivables of invoiced orders and their settlement. Returns what changed per book; zeros when already posted.';
REVOKE EXECUTE ON FUNCTION dw.post_orders(dw.order_ref[], boolean, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.post_orders(dw.order_ref[], boolean, boolean) TO erp_writer;
