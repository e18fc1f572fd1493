-- ops.log_refresh_run: logs a refresh run that failed or was cancelled outside the refresh of a
-- view (bad argument, the caller's statement timeout, a cancel between views, called inside a
-- transaction block), as view_name 'ops.refresh_due' in ops.mv_refresh_log.
-- requires: ops.mv_refresh_log (0012_refresh_registry, 0015_refresh_backoff)
-- Used by ops.refresh_due and by ViewRefresher, which drives a due refresh from the client.

CREATE OR REPLACE FUNCTION ops.log_refresh_run(refresh_trigger text, status text, error_message text, error_sqlstate text DEFAULT NULL)
RETURNS ops.mv_refresh_log
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    logged ops.mv_refresh_log;
BEGIN
    IF log_refresh_run.status NOT IN ('failed', 'cancelled') THEN
        RAISE EXCEPTION 'ops.log_refresh_run: status must be failed or cancelled, not %', log_refresh_run.status
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- A bad trigger is itself a failure worth logging: keep what fits the log's constraint.
    INSERT INTO ops.mv_refresh_log (view_name, started_at, finished_at, duration_ms, status, error_message, error_sqlstate, refresh_trigger)
    VALUES ('ops.refresh_due', pg_catalog.statement_timestamp(), pg_catalog.clock_timestamp(),
            pg_catalog.round((EXTRACT(epoch FROM pg_catalog.clock_timestamp() - pg_catalog.statement_timestamp()) * 1000)::numeric, 3),
            log_refresh_run.status, coalesce(log_refresh_run.error_message, log_refresh_run.status),
            log_refresh_run.error_sqlstate,
            coalesce(NULLIF(pg_catalog.left(log_refresh_run.refresh_trigger, 100), ''), '(invalid)'))
    RETURNING * INTO logged;
    RETURN logged;
END
$$;

COMMENT ON FUNCTION ops.log_refresh_run(text, text, text, text) IS
    'Logs a due-refresh run that failed or was cancelled outside a view''s refresh (view_name ops.refresh_due), so that no failure goes unlogged. Returns the log row.';
REVOKE EXECUTE ON FUNCTION ops.log_refresh_run(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.log_refresh_run(text, text, text, text) TO erp_writer;
