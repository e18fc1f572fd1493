-- dw.stock_status_class: the stock class erpdb inventory filters and counts by: out, low (both from
-- dw.stock_status, the one definition of low stock, against the given safety stock), overstock
-- (more days of cover than the given limit) or normal. Stock above the safety stock that sold
-- nothing in the last 30 days has no days of cover (NULL: it would last forever) and is the most
-- overstocked of all: dead stock, not normal.
-- requires: dw.stock_status (sql/functions; created first: function files run in name order)
-- An IMMUTABLE single-expression SQL function: inlined into the query that calls it.

CREATE OR REPLACE FUNCTION dw.stock_status_class(quantity_available bigint, safety_stock bigint, days_of_cover numeric, overstock_days integer)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT CASE dw.stock_status(quantity_available, safety_stock)
               WHEN 'out_of_stock' THEN 'out'
               WHEN 'low_stock' THEN 'low'
               ELSE CASE WHEN days_of_cover IS NULL OR days_of_cover > overstock_days THEN 'overstock' ELSE 'normal' END
           END
$$;

COMMENT ON FUNCTION dw.stock_status_class(bigint, bigint, numeric, integer) IS
    'The stock class of erpdb inventory: out or low (dw.stock_status against the given safety stock), overstock (days of cover above the limit, or no sales to cover) or normal.';
REVOKE EXECUTE ON FUNCTION dw.stock_status_class(bigint, bigint, numeric, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.stock_status_class(bigint, bigint, numeric, integer) TO erp_reader, erp_writer;
