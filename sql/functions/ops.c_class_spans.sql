-- ops.c_class_spans: the days a C-class recompute reads for the periods of ops.c_class_periods,
-- as disjoint runs per merchant (so a join of the facts or aggregates to them reads each row at
-- most once, by index range): the periods' own days, or with with_base also the days of the
-- period before each (for sales growth); never after today (a running period's days to come, as
-- the full recompute always read facts up to CURRENT_DATE only).
-- requires: ops.c_class_periods
-- Plain SQL without SET options, so that the planner inlines it into the recompute's queries.

CREATE OR REPLACE FUNCTION ops.c_class_spans(merchants bigint[], first_days date[], last_days date[], today date, with_base boolean)
RETURNS TABLE (merchant_id bigint, first_day date, last_day date)
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT n.merchant_id, pg_catalog.min(n.first_day), pg_catalog.max(n.last_day)
    FROM (SELECT o.merchant_id, o.first_day, o.last_day,
                 pg_catalog.count(*) FILTER (WHERE o.reach IS NULL OR o.reach < o.first_day - 1)
                     OVER (PARTITION BY o.merchant_id ORDER BY o.first_day, o.last_day) AS island
          FROM (SELECT p.merchant_id, p.first_day, p.last_day,
                       pg_catalog.max(p.last_day) OVER (PARTITION BY p.merchant_id ORDER BY p.first_day, p.last_day
                                                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
                FROM (SELECT k.merchant_id,
                             CASE WHEN with_base THEN (k.first_start - k.step)::date ELSE k.first_start END AS first_day,
                             LEAST((k.last_start + k.step - interval '1 day')::date, today) AS last_day
                      FROM ops.c_class_periods(merchants, first_days, last_days, today) AS k) AS p) AS o) AS n
    GROUP BY n.merchant_id, n.island
$$;

COMMENT ON FUNCTION ops.c_class_spans(bigint[], date[], date[], date, boolean) IS
    'The days the C-class recompute reads for the periods of ops.c_class_periods (with with_base, also the period before each), up to today, merged into disjoint runs per merchant.';
REVOKE EXECUTE ON FUNCTION ops.c_class_spans(bigint[], date[], date[], date, boolean) FROM PUBLIC;
