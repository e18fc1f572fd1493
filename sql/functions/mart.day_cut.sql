-- mart.day_cut: how far a day has run at an instant in a time zone, to the minute: the time of day
-- up to which today's counterpart (the last day of a comparison) counts, so that a period that
-- includes today is compared like with like (docs/metrics.md, "Growth of a period that includes today").
-- requires: nothing
-- 00:00 while the day has not begun in that zone at that instant, 24:00 once it is over there (the
-- zone is behind or ahead of the database's, whose CURRENT_DATE is the warehouse's today:
-- docs/today.md), else the local time truncated to the minute. With mart.minutes_counted, the one
-- definition of the cut for sql/queries/sales_totals.sql (at query time, now()) and
-- ops.compute_c_class (at computation time, the now() of its run, stored with the result).
-- A single SELECT in LANGUAGE sql, IMMUTABLE, so the planner inlines it; it reads no table.

CREATE OR REPLACE FUNCTION mart.day_cut(zone text, day date, at timestamptz)
RETURNS time
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT CASE WHEN (at AT TIME ZONE zone)::date < day THEN time '00:00'
                WHEN (at AT TIME ZONE zone)::date > day THEN time '24:00'
                ELSE date_trunc('minute', at AT TIME ZONE zone)::time END
$$;

COMMENT ON FUNCTION mart.day_cut(text, date, timestamptz) IS
    'How far day has run at the instant at in the time zone zone, to the minute: 00:00 before it begins there, 24:00 after it ends there. Where the comparison of a period that includes today cuts its last day (docs/metrics.md); reads no table.';
REVOKE EXECUTE ON FUNCTION mart.day_cut(text, date, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mart.day_cut(text, date, timestamptz) TO erp_reader, erp_writer;
