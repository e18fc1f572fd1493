-- ops.purge_refresh_log: keeps ops.mv_refresh_log and ops.mv_invalidations bounded; every due
-- refresh calls it.
-- requires: ops.mv_refresh_log, ops.mv_registry, ops.mv_invalidations (0012_refresh_registry)

CREATE OR REPLACE FUNCTION ops.purge_refresh_log(keep interval DEFAULT '30 days', keep_rows_per_view integer DEFAULT 1000)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    purged bigint;
BEGIN
    -- Older than keep, or beyond the newest keep_rows_per_view rows of its view; the newest
    -- success of each view is always kept (its age is what freshness reports).
    WITH ranked AS (
        SELECT l.log_id, l.started_at,
               pg_catalog.row_number() OVER (PARTITION BY l.view_name ORDER BY l.started_at DESC, l.log_id DESC) AS newest,
               pg_catalog.row_number() OVER (PARTITION BY l.view_name, l.status = 'succeeded' ORDER BY l.started_at DESC, l.log_id DESC) = 1
                   AND l.status = 'succeeded' AS last_success
        FROM ops.mv_refresh_log AS l
    )
    DELETE FROM ops.mv_refresh_log AS l
    USING ranked AS r
    WHERE l.log_id = r.log_id
      AND NOT r.last_success
      AND (r.started_at < pg_catalog.now() - keep OR r.newest > keep_rows_per_view);
    GET DIAGNOSTICS purged = ROW_COUNT;

    -- Marks of views that are no longer registered would never be cleared.
    DELETE FROM ops.mv_invalidations AS i
    WHERE NOT EXISTS (SELECT 1 FROM ops.mv_registry AS r WHERE r.view_name = i.view_name);
    RETURN purged;
END
$$;

COMMENT ON FUNCTION ops.purge_refresh_log(interval, integer) IS
    'Deletes refresh log rows older than keep (default 30 days) or beyond the newest keep_rows_per_view (default 1000) of their view, keeping each view''s last success; drops dirty marks of unregistered views. Returns the log rows deleted.';
REVOKE EXECUTE ON FUNCTION ops.purge_refresh_log(interval, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.purge_refresh_log(interval, integer) TO erp_writer;
