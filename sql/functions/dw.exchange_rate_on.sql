-- dw.exchange_rate_on: CNY per unit of a currency on a day, the rate a row without one of its own
-- is converted at (orders, receivables, payments, expenses, product metrics: the ingest's currency
-- rule, CurrencyRule.cs) and a product's cost in its cost_currency (dw.product_cost_cny).
-- requires: dw.fact_exchange_rates (0004_dimensions), dw.exchange_rate_oldest_day
-- The rate of that day, else the latest one before it (weekends and holidays have none) back to
-- dw.exchange_rate_oldest_day (31 days); 1 for CNY; NULL when the table has no rate in those days
-- (the import then names the row, with dw.missing_rate_problem).
-- A set-returning SQL function (one row) with no SET clause, called in FROM: PostgreSQL inlines it
-- into the calling query, so an import pays an index probe per row that needs a rate, and nothing
-- for CNY, instead of a function call per row (0.6 s per 200,000 orders when it was a scalar
-- function). Every name is schema-qualified; it runs with the caller's rights.

-- It returned a scalar before; a function's result type cannot be changed in place.
DROP FUNCTION IF EXISTS dw.exchange_rate_on(text, date);

CREATE FUNCTION dw.exchange_rate_on(currency text, on_date date)
RETURNS TABLE (rate_to_cny numeric)
LANGUAGE sql
STABLE
AS $$
    SELECT CASE WHEN currency = 'CNY' THEN 1::numeric ELSE (
        SELECT r.rate_to_cny
        FROM dw.fact_exchange_rates AS r
        WHERE r.currency_code = currency AND r.rate_date <= on_date AND r.rate_date >= dw.exchange_rate_oldest_day(on_date)
        ORDER BY r.rate_date DESC
        LIMIT 1) END
$$;

COMMENT ON FUNCTION dw.exchange_rate_on(text, date) IS
    'CNY per unit of currency on on_date from dw.fact_exchange_rates (the latest rate on or before that day, back to dw.exchange_rate_oldest_day); 1 for CNY; NULL when none is known in those days. One row; call it in FROM so it is inlined.';
REVOKE EXECUTE ON FUNCTION dw.exchange_rate_on(text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.exchange_rate_on(text, date) TO erp_writer;
