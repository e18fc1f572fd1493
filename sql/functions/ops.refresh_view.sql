-- ops.refresh_view: refreshes one registered view (a materialized view, or an incremental
-- aggregate through ops.refresh_aggregate) and logs the attempt.
-- requires: ops.mv_registry, ops.mv_refresh_log, ops.mv_invalidations (0012_refresh_registry),
--           ops.refresh_aggregate, ops.agg_invalidations (0027_incremental_aggregates),
--           ops.refresh_cuts (0029_refresh_cuts), ops.lock_view_refresh, ops.log_refresh_failure
-- An incremental aggregate recomputes only the buckets its invalidation log names, unless
-- full_rebuild (ops.refresh_all, erpdb refresh --full) asks for every row.
-- Never raises for a failed refresh: the failure is logged (with its error) and returned, so a
-- caller refreshing many views goes on with the next. A statement timeout is such a failure. A
-- cancel (the caller's, e.g. Ctrl+C or a CancellationToken) is logged 'cancelled' and returned:
-- the caller stops its run there. It raises only for an unknown view name or an empty trigger.
-- The registry's statement_timeout bounds the refresh when the caller sets it before the call
-- (ops.refresh_statement_timeout; ViewRefresher does): PostgreSQL arms the statement timer when a
-- client statement starts, so a SET inside this call would not bound it. Under CALL
-- ops.refresh_due (pg_cron) the watchdog ops.cancel_overrunning_refreshes bounds it instead: it
-- commits a mark in ops.refresh_cuts (this process, this transaction) and cancels; a cancel with
-- that mark is a timeout failure, not the caller's cancel.
-- A statement timeout so short that it fires before the refresh starts (reading the registry,
-- taking the lock) is logged as a failure too: the function's outermost block catches it, and
-- DECLARE has no initial values (they are evaluated before that block's handler is in place, and
-- the first call in a session plans them, which a 1 ms timeout can cut). One cut this cannot log:
-- PostgreSQL checks for a pending cancel as the function starts, before any handler; the client
-- logs that one with ops.log_refresh_timeout (ViewRefresher does).

-- full_rebuild was added after the first version: the two-argument function goes.
DROP FUNCTION IF EXISTS ops.refresh_view(text, text);

CREATE OR REPLACE FUNCTION ops.refresh_view(view_name text, refresh_trigger text DEFAULT 'manual', full_rebuild boolean DEFAULT false)
RETURNS ops.mv_refresh_log
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
-- No JIT for what a refresh runs: its statements span every monthly partition of the facts, and at
-- 1,000,000 orders compiling them cost more than running them (top products: 1.7-4 s with JIT,
-- 44 ms without; the customer segments 16 s against 8 s). As for dw.post_orders.
SET jit = off
AS $$
DECLARE
    -- No initial values: see the header.
    reg               ops.mv_registry;
    rel               regclass;
    started           timestamptz;
    use_concurrently  boolean;
    snapshot          pg_catalog.pg_snapshot;
    counted           bigint;
    old_lock          text;
    error_text        text;
    error_state       text;
    mode              text;
    logged            ops.mv_refresh_log;
BEGIN
    started := pg_catalog.clock_timestamp();
    mode := 'full';
    old_lock := pg_catalog.current_setting('lock_timeout');
    IF pg_catalog.length(refresh_view.refresh_trigger) NOT BETWEEN 1 AND 100 OR refresh_view.refresh_trigger IS NULL THEN
        RAISE EXCEPTION 'refresh trigger must be 1 to 100 characters, not %', coalesce(pg_catalog.quote_literal(refresh_view.refresh_trigger), 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO reg FROM ops.mv_registry AS r WHERE r.view_name = refresh_view.view_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown materialized view "%"', refresh_view.view_name
            USING ERRCODE = 'undefined_table',
                  HINT = 'Registered views: ' || (SELECT coalesce(pg_catalog.string_agg(r.view_name, ', ' ORDER BY r.view_name), 'none')
                                                  FROM ops.mv_registry AS r);
    END IF;

    -- One refresh per view at a time, across sessions; the lock (the view's registry row, then the
    -- advisory mark monitoring reads) ends with the transaction. Only refreshers can hold the row:
    -- a login that merely holds the advisory key does not stop the refresh (ops.lock_view_refresh).
    IF NOT ops.lock_view_refresh(reg.view_name) THEN
        INSERT INTO ops.mv_refresh_log (view_name, started_at, finished_at, duration_ms, status, error_message, refresh_trigger)
        VALUES (reg.view_name, started, pg_catalog.clock_timestamp(), 0, 'skipped',
                'another refresh of this view was running', refresh_view.refresh_trigger)
        RETURNING * INTO logged;
        RETURN logged;
    END IF;
    -- Read again under the lock: a refresh that ended meanwhile may have changed it.
    SELECT * INTO STRICT reg FROM ops.mv_registry AS r WHERE r.view_name = refresh_view.view_name;

    BEGIN
        -- lock_timeout applies at once (restored below); statement_timeout is the caller's to set. A
        -- caller's shorter lock_timeout stands (a scheduled run's, ops.scheduled_lock_timeout): running
        -- out of it is logged skipped, not failed (ops.log_refresh_failure).
        PERFORM pg_catalog.set_config('lock_timeout',
            (EXTRACT(epoch FROM CASE WHEN old_lock::interval > interval '0' THEN LEAST(old_lock::interval, reg.lock_timeout)
                                     ELSE reg.lock_timeout END) * 1000)::bigint::text, true);

        rel := pg_catalog.to_regclass(reg.view_name);
        IF rel IS NULL THEN
            RAISE EXCEPTION 'materialized view % does not exist (registered, but dropped or not yet created); run erpdb migrate', reg.view_name
                USING ERRCODE = 'undefined_table';
        END IF;
        SELECT reg.refresh_concurrently AND c.relispopulated INTO use_concurrently FROM pg_catalog.pg_class AS c WHERE c.oid = rel;

        -- The dirty marks (and invalidated ranges) this refresh covers: those of transactions
        -- committed before it starts.
        snapshot := pg_catalog.pg_current_snapshot();
        IF reg.view_kind = 'incremental' THEN
            SELECT a.row_count, a.refresh_mode INTO counted, mode
            FROM ops.refresh_aggregate(reg.view_name, refresh_view.full_rebuild, snapshot) AS a;
        ELSIF use_concurrently THEN
            EXECUTE pg_catalog.format('REFRESH MATERIALIZED VIEW CONCURRENTLY %s', rel);
            EXECUTE pg_catalog.format('SELECT count(*) FROM %s', rel) INTO counted;
        ELSE
            EXECUTE pg_catalog.format('REFRESH MATERIALIZED VIEW %s', rel);
            EXECUTE pg_catalog.format('SELECT count(*) FROM %s', rel) INTO counted;
        END IF;

        DELETE FROM ops.mv_invalidations AS i
        WHERE i.view_name = reg.view_name AND pg_catalog.pg_visible_in_snapshot(i.xid, snapshot);
        -- Views that read this one are now behind it.
        INSERT INTO ops.mv_invalidations (view_name, xid, source_name)
        SELECT r.view_name, pg_catalog.pg_current_xact_id(), reg.view_name
        FROM ops.mv_registry AS r
        WHERE reg.view_name = ANY (r.depends_on)
        ON CONFLICT ON CONSTRAINT mv_invalidations_pkey DO NOTHING;

        UPDATE ops.mv_registry AS r
        SET last_success_at = pg_catalog.clock_timestamp(),
            last_row_count = counted,
            last_duration_ms = pg_catalog.round((EXTRACT(epoch FROM pg_catalog.clock_timestamp() - started) * 1000)::numeric, 3),
            consecutive_failures = 0,
            retry_after = NULL
        WHERE r.view_name = reg.view_name;

        INSERT INTO ops.mv_refresh_log (view_name, started_at, finished_at, duration_ms, row_count, status, was_concurrent,
                                        refresh_trigger, refresh_mode)
        VALUES (reg.view_name, started, pg_catalog.clock_timestamp(),
                pg_catalog.round((EXTRACT(epoch FROM pg_catalog.clock_timestamp() - started) * 1000)::numeric, 3),
                counted, 'succeeded', use_concurrently, refresh_view.refresh_trigger, mode)
        RETURNING * INTO logged;
    EXCEPTION
        -- query_canceled is not part of OTHERS. A statement timeout is a failure of this view, and
        -- so is the watchdog's cancel; any other cancel is the caller's, logged 'cancelled' (not a
        -- failure of the view) and returned so that the caller stops (ops.log_refresh_failure tells
        -- them apart). The view's lock is still held while the failure is logged.
        WHEN query_canceled OR OTHERS THEN
            GET STACKED DIAGNOSTICS error_text = MESSAGE_TEXT, error_state = RETURNED_SQLSTATE;
            logged := ops.log_refresh_failure(reg.view_name, started, use_concurrently, error_text, error_state, refresh_view.refresh_trigger);
    END;

    PERFORM pg_catalog.set_config('lock_timeout', old_lock, true);
    RETURN logged;
EXCEPTION
    -- Cut before the refresh started (the function's start, the registry read, the lock) or while a
    -- failure was being logged: what this block did is undone (the lock too), and the cut is logged
    -- as above. A statement timeout fires once per statement, so this handler runs to the end. An
    -- invalid trigger or a name that is not registered has nothing to log against: the cancel stands.
    WHEN query_canceled THEN
        GET STACKED DIAGNOSTICS error_text = MESSAGE_TEXT, error_state = RETURNED_SQLSTATE;
        SELECT * INTO reg FROM ops.mv_registry AS r WHERE r.view_name = refresh_view.view_name;
        IF NOT FOUND OR coalesce(pg_catalog.length(refresh_view.refresh_trigger) NOT BETWEEN 1 AND 100, true) THEN
            RAISE;
        END IF;
        RETURN ops.log_refresh_failure(reg.view_name, coalesce(started, pg_catalog.statement_timestamp()), use_concurrently,
                                       error_text, error_state, refresh_view.refresh_trigger);
END
$$;

COMMENT ON FUNCTION ops.refresh_view(text, text, boolean) IS
    'Refreshes one registered view (a materialized view CONCURRENTLY when registered so and populated; an incremental aggregate by recomputing only its invalidated buckets, or every row with full_rebuild) under a per-view lock (ops.lock_view_refresh: the registry row, which only refreshers can lock, and the advisory lock monitoring reads): a second caller at the same time is logged as skipped. Sets the lock timeout, or keeps the caller''s shorter one (a scheduled run''s: a lock not free within it is logged skipped, without backoff, and the view stays dirty); the statement timeout is the caller''s (ops.refresh_statement_timeout). counts rows, clears the dirty marks it covered and marks dependent views dirty. A failure (a statement timeout, or the watchdog''s cancel past it, included) is logged with its error, sets the retry backoff and is returned, never raised; any other cancel is logged and returned as cancelled. Returns the log row.';
REVOKE EXECUTE ON FUNCTION ops.refresh_view(text, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.refresh_view(text, text, boolean) TO erp_writer;
