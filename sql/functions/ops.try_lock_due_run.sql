-- ops.try_lock_due_run: the run lock of the due refresh, taken by ops.refresh_due and by
-- ViewRefresher.RefreshDueAsync from the client: one due run at a time.
-- requires: ops.refresh_due, ops.advisory_lock_holders, ops.due_run_lock_key
-- A session-level advisory lock (it must survive the due run's COMMITs), key
-- ops.due_run_lock_key(); the caller releases it. Any login may take advisory
-- locks, so when the key is held, the holder counts only if it may run due refreshes itself (its
-- login may execute ops.refresh_due: writers, the owner, superusers; pg_locks and
-- pg_stat_activity.usesysid show that to every login). Anyone else (a reader) does not stop the
-- run: it goes on without the lock, and a WARNING names the holder. Such a run is not seen as a
-- due run by the watchdog or doctor; two refreshers that both find the key held so may run at
-- once, which is safe (each view and the C-class results keep their own row locks), only wasteful.
-- Returns 'locked' (this session holds the lock now), 'running' (a due refresher holds it: skip),
-- or 'bypassed' (someone else holds it: run without it).

CREATE OR REPLACE FUNCTION ops.try_lock_due_run()
RETURNS text
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    run_lock  constant bigint := ops.due_run_lock_key();
    holders   text;
    refresher boolean;
    vanished  boolean;
BEGIN
    -- A holder that lets go between the try and the look at pg_locks: try again.
    FOR attempt IN 1..3 LOOP
        IF pg_catalog.pg_try_advisory_lock(run_lock) THEN
            RETURN 'locked';
        END IF;
        PERFORM pg_catalog.pg_stat_clear_snapshot();
        SELECT pg_catalog.bool_or(h.usesysid IS NOT NULL
                                  AND pg_catalog.has_function_privilege(h.usesysid, 'ops.refresh_due(text, bigint[])', 'EXECUTE')),
               pg_catalog.bool_or(h.pid IS NOT NULL AND NOT h.listed),
               pg_catalog.string_agg(h.description, ', ' ORDER BY h.pid)
        INTO refresher, vanished, holders
        FROM ops.advisory_lock_holders(run_lock) AS h;
        IF refresher THEN
            RETURN 'running';
        END IF;
        IF holders IS NOT NULL AND NOT vanished THEN
            RAISE WARNING 'the lock of the due refresh is held by %, which may not run due refreshes; running without that lock', holders
                USING HINT = 'Any login may take advisory locks; find out why it holds this one (SELECT * FROM pg_stat_activity WHERE pid = ...) and end that session.';
            RETURN 'bypassed';
        END IF;
    END LOOP;
    -- Holders came and went three times: most likely due runs starting and ending.
    RETURN 'running';
END
$$;

COMMENT ON FUNCTION ops.try_lock_due_run() IS
    'Takes the due refresh''s session-level run lock (advisory key ops.due_run_lock_key()) for ops.refresh_due and ViewRefresher: ''locked'' = taken (the caller releases it), ''running'' = a login that may run due refreshes holds it (skip), ''bypassed'' = a login that may not (a reader) holds it: a WARNING names it and the caller runs without the lock.';
REVOKE EXECUTE ON FUNCTION ops.try_lock_due_run() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.try_lock_due_run() TO erp_writer;
