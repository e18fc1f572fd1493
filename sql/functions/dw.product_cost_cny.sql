-- dw.product_cost_cny: a product's unit cost, which dw.dim_products keeps in its cost_currency, in CNY
-- on a day.
-- requires: dw.exchange_rate_on (the one rule for a currency's rate on a day)
-- cost x the rate of on_date (else the latest before it, at most 31 days older; 1 for CNY), rounded to 4 places like every
-- stored unit cost; NULL when dw.fact_exchange_rates has no rate of that currency for the
-- day (callers reject the row or fail the posting, as an order without a rate is rejected). A cost
-- of 0 needs no rate: it is 0 in any currency.
-- Callers: dw.product_unit_cost (an order line without cost, at its order date),
-- dw.apply_inventory_movements (a position's opening cost, at the day of its first movement),
-- InventoryEntity (stock imported without cost, at the import day), and the ingest checks.
-- A set-returning SQL function (one row) with no SET clause, called in FROM (LEFT JOIN LATERAL ...
-- ON true): PostgreSQL inlines it, with dw.exchange_rate_on, into the calling query.

CREATE OR REPLACE FUNCTION dw.product_cost_cny(cost numeric, currency text, on_date date)
RETURNS TABLE (unit_cost numeric)
LANGUAGE sql
STABLE
AS $$
    SELECT CASE WHEN cost = 0 THEN 0::numeric ELSE round(cost * r.rate_to_cny, 4) END
    FROM dw.exchange_rate_on(currency, on_date) AS r
$$;

COMMENT ON FUNCTION dw.product_cost_cny(numeric, text, date) IS
    'A product''s unit cost (in its cost_currency) in CNY at the rate of on_date (dw.exchange_rate_on), 4 places; NULL when no rate is known (0 stays 0). One row; call it in FROM so it is inlined.';
REVOKE EXECUTE ON FUNCTION dw.product_cost_cny(numeric, text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.product_cost_cny(numeric, text, date) TO erp_writer;
