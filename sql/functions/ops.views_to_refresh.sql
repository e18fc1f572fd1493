-- ops.views_to_refresh: the registered views in dependency order (a view after the views it
-- reads), optionally only those that are due or dirty now and not backing off after a failure.
-- requires: ops.mv_registry, ops.mv_invalidations (0012_refresh_registry)

CREATE OR REPLACE FUNCTION ops.views_to_refresh(only_due boolean DEFAULT false)
RETURNS TABLE (view_name text, refresh_level integer, is_due boolean, is_dirty boolean)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH RECURSIVE levels AS (
        SELECT r.view_name, 0 AS refresh_level
        FROM ops.mv_registry AS r
        UNION ALL
        -- A view sits one level above every view it depends on; depth 32 guards against a cycle.
        SELECT r.view_name, l.refresh_level + 1
        FROM ops.mv_registry AS r
        JOIN levels AS l ON l.view_name = ANY (r.depends_on)
        WHERE l.refresh_level < 32
    ),
    ordered AS (
        SELECT l.view_name, max(l.refresh_level) AS refresh_level
        FROM levels AS l
        GROUP BY l.view_name
    ),
    states AS (
        SELECT o.view_name, o.refresh_level,
               r.last_success_at IS NULL OR r.last_success_at + r.refresh_interval <= pg_catalog.now() AS is_due,
               EXISTS (SELECT 1 FROM ops.mv_invalidations AS i WHERE i.view_name = o.view_name) AS is_dirty,
               r.retry_after IS NOT NULL AND r.retry_after > pg_catalog.now() AS is_backing_off
        FROM ordered AS o
        JOIN ops.mv_registry AS r ON r.view_name = o.view_name
        WHERE pg_catalog.to_regclass(o.view_name) IS NOT NULL
    )
    SELECT s.view_name, s.refresh_level, s.is_due, s.is_dirty
    FROM states AS s
    WHERE NOT only_due OR ((s.is_due OR s.is_dirty) AND NOT s.is_backing_off)
    ORDER BY s.refresh_level, s.view_name
$$;

COMMENT ON FUNCTION ops.views_to_refresh(boolean) IS
    'Registered views that exist, in dependency order (refresh_level 0 reads no other view), with whether each is due (refresh_interval elapsed since its last success) or dirty (a write to what it reads). only_due = true keeps the due or dirty ones, except those backing off after a failure (ops.mv_registry.retry_after).';
REVOKE EXECUTE ON FUNCTION ops.views_to_refresh(boolean) FROM PUBLIC;
-- Not for readers: is_dirty tells when any merchant last wrote.
REVOKE EXECUTE ON FUNCTION ops.views_to_refresh(boolean) FROM erp_reader;
GRANT EXECUTE ON FUNCTION ops.views_to_refresh(boolean) TO erp_writer;
