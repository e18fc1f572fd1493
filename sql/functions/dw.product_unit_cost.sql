-- dw.product_unit_cost: the cost in CNY an order line takes when it states none.
-- requires: dw.fact_inventory, dw.dim_products (0004, 0006), dw.dim_merchants.shipping_warehouse_code (0086),
--           dw.product_cost_cny
-- The weighted-average cost of the product in the warehouse its merchant's orders ship from
-- (dw.dim_merchants.shipping_warehouse_code), kept by
-- dw.apply_inventory_movements on each purchase; before any purchase, the product's unit_cost
-- converted from its cost_currency at the rate of on_date, the order date (dw.product_cost_cny),
-- NULL when that currency has no rate for it (dw.exchange_rate_on: at most 31 days old).
-- A set-returning SQL function with no SET clause, called in FROM (LEFT JOIN LATERAL ... ON true):
-- PostgreSQL inlines it into the calling query, so a batch of lines joins the products and the
-- positions once instead of running two lookups per line (a scalar call per line cost 0.5 ms each).
-- No search_path is needed: every name is schema-qualified and it runs with the caller's rights.
-- Returns no row for an unknown product.

-- It returned a scalar before, and took no date; a function's result type cannot be changed in place.
DROP FUNCTION IF EXISTS dw.product_unit_cost(bigint, bigint);
DROP FUNCTION IF EXISTS dw.product_unit_cost(bigint, bigint, date);

CREATE FUNCTION dw.product_unit_cost(merchant bigint, product bigint, on_date date)
RETURNS TABLE (unit_cost numeric)
LANGUAGE sql
STABLE
AS $$
    SELECT coalesce(nullif(f.average_unit_cost, 0), c.unit_cost)
    FROM dw.dim_products AS p
    JOIN dw.dim_merchants AS m ON m.merchant_id = p.merchant_id
    LEFT JOIN dw.fact_inventory AS f
        ON f.merchant_id = p.merchant_id AND f.product_id = p.product_id AND f.warehouse_code = m.shipping_warehouse_code
    LEFT JOIN LATERAL dw.product_cost_cny(p.unit_cost, p.cost_currency::text, on_date) AS c ON true
    WHERE p.merchant_id = merchant AND p.product_id = product
$$;

COMMENT ON FUNCTION dw.product_unit_cost(bigint, bigint, date) IS
    'Unit cost in CNY for an order line without one (one row; none for an unknown product): the weighted-average cost in the merchant''s shipping warehouse, else the product''s unit_cost converted from its cost_currency at the rate of on_date (NULL without a rate). Call it in FROM so it is inlined.';
REVOKE EXECUTE ON FUNCTION dw.product_unit_cost(bigint, bigint, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.product_unit_cost(bigint, bigint, date) TO erp_writer;
