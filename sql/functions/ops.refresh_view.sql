-- ops.refresh_view: refreshes one registered view (a materialized view, or an incremental
-- aggregate through ops.refresh_aggregate) and logs the attempt.
-- requires: ops.mv_registry, ops.mv_refresh_log, ops.mv_invalidations (0012_refresh_registry),
--           ops.refresh_aggregate, ops.agg_invalidations (0027_incremental_aggregates),
--           ops.refresh_cuts (0029_refresh_cuts), ops.lock_view_refresh
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
    reg               ops.mv_registry;
    rel               regclass;
    started           timestamptz := pg_catalog.clock_timestamp();
    use_concurrently  boolean;
    snapshot          pg_catalog.pg_snapshot;
    counted           bigint;
    statement_ms      bigint := (EXTRACT(epoch FROM pg_catalog.current_setting('statement_timeout')::interval) * 1000)::bigint;
    old_lock          text := pg_catalog.current_setting('lock_timeout');
    error_text        text;
    error_state       text;
    outcome           text;
    mode              text := 'full';
    failed_at         timestamptz;
    cut_limit         interval;
    logged            ops.mv_refresh_log;
BEGIN
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
        -- lock_timeout applies at once (restored below); statement_timeout is the caller's to set.
        PERFORM pg_catalog.set_config('lock_timeout', (EXTRACT(epoch FROM reg.lock_timeout) * 1000)::bigint::text, true);

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
        -- so is the watchdog's cancel (its mark names this process and transaction); any other
        -- cancel is the caller's, logged 'cancelled' (not a failure of the view) and returned so
        -- that the caller stops. SQLSTATE 57014 is the same for all: the mark, the message, or (in
        -- another language) whether the caller's statement timeout has elapsed tells them apart.
        WHEN query_canceled OR OTHERS THEN
            GET STACKED DIAGNOSTICS error_text = MESSAGE_TEXT, error_state = RETURNED_SQLSTATE;
            failed_at := pg_catalog.clock_timestamp();
            IF error_state = '57014' THEN
                DELETE FROM ops.refresh_cuts AS c
                WHERE c.pid = pg_catalog.pg_backend_pid() AND c.backend_xact_start = pg_catalog.now()
                RETURNING c.run_limit INTO cut_limit;
                IF cut_limit IS NOT NULL THEN
                    error_text := pg_catalog.format(
                        'canceling refresh due to statement timeout: it ran longer than its registered statement timeout of %s and was cancelled by the refresh watchdog (ops.cancel_overrunning_refreshes)',
                        cut_limit);
                END IF;
            END IF;
            outcome := CASE
                WHEN cut_limit IS NOT NULL THEN 'failed'
                WHEN error_state <> '57014' THEN 'failed'
                WHEN error_text LIKE '%statement timeout%' THEN 'failed'
                WHEN statement_ms > 0 AND failed_at - pg_catalog.statement_timestamp() >= statement_ms * interval '1 millisecond' THEN 'failed'
                ELSE 'cancelled'
            END;
            IF outcome = 'failed' THEN
                -- Backoff: due refreshes retry after min(interval * 2^(failures - 1), 1 hour).
                UPDATE ops.mv_registry AS r
                SET consecutive_failures = r.consecutive_failures + 1,
                    retry_after = failed_at + LEAST(r.refresh_interval * pg_catalog.power(2, LEAST(r.consecutive_failures, 20)),
                                                    interval '1 hour')
                WHERE r.view_name = reg.view_name;
            END IF;
            INSERT INTO ops.mv_refresh_log (view_name, started_at, finished_at, duration_ms, status, was_concurrent,
                                            error_message, error_sqlstate, refresh_trigger)
            VALUES (reg.view_name, started, failed_at,
                    pg_catalog.round((EXTRACT(epoch FROM failed_at - started) * 1000)::numeric, 3),
                    outcome, use_concurrently, error_text, error_state, refresh_view.refresh_trigger)
            RETURNING * INTO logged;
    END;

    PERFORM pg_catalog.set_config('lock_timeout', old_lock, true);
    RETURN logged;
END
$$;

COMMENT ON FUNCTION ops.refresh_view(text, text, boolean) IS
    'Refreshes one registered view (a materialized view CONCURRENTLY when registered so and populated; an incremental aggregate by recomputing only its invalidated buckets, or every row with full_rebuild) under a per-view lock (ops.lock_view_refresh: the registry row, which only refreshers can lock, and the advisory lock monitoring reads): a second caller at the same time is logged as skipped. Sets the lock timeout (the statement timeout is the caller''s: ops.refresh_statement_timeout), counts rows, clears the dirty marks it covered and marks dependent views dirty. A failure (a statement timeout, or the watchdog''s cancel past it, included) is logged with its error, sets the retry backoff and is returned, never raised; any other cancel is logged and returned as cancelled. Returns the log row.';
REVOKE EXECUTE ON FUNCTION ops.refresh_view(text, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.refresh_view(text, text, boolean) TO erp_writer;
