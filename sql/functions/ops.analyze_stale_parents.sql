-- ops.analyze_stale_parents: ANALYZEs each partitioned dw fact whose own statistics are missing or
-- no longer match its partitions' rows (fewer than two thirds or more than half again as many);
-- returns how many. An ingest batch calls it before it begins, in a transaction of its own.
-- Why: the planner estimates a join with a partitioned table (an anti-join of a batch's lines with
-- the orders, a hash of the orders a batch's keys probe) from the statistics of the parent as a
-- whole, not of its partitions. Autovacuum never analyses a partitioned parent, so in a warehouse
-- filled by ingest it has none, and every key column counts as 200 distinct values: hashing the
-- orders is costed a hundred times too high. The 400,000 lines of 200,000 orders were checked for
-- their orders by a merge anti-join that sorted them (0.47 s in psql) instead of a hash (0.24 s).
-- The bench measures warehouses that have them (its seeding and its stored rows are analysed whole);
-- this gives a warehouse filled by ingest the same.
-- requires: the dw facts' monthly partitions (0011_partitions), ops.indexed_columns
-- An ANALYZE of a parent samples the whole table and analyses each partition again, a few tenths of a
-- second per million rows; the half-again bar keeps that to a few times per tenfold growth, and
-- estimates off by less than half are not what turns a plan over. Only the columns of the parent's
-- indexes: the keys and dates joins are estimated on (as ops.analyze_changed_partitions does for a
-- batch).
-- Called outside the batch's transaction, so that the lock ANALYZE takes on the parent (SHARE UPDATE
-- EXCLUSIVE) lasts only as long as it does: held to a batch's commit, it would hold back the creation
-- of a month's partition (dw.ensure_partitions: CREATE TABLE ... PARTITION OF locks the parent whole),
-- and every statement queued behind it. SKIP_LOCKED passes over a parent or partition another
-- transaction holds a conflicting lock on (a partition being created, one a batch analysed);
-- sampling a partition waits only for a lock that keeps everyone out of it (a TRUNCATE, say).
-- SECURITY DEFINER: ANALYZE needs the tables' owner; it changes no data.

CREATE OR REPLACE FUNCTION ops.analyze_stale_parents()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    parent   regclass;
    columns  text;
    analyzed integer := 0;
BEGIN
    FOR parent, columns IN
        SELECT p.oid::regclass, ops.indexed_columns(p.oid)
        FROM pg_catalog.pg_class AS p
        JOIN pg_catalog.pg_namespace AS n ON n.oid = p.relnamespace
        -- A partition's rows: its last ANALYZE's count, or the live rows counted since when more (a
        -- partition a batch filled, whose next ANALYZE is still to come).
        CROSS JOIN LATERAL (SELECT sum(GREATEST(c.reltuples, pg_catalog.pg_stat_get_live_tuples(c.oid))) AS rows
                            FROM pg_catalog.pg_inherits AS h
                            JOIN pg_catalog.pg_class AS c ON c.oid = h.inhrelid
                            WHERE h.inhparent = p.oid) AS partitions
        -- reltuples is -1 until the parent's first ANALYZE. A parent of fewer than 1,000 rows is left
        -- alone: its estimates cannot go far wrong.
        WHERE n.nspname = 'dw' AND p.relkind = 'p' AND partitions.rows >= 1000
          AND (p.reltuples < 0 OR partitions.rows > 1.5 * p.reltuples OR partitions.rows < p.reltuples / 1.5)
        ORDER BY p.oid
    LOOP
        EXECUTE pg_catalog.format('ANALYZE (SKIP_LOCKED) %s%s', parent, CASE WHEN columns IS NOT NULL THEN ' (' || columns || ')' ELSE '' END);
        analyzed := analyzed + 1;
    END LOOP;
    RETURN analyzed;
END
$$;

COMMENT ON FUNCTION ops.analyze_stale_parents() IS
    'ANALYZEs (SKIP_LOCKED) the partitioned dw facts whose own statistics are missing or off their partitions'' rows by half (the columns of their indexes), which the planner estimates joins with them on and autovacuum never gathers. Call it outside a transaction that has written or analysed partitions. Returns how many it analysed.';
REVOKE EXECUTE ON FUNCTION ops.analyze_stale_parents() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.analyze_stale_parents() TO erp_writer;
