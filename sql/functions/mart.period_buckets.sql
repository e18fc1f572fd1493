-- mart.period_buckets: the one definition of the buckets of a period, and of how a bucket is named.
-- requires: nothing
-- One row per 'day', 'week' (ISO, Monday start) or 'month' that the days [period_start, period_end]
-- touch, oldest first: bucket (its first day, as date_trunc gives it and as the mart views key weeks
-- and months: mart.weekly_sales.week_start, mart.monthly_sales.month_start), key ('YYYY-MM-DD' of the
-- bucket), label ('YYYY-MM-DD' for a day, 'IYYY-"W"IW' for a week such as 2025-W01, 'YYYY-MM' for a
-- month), and first_day, last_day: the bucket's days in the period (the edges cut to it). A period
-- that ends before it starts has no days and no buckets.
-- Every query file that returns a series of periods takes its buckets from here (docs/queries.md).
-- Timestamps without time zone: date_trunc and the steps of a timestamp with time zone follow the
-- session's time zone, so a daylight saving change could shift a bucket; these never do.
-- Any other unit fails (22023, naming the unit and the three allowed; SQL has no RAISE, so the check
-- hands date_trunc a unit it rejects): date_trunc alone would accept 'hour' or 'year' and return
-- buckets no query expects. A single SELECT in LANGUAGE sql, STABLE (to_char is),
-- without SET, STRICT or SECURITY DEFINER, so the planner inlines it into the calling query; it reads
-- no table, so readers may call it (listed in ops.merchant_isolation_problems as returning rows).

CREATE OR REPLACE FUNCTION mart.period_buckets(unit text, period_start date, period_end date)
RETURNS TABLE (bucket date, key text, label text, first_day date, last_day date)
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$
    SELECT b::date,
           to_char(b, 'YYYY-MM-DD'),
           to_char(b, CASE unit WHEN 'week' THEN 'IYYY-"W"IW' WHEN 'month' THEN 'YYYY-MM' ELSE 'YYYY-MM-DD' END),
           greatest(b::date, period_start),
           least((b + ('1 ' || unit)::interval)::date - 1, period_end)
      FROM generate_series(
               date_trunc(CASE WHEN unit IN ('day', 'week', 'month') THEN unit
                               ELSE 'period unit ' || coalesce(quote_literal(unit), 'null') || ' (lower case day, week or month)' END,
                          period_start::timestamp),
               period_end::timestamp,
               ('1 ' || unit)::interval) AS b
     WHERE period_start <= period_end
$$;

COMMENT ON FUNCTION mart.period_buckets(text, date, date) IS
    'The buckets (day, week or month) the days period_start..period_end touch, oldest first: bucket (first day), key (YYYY-MM-DD), label (YYYY-MM-DD, IYYY-"W"IW or YYYY-MM), first_day and last_day (the bucket''s days in the period). The one definition of period buckets and their names; reads no table.';
REVOKE EXECUTE ON FUNCTION mart.period_buckets(text, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mart.period_buckets(text, date, date) TO erp_reader, erp_writer;
