-- dw.exchange_rate_on: CNY per unit of a currency on a day, the rate orders without one of their
-- own are converted at.
-- requires: dw.fact_exchange_rates (0004_dimensions)
-- The rate of that day, else the latest one before it (weekends and holidays have none); 1 for
-- CNY; NULL when the table has no rate on or before the day (the import then names the row).

CREATE OR REPLACE FUNCTION dw.exchange_rate_on(currency text, on_date date)
RETURNS numeric
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN currency = 'CNY' THEN 1::numeric ELSE (
        SELECT r.rate_to_cny
        FROM dw.fact_exchange_rates AS r
        WHERE r.currency_code = currency AND r.rate_date <= on_date
        ORDER BY r.rate_date DESC
        LIMIT 1) END
$$;

COMMENT ON FUNCTION dw.exchange_rate_on(text, date) IS
    'CNY per unit of currency on on_date from dw.fact_exchange_rates (the latest rate on or before that day); 1 for CNY; NULL when none is known.';
REVOKE EXECUTE ON FUNCTION dw.exchange_rate_on(text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.exchange_rate_on(text, date) TO erp_writer, erp_reader;
