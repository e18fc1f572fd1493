-- dw.order_unlined_shipped: the net units shipped by an order's stock movements that name no line
-- (sale_out and return_in imported as such; posting writes none), as the order import reads them
-- for a stored order to set inventory_deducted (dw.stock_deducted), and dw.post_order_totals for
-- each order of a posted batch.
-- requires: dw.fact_inventory_transactions (0006_facts_inventory_finance)
-- No row when there are none. Inlined into the caller's query like dw.order_line_totals (a plain
-- SQL body without SET, schema-qualified): one probe of fact_inventory_transactions_order_idx per order.

-- first_day, last_day: days of the caller's batch that include day, as for dw.order_line_totals.

-- An earlier version took no batch days; two versions would leave the old one callable unbounded.
DROP FUNCTION IF EXISTS dw.order_unlined_shipped(bigint, bigint, date);

CREATE OR REPLACE FUNCTION dw.order_unlined_shipped(merchant bigint, order_key bigint, day date, first_day date, last_day date)
RETURNS TABLE (shipped bigint)
LANGUAGE sql
STABLE
ROWS 1
AS $$
    SELECT -sum(t.quantity_change)
    FROM dw.fact_inventory_transactions AS t
    WHERE t.merchant_id = merchant AND t.order_id = order_key AND t.order_date = day
      AND t.order_date BETWEEN first_day AND last_day
      AND t.line_no IS NULL AND t.transaction_type IN ('sale_out', 'return_in')
    HAVING count(*) > 0
$$;

COMMENT ON FUNCTION dw.order_unlined_shipped(bigint, bigint, date, date, date) IS
    'Net units shipped (sale_out minus return_in) by the movements of one order that name no line; no row when there are none. first_day, last_day: days of the caller''s batch that include day (they bound the partitions planned).';
REVOKE EXECUTE ON FUNCTION dw.order_unlined_shipped(bigint, bigint, date, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.order_unlined_shipped(bigint, bigint, date, date, date) TO erp_writer;
