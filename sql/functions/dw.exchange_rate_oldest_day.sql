-- dw.exchange_rate_oldest_day: the oldest rate day a row of on_date may take its rate from
-- (dw.exchange_rate_on). A day without a rate of its own takes the latest one before it, as
-- weekends and holidays publish none (the longest gap, a week's holiday between two weekends, is
-- 10 days); a table kept at one rate a month has one at most 31 days back. A rate older than that
-- is not the rate of the day: the rate table has stopped being loaded, and converting a month's
-- orders at a rate of last year would book CNY figures no accountant can trace to a rate of their
-- time. Such a row is rejected instead, naming the day and the latest rate (dw.missing_rate_problem).
-- requires: nothing
-- Immutable and a single expression, so it is inlined into dw.exchange_rate_on and its callers.

CREATE OR REPLACE FUNCTION dw.exchange_rate_oldest_day(on_date date)
RETURNS date
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT on_date - 31
$$;

COMMENT ON FUNCTION dw.exchange_rate_oldest_day(date) IS
    'The oldest rate_date a row of on_date may take its rate from: on_date - 31 days (a monthly rate table still serves; a rate table no longer loaded does not).';
REVOKE EXECUTE ON FUNCTION dw.exchange_rate_oldest_day(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.exchange_rate_oldest_day(date) TO erp_writer;
