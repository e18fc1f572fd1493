-- ops.view_freshness: how fresh the views the caller may read are (the freshness query results
-- carry). The readers' narrow counterpart of ops.view_status: no row counts, durations, errors or
-- dirty times, which would tell a reader scoped to one merchant about the others' activity.
-- requires: ops.mv_freshness (0028_view_freshness_table), ops.mv_invalidations (0012_refresh_registry),
--           ops.merchant_access (0010_merchant_isolation)
-- Every query calls it (docs/queries.md), so it reads the one-row-per-view table ops.mv_freshness,
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
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
-- One plan per session: the custom plans PostgreSQL would otherwise try first cost more to plan than to run.
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    RETURN QUERY
    WITH login AS (
        -- session_user, like ops.current_merchant_id(): SET ROLE changes nothing.
        SELECT pg_catalog.pg_has_role(session_user, 'erp_owner', 'MEMBER') AS is_owner,
               pg_catalog.pg_has_role(session_user, 'erp_owner', 'MEMBER')
               OR pg_catalog.pg_has_role(session_user, 'erp_writer', 'MEMBER')
               OR EXISTS (SELECT 1
                          FROM ops.merchant_access AS a
                          JOIN pg_catalog.pg_roles AS r ON r.rolname = a.role_name
                          WHERE a.merchant_id IS NULL
                            AND pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER')) AS sees_every_merchant
    )
    SELECT f.view_name,
           f.last_success_at,
           pg_catalog.now() - f.last_success_at,
           f.last_success_at IS NULL OR pg_catalog.now() - f.last_success_at > f.stale_after,
           f.is_failing,
           CASE WHEN login.sees_every_merchant
                THEN EXISTS (SELECT 1 FROM ops.mv_invalidations AS i WHERE i.view_name = f.view_name) END
    FROM ops.mv_freshness AS f
    CROSS JOIN login
    CROSS JOIN LATERAL (SELECT pg_catalog.to_regclass(f.view_name)::oid AS oid) AS rel
    WHERE (view_freshness.view_names IS NULL OR f.view_name = ANY (view_freshness.view_names))
      -- A view that exists, and the login is the owner (who reads everything) or may SELECT the
      -- view or a view over it. CASE, not OR: the cheap tests first, the catalog lookup last.
      AND CASE WHEN rel.oid IS NULL THEN false
               WHEN login.is_owner THEN true
               WHEN pg_catalog.has_table_privilege(session_user, rel.oid, 'SELECT') THEN true
               ELSE EXISTS (SELECT 1
                            FROM pg_catalog.pg_depend AS d
                            JOIN pg_catalog.pg_rewrite AS w ON w.oid = d.objid
                            WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass
                              AND d.refclassid = 'pg_catalog.pg_class'::regclass
                              AND d.refobjid = rel.oid
                              AND w.ev_class <> rel.oid
                              AND pg_catalog.has_table_privilege(session_user, w.ev_class, 'SELECT'))
          END
    ORDER BY f.view_name;
END
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
