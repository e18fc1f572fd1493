-- ops.log_refresh_failure: logs a view refresh that failed, was cancelled or could not get a lock in
-- a scheduled run's time, and sets the view's retry backoff after a failure.
-- requires: ops.mv_registry, ops.mv_refresh_log (0012_refresh_registry), ops.refresh_cuts (0029_refresh_cuts),
--           ops.relation_lock_holders
-- Called by ops.refresh_view (and ops.log_refresh_timeout), with the error it caught, whether the refresh had started or was cut
-- before (by a very short statement timeout). SQLSTATE 57014 is the same for a statement timeout, the
-- refresh watchdog's cancel and the caller's cancel: the watchdog's mark in ops.refresh_cuts (this
-- process, this transaction), the message, or (in another language) whether the caller's statement
-- timeout has elapsed tells them apart. A timeout or the watchdog's cut is 'failed' (counts toward the
-- backoff and the health check's consecutive failures); any other cancel is 'cancelled'. timed_out
-- says it is a statement timeout whatever the message (ops.log_refresh_timeout, logging for a client).
-- A lock the caller would not wait for (SQLSTATE 55P03 while the caller's lock_timeout is shorter than
-- the view's registered one: the due run's ops.scheduled_lock_timeout) is 'skipped': not a failure of
-- the view, no backoff; the refresh was undone, so the view stays dirty for the next run. Waiting the
-- view's own lock timeout (a manual refresh) it is 'failed', counted, but sets no backoff either. The
-- message names the processes holding strong locks on what the view reads or writes.

CREATE OR REPLACE FUNCTION ops.log_refresh_failure(view_name text, started timestamptz, was_concurrent boolean,
                                                   error_text text, error_state text, refresh_trigger text,
                                                   timed_out boolean DEFAULT false)
RETURNS ops.mv_refresh_log
LANGUAGE plpgsql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    failed_at    timestamptz := pg_catalog.clock_timestamp();
    statement_ms bigint := (EXTRACT(epoch FROM pg_catalog.current_setting('statement_timeout')::interval) * 1000)::bigint;
    message      text := log_refresh_failure.error_text;
    cut_limit    interval;
    caller_lock  interval := pg_catalog.current_setting('lock_timeout')::interval;
    reg          ops.mv_registry;
    holders      text;
    lock_skipped boolean := false;
    outcome      text;
    logged       ops.mv_refresh_log;
BEGIN
    IF log_refresh_failure.error_state = '57014' THEN
        DELETE FROM ops.refresh_cuts AS c
        WHERE c.pid = pg_catalog.pg_backend_pid() AND c.backend_xact_start = pg_catalog.now()
        RETURNING c.run_limit INTO cut_limit;
        IF cut_limit IS NOT NULL THEN
            message := pg_catalog.format(
                'canceling refresh due to statement timeout: it ran longer than its registered statement timeout of %s and was cancelled by the refresh watchdog (ops.cancel_overrunning_refreshes)',
                cut_limit);
        END IF;
    END IF;
    SELECT * INTO reg FROM ops.mv_registry AS r WHERE r.view_name = log_refresh_failure.view_name;
    IF log_refresh_failure.error_state = '55P03' THEN
        SELECT pg_catalog.string_agg(h.description, '; ')
        INTO holders
        FROM ops.relation_lock_holders(
                 ARRAY(SELECT pg_catalog.to_regclass(n) FROM pg_catalog.unnest(reg.reads || reg.view_name) AS n
                       WHERE pg_catalog.to_regclass(n) IS NOT NULL),
                 '{ShareLock,ShareRowExclusiveLock,ExclusiveLock,AccessExclusiveLock}') AS h;
        lock_skipped := caller_lock > interval '0' AND caller_lock < reg.lock_timeout;
        message := pg_catalog.format(
            CASE WHEN lock_skipped
                 THEN 'skipped: a lock it needs was not free within %s (this run''s lock timeout), held by %s; the view stays dirty and the next due run tries again (%s)'
                 ELSE 'a lock it needs was not free within %s (the view''s lock timeout), held by %s; the view stays dirty and the next due run tries again (%s)' END,
            pg_catalog.current_setting('lock_timeout'), coalesce(holders, 'another transaction'), log_refresh_failure.error_text);
    END IF;
    outcome := CASE
        WHEN lock_skipped THEN 'skipped'
        WHEN cut_limit IS NOT NULL OR log_refresh_failure.timed_out THEN 'failed'
        WHEN log_refresh_failure.error_state <> '57014' THEN 'failed'
        WHEN message LIKE '%statement timeout%' THEN 'failed'
        WHEN statement_ms > 0 AND failed_at - pg_catalog.statement_timestamp() >= statement_ms * interval '1 millisecond' THEN 'failed'
        ELSE 'cancelled'
    END;
    IF outcome = 'failed' THEN
        -- Backoff: due refreshes retry after min(interval * 2^(failures - 1), 1 hour). Not for a lock another session held (a
        -- manual refresh that waited the view's lock timeout): that is no fault of the view, and backing off would keep the
        -- due runs from refreshing it for minutes after the lock is gone; they try it at once, each for its short lock timeout.
        UPDATE ops.mv_registry AS r
        SET consecutive_failures = r.consecutive_failures + 1,
            retry_after = CASE WHEN log_refresh_failure.error_state = '55P03' THEN r.retry_after
                               ELSE failed_at + LEAST(r.refresh_interval * pg_catalog.power(2, LEAST(r.consecutive_failures, 20)),
                                                      interval '1 hour') END
        WHERE r.view_name = log_refresh_failure.view_name;
    END IF;
    INSERT INTO ops.mv_refresh_log (view_name, started_at, finished_at, duration_ms, status, was_concurrent,
                                    error_message, error_sqlstate, refresh_trigger)
    VALUES (log_refresh_failure.view_name, log_refresh_failure.started, failed_at,
            pg_catalog.round((EXTRACT(epoch FROM failed_at - log_refresh_failure.started) * 1000)::numeric, 3),
            outcome, log_refresh_failure.was_concurrent, message, log_refresh_failure.error_state, log_refresh_failure.refresh_trigger)
    RETURNING * INTO logged;
    RETURN logged;
END
$$;

COMMENT ON FUNCTION ops.log_refresh_failure(text, timestamptz, boolean, text, text, text, boolean) IS
    'Logs a view refresh that failed or was cancelled (started, or cut before it started by a very short statement timeout) and, for a failure (a statement timeout and the refresh watchdog''s cut included), counts it and sets the retry backoff; a cancel by the caller is logged cancelled; a lock not free within the caller''s shorter lock_timeout (a scheduled run) is logged skipped, naming the holders, without backoff; one not free within the view''s own (a manual refresh) is a failure naming the holders, without backoff. Called by ops.refresh_view and ops.log_refresh_timeout only. Returns the log row.';
REVOKE EXECUTE ON FUNCTION ops.log_refresh_failure(text, timestamptz, boolean, text, text, text, boolean) FROM PUBLIC;
