-- ops.merchant_isolation_problems: everything that would let a reader scoped to one merchant see
-- another merchant's rows, or write (erpdb verify fails on any row; docs/merchant-isolation.md).
-- requires: ops.current_merchant_id (0010_merchant_isolation), 0014_reader_grants_explicit
-- "Reachable by readers" means granted, table or column privilege alike, to a role whose privileges
-- a scoped reader can use: PUBLIC and erp_reader (every reader has both), any role that is a member
-- of erp_reader but of neither erp_owner nor erp_writer (a reader login, or a group of them; owners
-- and writers see every merchant anyway), and every role erp_reader or such a role is a member of,
-- directly or not (it inherits its privileges or may SET ROLE to it). A view granted to a
-- per-merchant group role or to the login itself reads as its owner all the same. Such a reader
-- that bypasses row level security or is a member of pg_read_all_data or pg_write_all_data is
-- reported too. Objects that belong to an extension are the extension's business.
-- A relation readers may SELECT is fine when:
--   table or foreign table: it has no merchant_id column (shared reference data), or row level
--     security is enabled and every policy that applies to readers calls ops.current_merchant_id()
--     (the dw tables, and the incremental aggregates in mart: ops.enable_reader_scope);
--   view: it is security_invoker (the tables' row level security applies to the caller; what it
--     reads is checked on its own: a materialized view or a table without row level security under
--     it is reported there, since the caller needs SELECT on it), or it is a reader view over a
--     materialized view: security_barrier and its definition calls ops.current_merchant_id();
--   materialized view: never (row level security does not apply to it; grant a reader view).
-- A function readers may execute in a non-system schema is fine when it runs with the caller's
-- rights and returns a scalar; else only when listed in allowed_functions below, with the reason.

DROP FUNCTION IF EXISTS ops.merchant_isolation_problems();

CREATE FUNCTION ops.merchant_isolation_problems()
RETURNS TABLE (object_name text, object_kind text, problem text)
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH RECURSIVE
    -- The one list of functions readers may call although they run as their owner or return rows.
    allowed_functions (signature, reason) AS (
        VALUES ('ops.current_merchant_id()', 'returns only the merchant of the caller''s own transaction'),
               ('ops.view_freshness()', 'freshness of the views the caller may read: no row counts, errors or dirty times of other merchants'),
               ('ops.view_freshness(text[])', 'the same for the views named (what each query reads)'),
               ('ops.view_epochs(text[])', 'the same with each view''s refresh epoch, a count of its refreshes that is the same for every merchant (what each query reads)'),
               ('mart.period_buckets(text,date,date)', 'the buckets of a period from its arguments alone: reads no table'),
               ('mart.receivables_as_of(date,text)', 'runs as the caller and reads only the reader views mart.receivables, mart.receipts and mart.receivable_reopenings, which scope it'),
               ('ops.readable_merchants()', 'the merchants the caller may name itself, by the rule of ops.current_merchant_id()'),
               ('ops.schema_journal_rows()', 'the migration journal: which scripts ran, when and by which erpdb; no merchant data')
    ),
    scope_function AS (
        SELECT pg_catalog.to_regprocedure('ops.current_merchant_id()')::oid AS oid
    ),
    -- Roles in erp_reader that are scoped readers (logins, or groups of them): not owners, writers
    -- or superusers. erp_reader itself is one.
    reader_logins AS (
        SELECT r.oid, r.rolname, r.rolbypassrls
        FROM pg_catalog.pg_roles AS r
        WHERE pg_catalog.pg_has_role(r.oid, 'erp_reader', 'MEMBER')
          AND NOT r.rolsuper
          AND NOT pg_catalog.pg_has_role(r.oid, 'erp_owner', 'MEMBER')
          AND NOT pg_catalog.pg_has_role(r.oid, 'erp_writer', 'MEMBER')
    ),
    -- Every role whose privileges a scoped reader can use: PUBLIC (0), the readers and every role
    -- they are members of. through_erp_reader: PUBLIC, erp_reader or a role erp_reader is in, which
    -- every reader has (the problems then name PUBLIC or erp_reader).
    reader_roles (oid, through_erp_reader) AS (
        SELECT 0::oid, true
        UNION
        SELECT l.oid, l.oid = 'erp_reader'::regrole FROM reader_logins AS l
        UNION
        SELECT m.roleid, r.through_erp_reader
        FROM pg_catalog.pg_auth_members AS m
        JOIN reader_roles AS r ON r.oid = m.member
    ),
    -- How the problems name a grantee readers use, and which name comes first when several hold a
    -- privilege: PUBLIC, then erp_reader, then the role itself.
    reader_grantees AS (
        SELECT r.oid,
               CASE WHEN r.oid = 0 THEN 'PUBLIC'
                    WHEN pg_catalog.bool_or(r.through_erp_reader) THEN 'erp_reader'
                    ELSE (SELECT pg_catalog.format('%I', g.rolname) FROM pg_catalog.pg_roles AS g WHERE g.oid = r.oid) END AS label,
               CASE WHEN r.oid = 0 THEN 0 WHEN pg_catalog.bool_or(r.through_erp_reader) THEN 1 ELSE 2 END AS rank
        FROM reader_roles AS r
        GROUP BY r.oid
    ),
    schemas AS (
        SELECT n.oid, n.nspname
        FROM pg_catalog.pg_namespace AS n
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
    ),
    -- The privileges readers hold on relations (table or column privilege), functions and schemas, from
    -- the ACLs (the owner's implicit ones included), each with the first name of a reader grantee
    -- holding it. classid says which catalog the object is in.
    reader_privileges AS (
        SELECT p.classid, p.oid, p.privilege_type, (pg_catalog.array_agg(g.label ORDER BY g.rank, g.label))[1] AS grantee
        FROM (SELECT 'pg_catalog.pg_class'::regclass AS classid, c.oid, a.privilege_type, a.grantee
              FROM pg_catalog.pg_class AS c
              JOIN schemas AS s ON s.oid = c.relnamespace
              CROSS JOIN LATERAL pg_catalog.aclexplode(coalesce(c.relacl, pg_catalog.acldefault('r', c.relowner))) AS a
              WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
              UNION
              SELECT 'pg_catalog.pg_class'::regclass, c.oid, a.privilege_type, a.grantee
              FROM pg_catalog.pg_class AS c
              JOIN schemas AS s ON s.oid = c.relnamespace
              JOIN pg_catalog.pg_attribute AS t ON t.attrelid = c.oid AND t.attnum > 0 AND NOT t.attisdropped AND t.attacl IS NOT NULL
              CROSS JOIN LATERAL pg_catalog.aclexplode(t.attacl) AS a
              WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
              UNION
              SELECT 'pg_catalog.pg_proc'::regclass, f.oid, a.privilege_type, a.grantee
              FROM pg_catalog.pg_proc AS f
              JOIN schemas AS s ON s.oid = f.pronamespace
              CROSS JOIN LATERAL pg_catalog.aclexplode(coalesce(f.proacl, pg_catalog.acldefault('f', f.proowner))) AS a
              UNION
              SELECT 'pg_catalog.pg_namespace'::regclass, n.oid, a.privilege_type, a.grantee
              FROM pg_catalog.pg_namespace AS n
              JOIN schemas AS s ON s.oid = n.oid
              CROSS JOIN LATERAL pg_catalog.aclexplode(coalesce(n.nspacl, pg_catalog.acldefault('n', n.nspowner))) AS a) AS p
        JOIN reader_grantees AS g ON g.oid = p.grantee
        GROUP BY p.classid, p.oid, p.privilege_type
    ),
    relations AS (
        SELECT c.oid, s.nspname, c.relname, c.relkind, c.relrowsecurity, c.relispartition, c.reloptions,
               pg_catalog.format('%I.%I', s.nspname, c.relname) AS object_name,
               CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                              WHEN 'f' THEN 'foreign table' ELSE 'table' END AS object_kind,
               rp.grantee IS NOT NULL AS reader_selects,
               rp.grantee,
               EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS a
                       WHERE a.attrelid = c.oid AND a.attname = 'merchant_id' AND NOT a.attisdropped) AS has_merchant_id
        FROM pg_catalog.pg_class AS c
        JOIN schemas AS s ON s.oid = c.relnamespace
        LEFT JOIN reader_privileges AS rp
          ON rp.classid = 'pg_catalog.pg_class'::regclass AND rp.oid = c.oid AND rp.privilege_type = 'SELECT'
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend AS d
                          WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
    ),
    problems (object_name, object_kind, problem) AS (
        -- dw tables with merchant_id but without row level security or without the reader policy
        SELECT r.object_name, r.object_kind, 'row level security is not enabled'
        FROM relations AS r
        WHERE r.nspname = 'dw' AND r.relkind IN ('r', 'p') AND r.has_merchant_id AND NOT r.relrowsecurity
        UNION ALL
        SELECT r.object_name, r.object_kind, 'no policy ' || r.relname || '_reader_scope'
        FROM relations AS r
        WHERE r.nspname = 'dw' AND r.relkind IN ('r', 'p') AND NOT r.relispartition AND r.has_merchant_id
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_policy AS p
                          WHERE p.polrelid = r.oid AND p.polname = r.relname || '_reader_scope')
        UNION ALL
        -- any other table with merchant_id that readers may read without row level security
        SELECT r.object_name, r.object_kind, 'readable by ' || r.grantee || ' without row level security'
        FROM relations AS r
        WHERE r.relkind IN ('r', 'p', 'f') AND r.reader_selects AND r.has_merchant_id AND NOT r.relrowsecurity
          AND r.nspname <> 'dw'
        UNION ALL
        -- a policy readers fall under that does not limit them to their merchant
        SELECT r.object_name, r.object_kind, 'policy ' || p.polname || ' applies to readers but does not call ops.current_merchant_id()'
        FROM relations AS r
        JOIN pg_catalog.pg_policy AS p ON p.polrelid = r.oid
        WHERE r.relkind IN ('r', 'p') AND r.reader_selects AND r.has_merchant_id AND r.relrowsecurity
          AND p.polpermissive AND p.polcmd IN ('r', '*')
          AND EXISTS (SELECT 1 FROM pg_catalog.unnest(p.polroles) AS role_oid
                      WHERE role_oid IN (SELECT rr.oid FROM reader_roles AS rr))
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend AS d, scope_function AS f
                          WHERE d.classid = 'pg_catalog.pg_policy'::regclass AND d.objid = p.oid
                            AND d.refclassid = 'pg_catalog.pg_proc'::regclass AND d.refobjid = f.oid)
        UNION ALL
        -- partitions erp_reader or erp_writer could read directly
        SELECT r.object_name, r.object_kind, 'partition is directly readable by ' || role.rolname
        FROM relations AS r
        CROSS JOIN (VALUES ('erp_reader'::name), ('erp_writer'::name)) AS role(rolname)
        WHERE r.nspname = 'dw' AND r.relkind IN ('r', 'p') AND r.relispartition
          AND pg_catalog.has_table_privilege(role.rolname, r.oid, 'SELECT')
        UNION ALL
        -- views readers may read that run with their owner's rights and do not filter by merchant
        SELECT r.object_name, r.object_kind,
               'readable by ' || r.grantee || ' but neither security_invoker nor a security_barrier view filtering by ops.current_merchant_id()'
        FROM relations AS r
        WHERE r.relkind = 'v' AND r.reader_selects
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_options_to_table(r.reloptions) AS o
                          WHERE o.option_name = 'security_invoker' AND lower(o.option_value) IN ('true', 'on', 'yes', '1'))
          AND NOT (EXISTS (SELECT 1 FROM pg_catalog.pg_options_to_table(r.reloptions) AS o
                           WHERE o.option_name = 'security_barrier' AND lower(o.option_value) IN ('true', 'on', 'yes', '1'))
                   AND EXISTS (SELECT 1
                               FROM pg_catalog.pg_rewrite AS w
                               JOIN pg_catalog.pg_depend AS d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = w.oid
                               CROSS JOIN scope_function AS f
                               WHERE w.ev_class = r.oid
                                 AND d.refclassid = 'pg_catalog.pg_proc'::regclass AND d.refobjid = f.oid))
        UNION ALL
        -- materialized views: row level security never applies to them
        SELECT r.object_name, r.object_kind, 'readable by ' || r.grantee || ' (row level security does not apply to materialized views; grant a reader view)'
        FROM relations AS r
        WHERE r.relkind = 'm' AND r.reader_selects
        UNION ALL
        -- readers must not read staging or ops, nor write anywhere
        SELECT r.object_name, r.object_kind, rp.grantee || ' has ' || rp.privilege_type
        FROM relations AS r
        JOIN reader_privileges AS rp ON rp.classid = 'pg_catalog.pg_class'::regclass AND rp.oid = r.oid
        WHERE r.nspname IN ('staging', 'dw', 'ops', 'mart') AND r.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND (rp.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')
               OR (rp.privilege_type = 'SELECT' AND r.nspname IN ('staging', 'ops')))
        UNION ALL
        -- functions readers may execute that run as their owner or return rows
        SELECT pg_catalog.format('%I.%I(%s)', s.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)),
               CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,
               'executable by ' || fx.grantee
                   || CASE WHEN p.prosecdef THEN ' and SECURITY DEFINER' ELSE ' and returns rows' END
                   || ' without an entry in the allowed functions of ops.merchant_isolation_problems()'
        FROM pg_catalog.pg_proc AS p
        JOIN schemas AS s ON s.oid = p.pronamespace
        JOIN reader_privileges AS fx
          ON fx.classid = 'pg_catalog.pg_proc'::regclass AND fx.oid = p.oid AND fx.privilege_type = 'EXECUTE'
        WHERE p.prokind IN ('f', 'p')
          AND p.prorettype NOT IN ('pg_catalog.trigger'::regtype, 'pg_catalog.event_trigger'::regtype)
          AND (p.prosecdef OR p.proretset OR p.prorettype = 'pg_catalog.record'::regtype
               OR EXISTS (SELECT 1 FROM pg_catalog.pg_type AS t WHERE t.oid = p.prorettype AND t.typtype = 'c'))
          AND NOT EXISTS (SELECT 1 FROM allowed_functions AS a WHERE pg_catalog.to_regprocedure(a.signature) = p.oid)
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend AS d
                          WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
        UNION ALL
        -- readers must not create objects (a view or function of theirs could shadow ours)
        SELECT pg_catalog.format('%I', s.nspname), 'schema', sx.grantee || ' may create objects in it'
        FROM schemas AS s
        JOIN reader_privileges AS sx
          ON sx.classid = 'pg_catalog.pg_namespace'::regclass AND sx.oid = s.oid AND sx.privilege_type = 'CREATE'
        UNION ALL
        -- default privileges that would open later relations or functions to readers
        SELECT pg_catalog.format('%I', g.rolname) || CASE WHEN d.defaclnamespace = 0 THEN ''
                                                          ELSE ' in schema ' || pg_catalog.format('%I', n.nspname) END,
               'default privileges',
               'later ' || CASE d.defaclobjtype WHEN 'r' THEN 'tables and views' WHEN 'f' THEN 'functions' END
                   || ' are granted ' || a.privilege_type || ' to ' || rg.label
        FROM pg_catalog.pg_default_acl AS d
        JOIN pg_catalog.pg_roles AS g ON g.oid = d.defaclrole
        LEFT JOIN pg_catalog.pg_namespace AS n ON n.oid = d.defaclnamespace
        CROSS JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) AS a
        JOIN reader_grantees AS rg ON rg.oid = a.grantee
        WHERE d.defaclobjtype IN ('r', 'f')
        UNION ALL
        -- readers that row level security does not hold, or that read or write every table
        SELECT pg_catalog.format('%I', l.rolname), 'role', 'a member of erp_reader that bypasses row level security'
        FROM reader_logins AS l
        WHERE l.rolbypassrls
        UNION ALL
        SELECT pg_catalog.format('%I', l.rolname), 'role', 'a member of erp_reader that is a member of ' || d.rolname
        FROM reader_logins AS l
        CROSS JOIN (VALUES ('pg_read_all_data'::name), ('pg_write_all_data'::name)) AS d (rolname)
        WHERE pg_catalog.pg_has_role(l.oid, d.rolname, 'MEMBER')
    )
    SELECT p.object_name, p.object_kind, p.problem
    FROM problems AS p
    ORDER BY 1, 2, 3
$$;

COMMENT ON FUNCTION ops.merchant_isolation_problems() IS
    'Lists what would let a scoped reader see another merchant''s rows or write: dw tables with merchant_id lacking RLS or the reader policy; readable tables with merchant_id without RLS or under a policy that ignores the scope; readable views neither security_invoker nor security_barrier filtering by ops.current_merchant_id(); readable materialized views; directly readable partitions; reader privileges on staging/ops or write privileges; reader-executable SECURITY DEFINER or row-returning functions not allow-listed; reader CREATE on schemas; default privileges granting to readers; readers bypassing row level security or members of pg_read_all_data/pg_write_all_data. Readers: PUBLIC, erp_reader, its scoped members (neither owner nor writer) and every role they are in. Empty = fine; erpdb verify fails otherwise.';
REVOKE EXECUTE ON FUNCTION ops.merchant_isolation_problems() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.merchant_isolation_problems() TO erp_writer;
