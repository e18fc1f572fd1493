-- ops.view_freshness: how fresh the views the caller may read are (the freshness query results
-- carry). The readers' narrow counterpart of ops.view_status: no row counts, durations, errors or
-- dirty times, which would tell a reader scoped to one merchant about the others' activity.
-- requires: ops.view_epochs (which holds the logic: the same rows with each view's refresh epoch)
-- Queries send ops.view_epochs (docs/queries.md); both read the one-row-per-view table ops.mv_freshness,
-- never the refresh log, and only the views asked for: ops.view_freshness(ARRAY['mart.mv_daily_sales']),
-- or every view with ops.view_freshness() (NULL).
-- A view is listed when the login may SELECT it or a view that reads it (its reader view).
-- is_dirty (whether newer data waits for the next refresh: a dirty mark in ops.mv_invalidations)
-- is NULL for a login limited to particular merchants: only the owner, writers and logins allowed
-- any merchant see it.

CREATE OR REPLACE FUNCTION ops.view_freshness(view_names text[])
RETURNS TABLE (
    view_name        text,
    last_refresh_at  timestamptz,
    age              interval,
    is_stale         boolean,
    is_failing       boolean,
    is_dirty         boolean)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT e.view_name, e.last_refresh_at, e.age, e.is_stale, e.is_failing, e.is_dirty
    FROM ops.view_epochs(view_freshness.view_names) AS e
$$;

COMMENT ON FUNCTION ops.view_freshness(text[]) IS
    'One row per registered view named in view_names (NULL: all) that the login may read (directly or through a view over it), from ops.mv_freshness: last successful refresh, age, stale (older than stale_after, or never), failing (its last attempt failed) and dirty (newer data waits for a refresh; NULL unless the login is the owner, a writer or allowed any merchant). Safe for readers: nothing about other merchants'' activity.';
REVOKE EXECUTE ON FUNCTION ops.view_freshness(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.view_freshness(text[]) TO erp_reader, erp_writer;

CREATE OR REPLACE FUNCTION ops.view_freshness()
RETURNS TABLE (
    view_name        text,
    last_refresh_at  timestamptz,
    age              interval,
    is_stale         boolean,
    is_failing       boolean,
    is_dirty         boolean)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT * FROM ops.view_freshness(NULL::text[])
$$;

COMMENT ON FUNCTION ops.view_freshness() IS
    'ops.view_freshness(NULL): every registered view the login may read, with its freshness (see ops.view_freshness(text[])).';
REVOKE EXECUTE ON FUNCTION ops.view_freshness() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.view_freshness() TO erp_reader, erp_writer;
