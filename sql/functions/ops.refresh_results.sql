-- ops.refresh_results: the refresh log rows with the given ids, for callers of
-- ops.refresh_due / ops.refresh_all (their INOUT log_ids) that may not read ops directly.
-- requires: ops.mv_refresh_log (0012_refresh_registry)

CREATE OR REPLACE FUNCTION ops.refresh_results(log_ids bigint[])
RETURNS SETOF ops.mv_refresh_log
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT l.* FROM ops.mv_refresh_log AS l WHERE l.log_id = ANY (log_ids) ORDER BY l.log_id
$$;

COMMENT ON FUNCTION ops.refresh_results(bigint[]) IS
    'The ops.mv_refresh_log rows with the given ids, in log order (what a refresh_due / refresh_all call wrote).';
REVOKE EXECUTE ON FUNCTION ops.refresh_results(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.refresh_results(bigint[]) TO erp_writer;
