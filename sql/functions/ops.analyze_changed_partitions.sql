-- ops.analyze_changed_partitions: ANALYZEs the date partitions of the warehouse's facts that
-- changed by more than 1% (and 100 rows) since their statistics were taken; returns how many.
-- An incremental refresh calls it before it reads the facts of the days it recomputes.
-- Why: a monthly partition holds at most 31 dates, so its statistics list every date it held
-- when analysed and estimate any later date at about one row. Autovacuum analyses a partition
-- only after 10% of it changed (about three days of a month), so the day an ingest just wrote is
-- "one row" to the planner, which then reads it with nested loops: recomputing one day of
-- product sales at 1,000,000 orders took 5.6 s on stale statistics and 0.2 s on fresh ones
-- (docs/refresh.md, "Statistics of the newest days"). The 1% bar keeps small top-ups, whose
-- misestimate costs little, from analysing every run; ANALYZE samples at most 30,000 rows, so
-- a partition costs tenths of a second.
-- requires: the dw facts' monthly partitions (0011_partitions)
-- Runs inside the caller's transaction (ANALYZE may; its ShareUpdateExclusiveLock on the partition
-- only waits for another ANALYZE or VACUUM of it), so the statistics serve that transaction's plans.

CREATE OR REPLACE FUNCTION ops.analyze_changed_partitions()
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    partition regclass;
    analyzed  integer := 0;
BEGIN
    FOR partition IN
        SELECT c.oid::regclass
        FROM pg_catalog.pg_class AS c
        JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_stat_user_tables AS s ON s.relid = c.oid
        WHERE n.nspname = 'dw' AND c.relispartition AND c.relkind = 'r'
          AND s.n_mod_since_analyze > 100 + 0.01 * GREATEST(c.reltuples, 0)
        ORDER BY c.oid
    LOOP
        EXECUTE pg_catalog.format('ANALYZE %s', partition);
        analyzed := analyzed + 1;
    END LOOP;
    RETURN analyzed;
END
$$;

COMMENT ON FUNCTION ops.analyze_changed_partitions() IS
    'ANALYZEs the dw fact partitions changed by more than 1% (and 100 rows) since their last statistics, so that an incremental refresh plans the newest days with their real row counts. Returns how many it analysed.';
REVOKE EXECUTE ON FUNCTION ops.analyze_changed_partitions() FROM PUBLIC;
