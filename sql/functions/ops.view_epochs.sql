-- ops.view_epochs: how fresh the views the caller may read are, with each view's refresh epoch
-- (ops.mv_freshness.refresh_epoch, one more on every successful refresh or rebuild). What a query
-- sends before its data: the freshness a result carries, and the epochs its cached copy is keyed
-- by (docs/result-cache.md). ops.view_freshness(text[]) is this without the epoch.
-- requires: ops.mv_freshness (0028_view_freshness_table), ops.mv_invalidations (0012_refresh_registry),
--           ops.merchant_access (0010_merchant_isolation)
-- A view is listed when the login may SELECT it or a view that reads it (its reader view): a query
-- whose views are not all listed is never served from the cache. is_dirty is NULL for a login
-- limited to particular merchants. The epoch is the same for every merchant and login (a count of
-- refreshes, no more than last_refresh_at already tells): nothing about other merchants' rows.

CREATE OR REPLACE FUNCTION ops.view_epochs(view_names text[])
RETURNS TABLE (
    view_name        text,
    last_refresh_at  timestamptz,
    age              interval,
    is_stale         boolean,
    is_failing       boolean,
    is_dirty         boolean,
    refresh_epoch    bigint)
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
                THEN EXISTS (SELECT 1 FROM ops.mv_invalidations AS i WHERE i.view_name = f.view_name) END,
           f.refresh_epoch
    FROM ops.mv_freshness AS f
    CROSS JOIN login
    CROSS JOIN LATERAL (SELECT pg_catalog.to_regclass(f.view_name)::oid AS oid) AS rel
    WHERE (view_epochs.view_names IS NULL OR f.view_name = ANY (view_epochs.view_names))
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

COMMENT ON FUNCTION ops.view_epochs(text[]) IS
    'ops.view_freshness(view_names) plus refresh_epoch, which grows with every successful refresh of the view: a result computed from the view is current while the epoch is unchanged (the query result cache''s key). Safe for readers: nothing about other merchants'' activity.';
REVOKE EXECUTE ON FUNCTION ops.view_epochs(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.view_epochs(text[]) TO erp_reader, erp_writer;
