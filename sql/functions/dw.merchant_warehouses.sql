-- dw.merchant_warehouses: the warehouses a merchant has, as an error lists them: its shipping warehouse and those it holds
-- a stock position in, in order, at most ten and then how many more (a merchant with a thousand warehouses printed 100 KB
-- for ten bad rows). What an import checks a warehouse_code against (NaturalKeys.Warehouse) and erpdb stock --warehouse.
-- requires: dw.dim_merchants.shipping_warehouse_code (0086_merchant_shipping_warehouse), dw.fact_inventory
-- Security invoker: a scoped reader's row level security limits it to its own merchant's rows.

CREATE OR REPLACE FUNCTION dw.merchant_warehouses(merchant bigint)
RETURNS text
LANGUAGE sql
STABLE
AS $$
    SELECT coalesce(array_to_string(w.codes[1:10], ', ')
                    || CASE WHEN cardinality(w.codes) > 10 THEN format(' and %s more', cardinality(w.codes) - 10) ELSE '' END, '')
    FROM (SELECT array_agg(c.code ORDER BY c.code) AS codes
          FROM (SELECT m.shipping_warehouse_code FROM dw.dim_merchants AS m WHERE m.merchant_id = merchant
                UNION
                SELECT f.warehouse_code FROM dw.fact_inventory AS f WHERE f.merchant_id = merchant) AS c(code)) AS w
$$;

COMMENT ON FUNCTION dw.merchant_warehouses(bigint) IS
    'The merchant''s warehouses as an error lists them: its shipping warehouse and those it holds stock in, in order, at most ten and how many more.';
REVOKE EXECUTE ON FUNCTION dw.merchant_warehouses(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.merchant_warehouses(bigint) TO erp_reader, erp_writer;
