-- ops.c_class_first_period: the start of the oldest period the C-class results keep, per period
-- type, on day today: the last 90 days, 26 ISO weeks and 24 months, the running one included
-- (docs/business-flows.md). The window keeps every recompute (each due refresh) from growing with
-- the merchant's age. NULL for another period type.
-- requires: nothing
-- The one definition ops.c_class_periods and ops.compute_c_class's full pass clip to. Named to sort
-- before ops.c_class_periods: function scripts run by name, and a SQL function's body is checked
-- when it is created. Plain SQL without SET options, so that the planner inlines it; every call in it
-- is immutable (date_trunc of a timestamp, not of a timestamptz, which depends on the session's zone),
-- as an IMMUTABLE function must be to be inlined.

CREATE OR REPLACE FUNCTION ops.c_class_first_period(period_type text, today date)
RETURNS date
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT CASE period_type
               WHEN 'day' THEN today - 89
               WHEN 'week' THEN pg_catalog.date_trunc('week', today::timestamp)::date - 25 * 7
               WHEN 'month' THEN (pg_catalog.date_trunc('month', today::timestamp) - interval '23 months')::date
           END
$$;

COMMENT ON FUNCTION ops.c_class_first_period(text, date) IS
    'Start of the oldest day, week or month the C-class results keep on day today: the last 90 days, 26 ISO weeks, 24 months, the running one included.';
REVOKE EXECUTE ON FUNCTION ops.c_class_first_period(text, date) FROM PUBLIC;
