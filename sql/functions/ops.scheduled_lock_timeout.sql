-- ops.scheduled_lock_timeout: how long a scheduled job waits for a lock before it gives up its
-- round, the one place it is spelled (docs/refresh-watchdog.md, "Long postings and the schedules").
-- requires: nothing
-- A lock_timeout value (text, for set_config). The due refresh (ops.refresh_due, and ViewRefresher's
-- due run from the client) sets it for the length of its run: a view, or the C-class step, that
-- cannot get a lock in time (a seed or import holding its tables, DDL) is logged skipped, stays
-- dirty and is tried again by the next run. The scheduled checks set it before they run
-- (sql/schedules, RefreshWorker): one that cannot get a lock in time fails and runs at its next time.
-- Without it a job waited for as long as the holder's transaction lasted, and with pg_cron 1.4 every
-- other job of the server waited with it.
CREATE OR REPLACE FUNCTION ops.scheduled_lock_timeout()
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT '2s'::text
$$;

COMMENT ON FUNCTION ops.scheduled_lock_timeout() IS
    'The lock_timeout of scheduled jobs (the due refresh, the scheduled checks): a job that cannot get a lock within it gives up this round (a view or the C-class step is logged skipped and stays dirty) instead of waiting for a long transaction that holds it.';
REVOKE EXECUTE ON FUNCTION ops.scheduled_lock_timeout() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.scheduled_lock_timeout() TO erp_writer;
