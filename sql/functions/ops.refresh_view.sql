-- ops.refresh_view: refreshes one registered materialized view and logs the attempt.
-- requires: ops.mv_registry, ops.mv_refresh_log, ops.mv_invalidations (0012_refresh_registry)
-- Never raises for a failed refresh: the failure is logged (with its error) and returned, so a
-- caller refreshing many views goes on with the next. It raises only for an unknown view name.

CREATE OR REPLACE FUNCTION ops.refresh_view(view_name text, refresh_trigger text DEFAULT 'manual')
RETURNS ops.mv_refresh_log
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    reg               ops.mv_registry;
    rel               regclass;
    started           timestamptz := pg_catalog.clock_timestamp();
    use_concurrently  boolean;
    snapshot          pg_catalog.pg_snapshot;
    counted           bigint;
    old_statement     text := pg_catalog.current_setting('statement_timeout');
    old_lock          text := pg_catalog.current_setting('lock_timeout');
    error_text        text;
    error_state       text;
    logged            ops.mv_refresh_log;
BEGIN
    SELECT * INTO reg FROM ops.mv_registry AS r WHERE r.view_name = refresh_view.view_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown materialized view "%"', refresh_view.view_name
            USING ERRCODE = 'undefined_table',
                  HINT = 'Registered views: ' || (SELECT coalesce(pg_catalog.string_agg(r.view_name, ', ' ORDER BY r.view_name), 'none')
                                                  FROM ops.mv_registry AS r);
    END IF;

    -- One refresh per view at a time, across sessions; the lock ends with the transaction.
    IF NOT pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtext('erpdb.refresh_view'), pg_catalog.hashtext(reg.view_name)) THEN
        INSERT INTO ops.mv_refresh_log (view_name, started_at, finished_at, duration_ms, status, error_message, refresh_trigger)
        VALUES (reg.view_name, started, pg_catalog.clock_timestamp(), 0, 'skipped',
                'another refresh of this view was running', refresh_view.refresh_trigger)
        RETURNING * INTO logged;
        RETURN logged;
    END IF;

    BEGIN
        -- lock_timeout applies at once; statement_timeout from the next top-level statement of this
        -- transaction on (PostgreSQL arms it per client statement). Both are restored below.
        PERFORM pg_catalog.set_config('lock_timeout', (EXTRACT(epoch FROM reg.lock_timeout) * 1000)::bigint::text, true);
        PERFORM pg_catalog.set_config('statement_timeout', (EXTRACT(epoch FROM reg.statement_timeout) * 1000)::bigint::text, true);

        rel := pg_catalog.to_regclass(reg.view_name);
        IF rel IS NULL THEN
            RAISE EXCEPTION 'materialized view % does not exist (registered, but dropped or not yet created); run erpdb migrate', reg.view_name
                USING ERRCODE = 'undefined_table';
        END IF;
        SELECT reg.refresh_concurrently AND c.relispopulated INTO use_concurrently FROM pg_catalog.pg_class AS c WHERE c.oid = rel;

        -- The dirty marks this refresh covers: those of transactions committed before it starts.
        snapshot := pg_catalog.pg_current_snapshot();
        IF use_concurrently THEN
            EXECUTE pg_catalog.format('REFRESH MATERIALIZED VIEW CONCURRENTLY %s', rel);
        ELSE
            EXECUTE pg_catalog.format('REFRESH MATERIALIZED VIEW %s', rel);
        END IF;
        EXECUTE pg_catalog.format('SELECT count(*) FROM %s', rel) INTO counted;

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
            consecutive_failures = 0
        WHERE r.view_name = reg.view_name;

        INSERT INTO ops.mv_refresh_log (view_name, started_at, finished_at, duration_ms, row_count, status, was_concurrent, refresh_trigger)
        VALUES (reg.view_name, started, pg_catalog.clock_timestamp(),
                pg_catalog.round((EXTRACT(epoch FROM pg_catalog.clock_timestamp() - started) * 1000)::numeric, 3),
                counted, 'succeeded', use_concurrently, refresh_view.refresh_trigger)
        RETURNING * INTO logged;
    EXCEPTION
        -- query_canceled (a timeout) is not part of OTHERS; it is a failure of this view too.
        WHEN query_canceled OR OTHERS THEN
            GET STACKED DIAGNOSTICS error_text = MESSAGE_TEXT, error_state = RETURNED_SQLSTATE;
            UPDATE ops.mv_registry AS r
            SET consecutive_failures = r.consecutive_failures + 1
            WHERE r.view_name = reg.view_name;
            INSERT INTO ops.mv_refresh_log (view_name, started_at, finished_at, duration_ms, status, was_concurrent,
                                            error_message, error_sqlstate, refresh_trigger)
            VALUES (reg.view_name, started, pg_catalog.clock_timestamp(),
                    pg_catalog.round((EXTRACT(epoch FROM pg_catalog.clock_timestamp() - started) * 1000)::numeric, 3),
                    'failed', use_concurrently, error_text, error_state, refresh_view.refresh_trigger)
            RETURNING * INTO logged;
    END;

    PERFORM pg_catalog.set_config('statement_timeout', old_statement, true);
    PERFORM pg_catalog.set_config('lock_timeout', old_lock, true);
    RETURN logged;
END
$$;

COMMENT ON FUNCTION ops.refresh_view(text, text) IS
    'Refreshes one registered view (CONCURRENTLY when registered so and populated) under a per-view advisory lock: a second caller at the same time is logged as skipped. Sets lock and statement timeouts, counts rows, clears the dirty marks it covered and marks dependent views dirty. A failure is logged with its error and returned, never raised. Returns the log row.';
REVOKE EXECUTE ON FUNCTION ops.refresh_view(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.refresh_view(text, text) TO erp_writer;
