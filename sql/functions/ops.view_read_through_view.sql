-- ops.view_read_through_view: whether the session's login may SELECT some other view that reads
-- the relation (a reader view over a materialized view or an aggregate table).
-- ops.view_epochs' last resort when neither the view nor its reader view by name is granted: a
-- catalog lookup (pg_depend, pg_rewrite) kept out of that function's statement so that it is
-- planned only when it runs. Not granted to readers or writers: ops.view_epochs runs it as its owner.
-- Only views of the warehouse's owners count (erp_owner, its members, superusers): any login may create
-- a view, a temporary one included, over a relation it may not read (PostgreSQL checks the view's
-- SELECT when it is read), and such a view must not reveal the relation's freshness.

CREATE OR REPLACE FUNCTION ops.view_read_through_view(relation regclass)
RETURNS boolean
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT EXISTS (SELECT 1
                   FROM pg_catalog.pg_depend AS d
                   JOIN pg_catalog.pg_rewrite AS w ON w.oid = d.objid
                   JOIN pg_catalog.pg_class AS v ON v.oid = w.ev_class
                   WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass
                     AND d.refclassid = 'pg_catalog.pg_class'::regclass
                     AND d.refobjid = view_read_through_view.relation
                     AND w.ev_class <> view_read_through_view.relation
                     AND pg_catalog.pg_has_role(v.relowner, 'erp_owner', 'MEMBER')
                     AND pg_catalog.has_table_privilege(session_user, w.ev_class, 'SELECT'))
$$;

COMMENT ON FUNCTION ops.view_read_through_view(regclass) IS
    'Whether the session''s login may SELECT another view, of the warehouse''s owners, that reads the relation (ops.view_epochs'' last privilege test).';
REVOKE EXECUTE ON FUNCTION ops.view_read_through_view(regclass) FROM PUBLIC;
