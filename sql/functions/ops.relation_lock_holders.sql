-- ops.relation_lock_holders: who holds locks of the given modes on the given tables (or their
-- partitions) in this database, one row per holder, worded for a log message.
-- requires: nothing (reads pg_locks, pg_stat_activity, pg_inherits)
-- Granted locks of other processes only. It runs with the caller's rights: pg_stat_activity shows
-- the login of every session, the state and transaction start only of the caller's own sessions,
-- unless it is a superuser or has pg_read_all_stats ('?' then). Internal: ops.log_refresh_failure
-- and ops.compute_c_class name the holders when a scheduled run skips a step it could not lock.

CREATE OR REPLACE FUNCTION ops.relation_lock_holders(relations regclass[], modes text[])
RETURNS TABLE (pid integer, usename text, state text, xact_start timestamptz, description text)
LANGUAGE sql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT l.pid, a.usename::text, a.state, a.xact_start,
           format('process %s (%s, %s%s) holding %s on %s',
                  coalesce(l.pid::text, 'of a prepared transaction'), coalesce(a.usename::text, '?'), coalesce(a.state, '?'),
                  coalesce(', in a transaction since ' || to_char(a.xact_start, 'YYYY-MM-DD HH24:MI:SS TZ'), ''),
                  string_agg(DISTINCT l.mode, ', '),
                  array_to_string((array_agg(DISTINCT l.relation::regclass::text))[1:3], ', ')
                  || CASE WHEN count(DISTINCT l.relation) > 3 THEN format(' and %s more', count(DISTINCT l.relation) - 3) ELSE '' END)
    FROM pg_locks AS l
    LEFT JOIN pg_stat_activity AS a ON a.pid = l.pid
    WHERE l.locktype = 'relation' AND l.granted AND l.mode = ANY (relation_lock_holders.modes)
      AND l.pid IS DISTINCT FROM pg_backend_pid()
      AND l.database = (SELECT d.oid FROM pg_database AS d WHERE d.datname = current_database())
      AND (l.relation = ANY (relation_lock_holders.relations)
           OR EXISTS (SELECT 1 FROM pg_inherits AS i WHERE i.inhrelid = l.relation AND i.inhparent = ANY (relation_lock_holders.relations)))
    GROUP BY l.pid, a.usename, a.state, a.xact_start
    ORDER BY a.xact_start NULLS LAST, l.pid
$$;

COMMENT ON FUNCTION ops.relation_lock_holders(regclass[], text[]) IS
    'The other processes holding granted locks of the given modes (pg_locks names, e.g. AccessExclusiveLock) on the given tables or their partitions in this database, oldest transaction first, with the wording ''process PID (login, state, in a transaction since ...) holding MODE on TABLES''. Internal to the refresh log.';
REVOKE EXECUTE ON FUNCTION ops.relation_lock_holders(regclass[], text[]) FROM PUBLIC;
