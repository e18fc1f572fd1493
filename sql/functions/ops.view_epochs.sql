-- ops.view_epochs: how fresh the views the caller may read are, with each view's refresh epoch
-- (ops.mv_freshness.refresh_epoch, one more on every successful refresh or rebuild). What a query
-- sends before its data: the freshness a result carries, and the epochs its cached copy is keyed
-- by (docs/result-cache.md). ops.view_freshness(text[]) is this without the epoch.
-- requires: ops.mv_freshness (0028_view_freshness_table), ops.mv_invalidations (0012_refresh_registry),
--           ops.merchant_access (0010_merchant_isolation; role_oid: 0049), ops.view_read_through_view
-- A view is listed when the login may SELECT it or a view that reads it (its reader view): a query
-- whose views are not all listed is never served from the cache. is_dirty is NULL for a login
-- limited to particular merchants. The epoch is the same for every merchant and login (a count of
-- refreshes, no more than last_refresh_at already tells) and carries no other merchant's rows; but
-- a due refresh rebuilds only views with changes, so a scoped reader watching epochs learns when
-- some merchant's rows of a view changed, to within a refresh (docs/security.md, accepted).
-- It is on the hit path of the result cache (docs/result-cache.md), so it is kept cheap to plan
-- as well as to run: a pooled Npgsql connection is reset with DISCARD ALL, which drops the plans
-- PL/pgSQL keeps, so each call plans its statement again. The owner's statement is one index scan
-- with no privilege test; others test the view, then its reader view by name, then any view over it.

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
AS $$
DECLARE
    -- session_user, like ops.current_merchant_id(): SET ROLE changes nothing.
    is_owner           boolean := pg_catalog.pg_has_role(session_user, 'erp_owner', 'MEMBER');
    sees_every_merchant boolean;
BEGIN
    IF is_owner THEN
        -- The owner reads everything: one index scan, no privilege test.
        RETURN QUERY
        SELECT f.view_name,
               f.last_success_at,
               pg_catalog.now() - f.last_success_at,
               f.last_success_at IS NULL OR pg_catalog.now() - f.last_success_at > f.stale_after,
               f.is_failing,
               EXISTS (SELECT 1 FROM ops.mv_invalidations AS i WHERE i.view_name = f.view_name),
               f.refresh_epoch
        FROM ops.mv_freshness AS f
        WHERE (view_epochs.view_names IS NULL OR f.view_name = ANY (view_epochs.view_names))
          AND pg_catalog.to_regclass(f.view_name) IS NOT NULL
        ORDER BY f.view_name;
        RETURN;
    END IF;

    sees_every_merchant := pg_catalog.pg_has_role(session_user, 'erp_writer', 'MEMBER')
        OR EXISTS (SELECT 1
                   FROM ops.merchant_access AS a
                   WHERE a.merchant_id IS NULL
                     AND pg_catalog.to_regrole(pg_catalog.quote_ident(a.role_name)) = a.role_oid
                     AND pg_catalog.pg_has_role(session_user, a.role_oid, 'MEMBER'));

    RETURN QUERY
    SELECT f.view_name,
           f.last_success_at,
           pg_catalog.now() - f.last_success_at,
           f.last_success_at IS NULL OR pg_catalog.now() - f.last_success_at > f.stale_after,
           f.is_failing,
           CASE WHEN sees_every_merchant
                THEN EXISTS (SELECT 1 FROM ops.mv_invalidations AS i WHERE i.view_name = f.view_name) END,
           f.refresh_epoch
    FROM ops.mv_freshness AS f
    WHERE (view_epochs.view_names IS NULL OR f.view_name = ANY (view_epochs.view_names))
      -- A view that exists, which the login may SELECT, or read through a view over it. CASE, not OR:
      -- the cheap tests first. The common case, a reader granted the reader view mart.x of
      -- mart.mv_x, is one privilege test on a name; only the owner creates relations in mart, and a
      -- view listed here still gives only what the reader view returns to this login. The catalog
      -- lookup (any view over it) comes last, in its own function: PostgreSQL plans a statement's
      -- subqueries whether they run or not, and with a pooled connection (Npgsql sends DISCARD ALL
      -- when it hands one out again) every call plans this statement anew.
      AND CASE WHEN pg_catalog.to_regclass(f.view_name) IS NULL THEN false
               WHEN pg_catalog.has_table_privilege(session_user, pg_catalog.to_regclass(f.view_name), 'SELECT') THEN true
               WHEN f.view_name LIKE 'mart.mv\_%'
                    AND pg_catalog.has_table_privilege(session_user,
                            pg_catalog.to_regclass('mart.' || pg_catalog.substr(f.view_name, 9)), 'SELECT') THEN true
               ELSE ops.view_read_through_view(pg_catalog.to_regclass(f.view_name))
          END
    ORDER BY f.view_name;
END
$$;

COMMENT ON FUNCTION ops.view_epochs(text[]) IS
    'ops.view_freshness(view_names) plus refresh_epoch, which grows with every successful refresh of the view: a result computed from the view is current while the epoch is unchanged (the query result cache''s key). Carries no merchant''s rows; as it moves only when a refresh found changes, a reader learns when some merchant''s rows of the view changed (docs/security.md).';
REVOKE EXECUTE ON FUNCTION ops.view_epochs(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.view_epochs(text[]) TO erp_reader, erp_writer;
