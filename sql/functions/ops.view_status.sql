-- ops.view_status: freshness and health of every registered view, for writers and the owner
-- (erpdb views, ViewRefresher). Readers use ops.view_freshness: row counts, errors and dirty times
-- would tell them about other merchants' activity.
-- requires: ops.mv_registry, ops.mv_refresh_log, ops.mv_invalidations (0012_refresh_registry)
-- Unhealthy: missing or unpopulated, 3 or more consecutive failures, or stale (last success
-- older than stale_after, or never).

-- Its result columns change over time (new ones go at the end), which CREATE OR REPLACE refuses.
DROP FUNCTION IF EXISTS ops.view_status();

CREATE OR REPLACE FUNCTION ops.view_status()
RETURNS TABLE (
    view_name             text,
    row_count             bigint,
    last_refresh_at       timestamptz,
    last_duration_ms      numeric,
    last_status           text,
    last_error            text,
    last_attempt_at       timestamptz,
    age                   interval,
    refresh_interval      interval,
    stale_after           interval,
    is_stale              boolean,
    is_dirty              boolean,
    dirty_since           timestamptz,
    consecutive_failures  integer,
    is_healthy            boolean,
    is_populated          boolean,
    refresh_concurrently  boolean,
    depends_on            text[],
    retry_after           timestamptz)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT r.view_name,
           r.last_row_count,
           r.last_success_at,
           r.last_duration_ms,
           last.status,
           last.error_message,
           last.started_at,
           pg_catalog.now() - r.last_success_at,
           r.refresh_interval,
           r.stale_after,
           r.last_success_at IS NULL OR pg_catalog.now() - r.last_success_at > r.stale_after,
           dirty.since IS NOT NULL,
           dirty.since,
           r.consecutive_failures,
           coalesce(c.relkind = 'r' OR c.relispopulated, false)
               AND r.consecutive_failures < 3
               AND r.last_success_at IS NOT NULL
               AND pg_catalog.now() - r.last_success_at <= r.stale_after,
           coalesce(c.relkind = 'r' OR c.relispopulated, false),
           r.refresh_concurrently,
           r.depends_on,
           CASE WHEN r.retry_after > pg_catalog.now() THEN r.retry_after END
    FROM ops.mv_registry AS r
    LEFT JOIN pg_catalog.pg_class AS c ON c.oid = pg_catalog.to_regclass(r.view_name) AND c.relkind IN ('m', 'r')
    LEFT JOIN LATERAL (
        SELECT l.status, l.error_message, l.started_at
        FROM ops.mv_refresh_log AS l
        WHERE l.view_name = r.view_name
        ORDER BY l.started_at DESC, l.log_id DESC
        LIMIT 1
    ) AS last ON true
    LEFT JOIN LATERAL (
        SELECT min(i.invalidated_at) AS since FROM ops.mv_invalidations AS i WHERE i.view_name = r.view_name
    ) AS dirty ON true
    ORDER BY r.view_name
$$;

COMMENT ON FUNCTION ops.view_status() IS
    'One row per registered view: rows, last successful refresh, its duration, the last attempt''s status and error, age, stale (older than stale_after), dirty (and since when), consecutive failures, healthy (populated, fewer than 3 consecutive failures, not stale) and, while a failing view backs off, when due refreshes retry it. For writers and the owner; readers use ops.view_freshness() (this reveals every merchant''s activity).';
REVOKE EXECUTE ON FUNCTION ops.view_status() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ops.view_status() FROM erp_reader;
GRANT EXECUTE ON FUNCTION ops.view_status() TO erp_writer;
