-- ops.view_freshness: how fresh the views the caller may read are (the freshness query results
-- carry). The readers' narrow counterpart of ops.view_status: no row counts, durations, errors or
-- dirty times, which would tell a reader scoped to one merchant about the others' activity.
-- requires: ops.view_status, ops.merchant_access (0010_merchant_isolation)
-- A view is listed when the login may SELECT it or a view that reads it (its reader view).
-- is_dirty (whether newer data waits for the next refresh) is NULL for a login limited to
-- particular merchants: only the owner, writers and logins allowed any merchant see it.

CREATE OR REPLACE FUNCTION ops.view_freshness()
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
AS $$
DECLARE
    -- session_user, like ops.current_merchant_id(): SET ROLE changes nothing.
    sees_every_merchant boolean :=
        pg_catalog.pg_has_role(session_user, 'erp_owner', 'MEMBER')
        OR pg_catalog.pg_has_role(session_user, 'erp_writer', 'MEMBER')
        OR EXISTS (SELECT 1
                   FROM ops.merchant_access AS a
                   JOIN pg_catalog.pg_roles AS r ON r.rolname = a.role_name
                   WHERE a.merchant_id IS NULL
                     AND pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER'));
BEGIN
    RETURN QUERY
    SELECT s.view_name,
           s.last_refresh_at,
           s.age,
           s.is_stale,
           s.consecutive_failures > 0,
           CASE WHEN sees_every_merchant THEN s.is_dirty END
    FROM ops.view_status() AS s
    JOIN pg_catalog.pg_class AS c ON c.oid = pg_catalog.to_regclass(s.view_name)
    WHERE pg_catalog.has_table_privilege(session_user, c.oid, 'SELECT')
       OR EXISTS (SELECT 1
                  FROM pg_catalog.pg_depend AS d
                  JOIN pg_catalog.pg_rewrite AS w ON w.oid = d.objid
                  WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass
                    AND d.refclassid = 'pg_catalog.pg_class'::regclass
                    AND d.refobjid = c.oid
                    AND w.ev_class <> c.oid
                    AND pg_catalog.has_table_privilege(session_user, w.ev_class, 'SELECT'))
    ORDER BY s.view_name;
END
$$;

COMMENT ON FUNCTION ops.view_freshness() IS
    'One row per registered view the login may read (directly or through a view over it): last successful refresh, age, stale (older than stale_after, or never), failing (its last attempt failed) and dirty (newer data waits for a refresh; NULL unless the login is the owner, a writer or allowed any merchant). Safe for readers: nothing about other merchants'' activity.';
REVOKE EXECUTE ON FUNCTION ops.view_freshness() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.view_freshness() TO erp_reader, erp_writer;
