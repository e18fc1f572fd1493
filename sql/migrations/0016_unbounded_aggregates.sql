-- 0016_unbounded_aggregates: mart.target_achievement keeps actual values and achievement rates as
-- plain numeric, like the materialized views they are computed from.
-- requires: 0012_refresh_registry (mart.target_achievement)
-- Why: numeric(18, 2) / numeric(12, 6) overflowed when one merchant's valid sales summed past
-- 10^16 (or ran past 10^6 times a target), and the single recompute then failed for every
-- merchant. A sum of values the facts accept must always fit; see docs/metrics.md.

ALTER TABLE mart.target_achievement
    ALTER COLUMN actual_value TYPE numeric,
    ALTER COLUMN achievement_rate TYPE numeric;

COMMENT ON COLUMN mart.target_achievement.actual_value IS 'The metric over [period_start, min(period_end, today)], in the unit of the target (plain numeric: any sum of valid facts fits).';
