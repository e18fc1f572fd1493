-- ops.refresh_limits: every registered view with its statement timeout (the limit of one
-- refresh) and the key of the advisory lock ops.refresh_view holds while it refreshes the view.
-- requires: ops.mv_registry (0012_refresh_registry)
-- The one place that derives the lock key from the view name: ops.lock_view_refresh takes
-- pg_try_advisory_xact_lock(hashtext('erpdb.refresh_view'), hashtext(view_name)) from it; in
-- pg_locks, classid and objid with objsubid 2. SECURITY DEFINER so that writers (RefreshWorker) read the
-- limits without reading the registry; ops.overrunning_refreshes joins them with pg_locks.

CREATE OR REPLACE FUNCTION ops.refresh_limits()
RETURNS TABLE (view_name text, run_limit interval, lock_classid oid, lock_objid oid)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT r.view_name, r.statement_timeout,
           pg_catalog.hashtext('erpdb.refresh_view')::oid, pg_catalog.hashtext(r.view_name)::oid
    FROM ops.mv_registry AS r
$$;

COMMENT ON FUNCTION ops.refresh_limits() IS
    'Every registered view with its run limit (the registered statement timeout) and the pg_locks key (classid, objid; objsubid 2) of the advisory lock ops.refresh_view holds while refreshing it.';
REVOKE EXECUTE ON FUNCTION ops.refresh_limits() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.refresh_limits() TO erp_writer;
