-- dw.stock_status_class: the stock class erpdb inventory filters and counts by: out, low (both from
-- dw.stock_status, the one definition of low stock, against the given safety stock), overstock or
-- normal.
-- Overstock: the stock above the safety stock would last more than overstock_days at the last 30 days'
-- rate of sales. Measured above the safety stock, not on all of it, because the safety stock is meant to
-- stay on the shelf: a product that keeps 50 in reserve and sells 5 a month is not overstocked with 52,
-- it is due to reorder (dw.suggested_reorder_qty). So with overstock_days of 30 or more a product is never
-- both overstock and given a reorder suggestion. Stock above the safety stock that sold nothing in the
-- 30 days would last forever: dead stock, the most overstocked of all.
-- requires: dw.stock_status (sql/functions; created first: function files run in name order)
-- An IMMUTABLE single-expression SQL function: inlined into the query that calls it.

CREATE OR REPLACE FUNCTION dw.stock_status_class(quantity_available bigint, safety_stock bigint, units_sold_30d bigint, overstock_days integer)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT CASE dw.stock_status(quantity_available, safety_stock)
               WHEN 'out_of_stock' THEN 'out'
               WHEN 'low_stock' THEN 'low'
               ELSE CASE WHEN units_sold_30d <= 0 OR (quantity_available - safety_stock) * 30.0 / units_sold_30d > overstock_days
                         THEN 'overstock' ELSE 'normal' END
           END
$$;

COMMENT ON FUNCTION dw.stock_status_class(bigint, bigint, bigint, integer) IS
    'The stock class of erpdb inventory: out or low (dw.stock_status against the given safety stock), overstock (the stock above the safety stock lasts more than overstock_days at the last 30 days'' sales, or did not sell) or normal.';
REVOKE EXECUTE ON FUNCTION dw.stock_status_class(bigint, bigint, bigint, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.stock_status_class(bigint, bigint, bigint, integer) TO erp_reader, erp_writer;
