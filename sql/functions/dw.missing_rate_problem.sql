-- dw.missing_rate_problem: why dw.exchange_rate_on has no rate of a currency for a day, in words,
-- for the errors that reject a row or a posting without one: the days it looked at and the latest
-- rate the table has before them, so that the fix (import the rates of those days) is plain.
-- requires: dw.fact_exchange_rates (0004_dimensions), dw.exchange_rate_oldest_day
-- Read only when a row is rejected: one probe of the rate table's key.

CREATE OR REPLACE FUNCTION dw.missing_rate_problem(currency text, on_date date)
RETURNS text
LANGUAGE sql
STABLE
AS $$
    SELECT CASE WHEN on_date IS NULL THEN pg_catalog.format('a %s rate is looked up by the row''s date, which it lacks', currency)
    ELSE pg_catalog.format('dw.fact_exchange_rates has no %s rate from %s to %s (%s)',
        currency, dw.exchange_rate_oldest_day(on_date), on_date,
        coalesce('its latest before is of ' || (SELECT max(r.rate_date) FROM dw.fact_exchange_rates AS r
                                                 WHERE r.currency_code = currency AND r.rate_date <= on_date)::text
                    || ', too old to be that day''s rate',
                 'it has none before')) END
$$;

COMMENT ON FUNCTION dw.missing_rate_problem(text, date) IS
    'Why no rate of currency is known on on_date (dw.exchange_rate_on), in words: the days looked at and the latest rate before them. For error messages.';
REVOKE EXECUTE ON FUNCTION dw.missing_rate_problem(text, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.missing_rate_problem(text, date) TO erp_writer;
