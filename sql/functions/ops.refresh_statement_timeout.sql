-- ops.refresh_statement_timeout: the registry's statement timeout of a view, in milliseconds as
-- text, for a caller to SET before it calls ops.refresh_view.
-- requires: ops.mv_registry (0012_refresh_registry)
-- PostgreSQL arms the statement timer when a client statement starts, so only the caller can
-- bound a refresh: ViewRefresher runs
-- SELECT set_config('statement_timeout', ops.refresh_statement_timeout(v), false), then the refresh.

CREATE OR REPLACE FUNCTION ops.refresh_statement_timeout(view_name text)
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT (EXTRACT(epoch FROM r.statement_timeout) * 1000)::bigint::text
    FROM ops.mv_registry AS r
    WHERE r.view_name = refresh_statement_timeout.view_name
$$;

COMMENT ON FUNCTION ops.refresh_statement_timeout(text) IS
    'The registered statement timeout of a view in milliseconds (text, for set_config), NULL for an unknown view. Set it before calling ops.refresh_view: a timeout set inside a call does not bound that call.';
REVOKE EXECUTE ON FUNCTION ops.refresh_statement_timeout(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.refresh_statement_timeout(text) TO erp_writer;
