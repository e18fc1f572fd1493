-- ops.lock_view_refresh: the per-view refresh lock of ops.refresh_view (and of
-- ops.refresh_customer_segments for the cohorts it adds to), held until the transaction ends.
-- requires: ops.mv_registry (0012_refresh_registry), ops.advisory_lock_holders, ops.refresh_limits
-- The exclusion is the view's row of ops.mv_registry, locked FOR NO KEY UPDATE SKIP LOCKED: only
-- its owner may lock it (row locks need UPDATE on the table; readers and writers have no right on
-- ops), so only the refresh functions (SECURITY DEFINER, as erp_owner) exclude each other. NO KEY:
-- the foreign keys of the log and the invalidations (KEY SHARE) never wait for it. false = another
-- refresh holds the row (the caller logs skipped).
-- Then the view's advisory lock (its key from ops.refresh_limits) as the mark that monitoring
-- reads in pg_locks (the watchdog, doctor ERPDB005). Any login may
-- take that key; whoever holds it while the row is ours is not refreshing the view, so the refresh
-- goes on without the mark (a WARNING names the holder) rather than never: the watchdog and
-- ERPDB005 then see the holder, not this refresh (docs/refresh.md). Called by the owner only.

CREATE OR REPLACE FUNCTION ops.lock_view_refresh(view_name text)
RETURNS boolean
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    lock_key record;
    holder   text;
BEGIN
    PERFORM 1 FROM ops.mv_registry AS r WHERE r.view_name = lock_view_refresh.view_name FOR NO KEY UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    SELECT lim.lock_classid, lim.lock_objid INTO lock_key
    FROM ops.refresh_limits() AS lim WHERE lim.view_name = lock_view_refresh.view_name;
    IF NOT pg_catalog.pg_try_advisory_xact_lock(lock_key.lock_classid::integer, lock_key.lock_objid::integer) THEN
        SELECT pg_catalog.string_agg(h.description, ', ' ORDER BY h.pid)
        INTO holder
        FROM ops.advisory_lock_holders(lock_key.lock_classid, lock_key.lock_objid, 2) AS h;
        RAISE WARNING 'the advisory refresh lock of % is held by %, which is not refreshing it; refreshing without that lock, so the refresh watchdog cannot see or bound this refresh',
            lock_view_refresh.view_name, coalesce(holder, 'a process that has just let go')
            USING HINT = 'Any login may take advisory locks; find out why it holds this one (SELECT * FROM pg_stat_activity WHERE pid = ...) and end that session.';
    END IF;
    RETURN true;
END
$$;

COMMENT ON FUNCTION ops.lock_view_refresh(text) IS
    'The per-view refresh lock, held until the transaction ends: the view''s ops.mv_registry row FOR NO KEY UPDATE SKIP LOCKED (false: another refresh holds it), then the view''s advisory lock (its key from ops.refresh_limits) that monitoring reads; when some other login holds that key, a WARNING names it and the refresh goes on without it. Owner only: ops.refresh_view and ops.refresh_customer_segments call it.';
REVOKE EXECUTE ON FUNCTION ops.lock_view_refresh(text) FROM PUBLIC;
