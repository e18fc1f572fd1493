-- ops.overrunning_refreshes: the one definition of a view refresh that has run past its limit,
-- used by the watchdog (ops.cancel_overrunning_refreshes, which cancels the active ones) and by
-- erpdb doctor (ops.health_problems, ERPDB005, which reports them all).
-- requires: ops.refresh_limits, ops.advisory_lock_holders
-- Overrunning = a backend holds the view's refresh lock (taken by ops.refresh_view, held until its
-- transaction ends) and has been at it longer than the view's registered statement timeout,
-- counted from the later of its transaction start and its statement start: ops.refresh_due
-- commits after each view, so inside it xact_start is the start of the current view's
-- transaction; a client's SELECT ops.refresh_view(...) in a longer transaction counts from the
-- statement. It runs with the caller's rights: pg_stat_activity shows the start times only of the
-- caller's own sessions, unless it is a superuser or has pg_read_all_stats; the others never match.
-- LANGUAGE plpgsql so that it is created before the functions it calls (checked at run time).
-- holder is ops.advisory_lock_holders' wording of the process, so doctor names every lock holder alike.

-- It returned the holder's login instead of holder; a new result type needs a new function.
DROP FUNCTION IF EXISTS ops.overrunning_refreshes();

CREATE OR REPLACE FUNCTION ops.overrunning_refreshes()
RETURNS TABLE (view_name text, pid integer, holder text, state text, backend_xact_start timestamptz,
               running_for interval, run_limit interval)
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT lim.view_name, h.pid, h.description, h.state, h.xact_start,
           clock_timestamp() - greatest(h.xact_start, h.query_start), lim.run_limit
    FROM ops.refresh_limits() AS lim
    CROSS JOIN LATERAL ops.advisory_lock_holders(lim.lock_classid, lim.lock_objid, 2) AS h
    WHERE h.listed AND clock_timestamp() - greatest(h.xact_start, h.query_start) > lim.run_limit;
END
$$;

COMMENT ON FUNCTION ops.overrunning_refreshes() IS
    'View refreshes past their limit: backends holding a view''s refresh lock for longer than its registered statement timeout (counted from the later of transaction and statement start). Read by the watchdog ops.cancel_overrunning_refreshes and by ops.health_problems (ERPDB005). Sees other logins'' sessions only for a superuser or pg_read_all_stats.';
REVOKE EXECUTE ON FUNCTION ops.overrunning_refreshes() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.overrunning_refreshes() TO erp_writer;
