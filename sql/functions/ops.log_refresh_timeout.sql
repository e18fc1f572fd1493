-- ops.log_refresh_timeout: logs a view refresh that its statement timeout cut before ops.refresh_view
-- could log it, for the client that called it (ViewRefresher, erpdb refresh).
-- requires: ops.mv_registry (0012_refresh_registry), ops.log_refresh_failure
-- PostgreSQL checks for a pending cancel as a PL/pgSQL function starts, before any of its exception
-- handlers is in place: a statement timeout of a few milliseconds (the first call in a session
-- compiles and plans the function) cuts ops.refresh_view there, and it cannot log. The client then
-- resets its timeout and calls this: a failure like any other timeout of the view (counted, backoff).
-- SECURITY DEFINER: writers call ops.refresh_view, and only the owner writes the log and registry.

CREATE OR REPLACE FUNCTION ops.log_refresh_timeout(view_name text, refresh_trigger text, error_message text, started timestamptz)
RETURNS ops.mv_refresh_log
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM ops.mv_registry AS r WHERE r.view_name = log_refresh_timeout.view_name) THEN
        RAISE EXCEPTION 'unknown materialized view "%"', log_refresh_timeout.view_name USING ERRCODE = 'undefined_table';
    END IF;
    RETURN ops.log_refresh_failure(log_refresh_timeout.view_name,
                                   LEAST(coalesce(log_refresh_timeout.started, pg_catalog.statement_timestamp()), pg_catalog.statement_timestamp()),
                                   NULL, coalesce(log_refresh_timeout.error_message, 'canceling statement due to statement timeout'), '57014',
                                   coalesce(NULLIF(pg_catalog.left(log_refresh_timeout.refresh_trigger, 100), ''), '(invalid)'), true);
END
$$;

COMMENT ON FUNCTION ops.log_refresh_timeout(text, text, text, timestamptz) IS
    'Logs a refresh of a registered view that its statement timeout cut before ops.refresh_view could log it (as a PL/pgSQL function starts, before its handlers are in place): failed, counted toward the backoff. Called by the client that ran the refresh. Returns the log row.';
REVOKE EXECUTE ON FUNCTION ops.log_refresh_timeout(text, text, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.log_refresh_timeout(text, text, text, timestamptz) TO erp_writer;
