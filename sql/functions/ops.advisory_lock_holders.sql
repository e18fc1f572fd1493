-- ops.advisory_lock_holders: who holds an advisory key in this database, one row per holder, and
-- the one wording of a holder ('process PID (login, state)') that warnings and doctor show.
-- requires: nothing (reads pg_locks and pg_stat_activity)
-- The key as pg_locks shows it: pg_advisory_lock(int, int) = (classid, objid, objsubid 2);
-- pg_advisory_lock(bigint k) = (classid (k >> 32) & 4294967295, objid k & 4294967295, objsubid 1).
-- Granted holders only, any mode. pid is null for a prepared transaction; listed = false when the
-- holder is not (or no longer) in pg_stat_activity. It runs with the caller's rights:
-- pg_stat_activity shows usesysid and usename of every session, state and the start times only of
-- the caller's own sessions, unless it is a superuser or has pg_read_all_stats ('?' then).
-- Internal: used by ops.lock_view_refresh, ops.try_lock_due_run (writers call it), ops.refresh_due,
-- ops.cancel_overrunning_refreshes, ops.overrunning_refreshes and ops.health_problems. Migrate's
-- own lock is not read here: migrate looks at it before anything is applied, so it sends its own
-- SQL (MigrationLockHolders.cs).

CREATE OR REPLACE FUNCTION ops.advisory_lock_holders(lock_classid oid, lock_objid oid, lock_objsubid integer)
RETURNS TABLE (pid integer, usesysid oid, usename text, state text, xact_start timestamptz, query_start timestamptz,
               listed boolean, description text)
LANGUAGE sql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT l.pid, a.usesysid, a.usename::text, a.state, a.xact_start, a.query_start, a.pid IS NOT NULL,
           format('process %s (%s, %s)', coalesce(l.pid::text, 'of a prepared transaction'),
                  coalesce(a.usename::text, '?'), coalesce(a.state, '?'))
    FROM pg_locks AS l
    LEFT JOIN pg_stat_activity AS a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = advisory_lock_holders.lock_objsubid
      AND l.database = (SELECT d.oid FROM pg_database AS d WHERE d.datname = current_database())
      AND l.classid = advisory_lock_holders.lock_classid
      AND l.objid = advisory_lock_holders.lock_objid
    ORDER BY l.pid
$$;

COMMENT ON FUNCTION ops.advisory_lock_holders(oid, oid, integer) IS
    'The granted holders of an advisory key in this database, by its pg_locks coordinates (classid, objid, objsubid: 2 for the two-integer form, 1 for the bigint form): pid (null for a prepared transaction), login, state and start times as the caller may see them, whether pg_stat_activity lists it, and the wording ''process PID (login, state)''. Internal to the refresh locks and doctor.';
REVOKE EXECUTE ON FUNCTION ops.advisory_lock_holders(oid, oid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.advisory_lock_holders(oid, oid, integer) TO erp_writer;

-- The same for a key taken by pg_advisory_lock(bigint): the one place that splits it as pg_locks shows it.
CREATE OR REPLACE FUNCTION ops.advisory_lock_holders(lock_key bigint)
RETURNS TABLE (pid integer, usesysid oid, usename text, state text, xact_start timestamptz, query_start timestamptz,
               listed boolean, description text)
LANGUAGE sql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT * FROM ops.advisory_lock_holders(((lock_key >> 32) & 4294967295)::bigint::oid, (lock_key & 4294967295)::oid, 1)
$$;

COMMENT ON FUNCTION ops.advisory_lock_holders(bigint) IS
    'ops.advisory_lock_holders(classid, objid, 1) of a key taken by pg_advisory_lock(bigint). Internal to the due refresh''s run lock and doctor.';
REVOKE EXECUTE ON FUNCTION ops.advisory_lock_holders(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.advisory_lock_holders(bigint) TO erp_writer;
