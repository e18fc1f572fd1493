-- ops.c_class_periods: the C-class periods (shop health, product rankings) that changed facts on
-- the given days touch (docs/c-class-recompute.md): for each (merchant, first day, last day) the
-- days, ISO weeks and months holding those days and the one period after them (its sales growth
-- compares it with the period before), within the windows that end on today (the last 90 days,
-- 26 weeks and 24 months, the running period included). -infinity..infinity = every period of the
-- merchant's windows. Returned as runs: per merchant and period type, the periods starting
-- first_start, first_start + step, ..., last_start; runs of one merchant and type never overlap or
-- touch, so a join to them on period_start BETWEEN first_start AND last_start matches a period at
-- most once (and the PRIMARY KEYs of the result tables serve it).
-- requires: ops.c_class_first_period
-- Plain SQL without SET options, so that the planner inlines it into the recompute's queries.

CREATE OR REPLACE FUNCTION ops.c_class_periods(merchants bigint[], first_days date[], last_days date[], today date)
RETURNS TABLE (merchant_id bigint, period_type text, first_start date, last_start date, step interval)
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT n.merchant_id, n.period_type, pg_catalog.min(n.first_start), pg_catalog.max(n.last_start), n.step
    FROM (SELECT o.merchant_id, o.period_type, o.first_start, o.last_start, o.step,
                 pg_catalog.count(*) FILTER (WHERE o.reach IS NULL OR (o.reach + o.step)::date < o.first_start)
                     OVER (PARTITION BY o.merchant_id, o.period_type ORDER BY o.first_start, o.last_start) AS island
          FROM (SELECT s.merchant_id, s.period_type, s.first_start, s.last_start, s.step,
                       pg_catalog.max(s.last_start) OVER (PARTITION BY s.merchant_id, s.period_type ORDER BY s.first_start, s.last_start
                                                          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
                FROM (SELECT r.merchant_id, w.period_type, w.step,
                             GREATEST(pg_catalog.date_trunc(w.period_type, r.first_day::timestamp),
                                      ops.c_class_first_period(w.period_type, today)::timestamp)::date AS first_start,
                             LEAST(pg_catalog.date_trunc(w.period_type, r.last_day::timestamp) + w.step, today::timestamp)::date AS last_start
                      FROM ROWS FROM (pg_catalog.unnest(merchants), pg_catalog.unnest(first_days), pg_catalog.unnest(last_days))
                          AS r (merchant_id, first_day, last_day)
                      CROSS JOIN (VALUES ('day', interval '1 day'), ('week', interval '1 week'), ('month', interval '1 month'))
                          AS w (period_type, step)
                      WHERE r.merchant_id IS NOT NULL) AS s
                WHERE s.first_start <= s.last_start) AS o) AS n
    GROUP BY n.merchant_id, n.period_type, n.step, n.island
$$;

COMMENT ON FUNCTION ops.c_class_periods(bigint[], date[], date[], date) IS
    'The C-class periods that changes on the given (merchant, first day, last day) ranges touch: the periods holding those days and the next one, within the windows ending on today (90 days, 26 weeks, 24 months), as disjoint runs (merchant, day/week/month, first start, last start, step). -infinity..infinity: every period of the windows.';
REVOKE EXECUTE ON FUNCTION ops.c_class_periods(bigint[], date[], date[], date) FROM PUBLIC;
