namespace Erp.Db.Migrations.Engine;

/// <summary>
/// The SQL that records and compares the indexes, triggers, constraints, policies and row level security flags of the warehouse
/// (<c>ops.schema_objects</c>, migration 0074; docs/doctor.md, ERPDB020). Every statement runs with <c>search_path = pg_catalog</c>,
/// so the definitions name every object with its schema and read the same whoever reads them.
/// </summary>
internal static class SchemaObjectSql
{
    /// <summary>
    /// The objects the catalog holds now, as <c>kind, table_name, name, definition</c>: of the tables and materialized views in
    /// staging, dw, mart and ops, not partitions (their indexes, constraints and triggers follow the parent) nor temporary ones. An
    /// index that backs a constraint is the constraint's; internal triggers (foreign keys) are the constraint's too. A trigger not
    /// enabled as usual (disabled by hand) reads as its <c>CREATE TRIGGER</c> and the <c>ALTER TABLE</c> that disables it. A partitioned
    /// index prints <c>ON ONLY</c>, which would make an index of the parent alone: its definition says <c>ON</c>.
    /// </summary>
    private const string Live = """
        live_all AS (
            WITH tables AS (
                SELECT c.oid, pg_catalog.format('%I.%I', n.nspname, c.relname) AS table_name, n.nspname, c.relkind, c.relrowsecurity, c.relforcerowsecurity
                  FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
                 WHERE n.nspname IN ('staging', 'dw', 'mart', 'ops') AND c.relkind IN ('r', 'p', 'm')
                   AND NOT c.relispartition AND c.relpersistence <> 't')
            SELECT 'index' AS kind, t.table_name, i.relname::text AS name,
                   CASE WHEN i.relkind = 'I' THEN pg_catalog.regexp_replace(pg_catalog.pg_get_indexdef(x.indexrelid), ' ON ONLY ', ' ON ')
                        ELSE pg_catalog.pg_get_indexdef(x.indexrelid) END AS definition
              FROM tables AS t JOIN pg_catalog.pg_index AS x ON x.indrelid = t.oid JOIN pg_catalog.pg_class AS i ON i.oid = x.indexrelid
             WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint AS k
                                WHERE k.conrelid = t.oid AND k.conindid = x.indexrelid AND k.contype IN ('p', 'u', 'x'))
            UNION ALL
            SELECT 'trigger', t.table_name, g.tgname::text,
                   pg_catalog.pg_get_triggerdef(g.oid)
                   || CASE g.tgenabled WHEN 'O' THEN ''
                           ELSE pg_catalog.format('; ALTER TABLE %s %s TRIGGER %I', t.table_name,
                                                  CASE g.tgenabled WHEN 'D' THEN 'DISABLE' WHEN 'R' THEN 'ENABLE REPLICA' ELSE 'ENABLE ALWAYS' END, g.tgname) END
              FROM tables AS t JOIN pg_catalog.pg_trigger AS g ON g.tgrelid = t.oid
             WHERE NOT g.tgisinternal
            UNION ALL
            SELECT 'constraint', t.table_name, k.conname::text,
                   pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I %s', t.table_name, k.conname, pg_catalog.pg_get_constraintdef(k.oid))
              FROM tables AS t JOIN pg_catalog.pg_constraint AS k ON k.conrelid = t.oid
             WHERE k.contype IN ('c', 'f', 'p', 'u', 'x')
            UNION ALL
            SELECT 'policy', t.table_name, p.polname::text,
                   pg_catalog.format('CREATE POLICY %I ON %s AS %s FOR %s TO %s', p.polname, t.table_name,
                                     CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END,
                                     CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                                     (SELECT pg_catalog.string_agg(CASE WHEN r.oid = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(a.rolname) END, ', ' ORDER BY 1)
                                        FROM pg_catalog.unnest(p.polroles) AS r(oid) LEFT JOIN pg_catalog.pg_roles AS a ON a.oid = r.oid))
                   || COALESCE(' USING (' || pg_catalog.pg_get_expr(p.polqual, p.polrelid) || ')', '')
                   || COALESCE(' WITH CHECK (' || pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) || ')', '')
              FROM tables AS t JOIN pg_catalog.pg_policy AS p ON p.polrelid = t.oid
            UNION ALL
            SELECT 'row level security', t.table_name, t.table_name,
                   pg_catalog.format('ALTER TABLE %s %s ROW LEVEL SECURITY; ALTER TABLE %s %s ROW LEVEL SECURITY', t.table_name,
                                     CASE WHEN t.relrowsecurity THEN 'ENABLE' ELSE 'DISABLE' END, t.table_name,
                                     CASE WHEN t.relforcerowsecurity THEN 'FORCE' ELSE 'NO FORCE' END)
              FROM tables AS t
             WHERE t.relrowsecurity OR t.relforcerowsecurity
            UNION ALL
            SELECT 'not null', t.table_name, a.attname::text,
                   pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET NOT NULL', t.table_name, a.attname)
              FROM tables AS t JOIN pg_catalog.pg_attribute AS a ON a.attrelid = t.oid
             WHERE t.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND a.attnotnull
            UNION ALL
            SELECT 'default', t.table_name, a.attname::text,
                   pg_catalog.format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', t.table_name, a.attname, pg_catalog.pg_get_expr(d.adbin, d.adrelid))
              FROM tables AS t JOIN pg_catalog.pg_attribute AS a ON a.attrelid = t.oid
              JOIN pg_catalog.pg_attrdef AS d ON (d.adrelid, d.adnum) = (a.attrelid, a.attnum)
             WHERE t.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
            UNION ALL
            SELECT 'privilege', g.on_name, pg_catalog.format('%s to %s', g.privilege_type, g.grantee_name),
                   pg_catalog.format('GRANT %s ON %s %s TO %s', g.privilege_type, g.on_kind, g.on_name, g.grantee_name)
                   || CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END
              FROM (SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) AS on_name, 'TABLE' AS on_kind, c.relowner AS owner,
                           COALESCE(c.relacl, pg_catalog.acldefault('r', c.relowner)) AS acl
                      FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
                     WHERE n.nspname IN ('staging', 'dw', 'mart', 'ops') AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relpersistence <> 't'
                    UNION ALL
                    SELECT p.oid::pg_catalog.regprocedure::text, 'ROUTINE', p.proowner, COALESCE(p.proacl, pg_catalog.acldefault('f', p.proowner))
                      FROM pg_catalog.pg_proc AS p JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
                     WHERE n.nspname IN ('staging', 'dw', 'mart', 'ops')) AS o
             CROSS JOIN LATERAL (
                    SELECT o.on_name, o.on_kind, x.privilege_type, pg_catalog.bool_or(x.is_grantable) AS is_grantable,
                           CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(r.rolname) END AS grantee_name
                      FROM pg_catalog.aclexplode(o.acl) AS x
                      LEFT JOIN pg_catalog.pg_roles AS r ON r.oid = x.grantee
                     WHERE x.grantee <> o.owner AND (x.grantee = 0 OR r.rolname IN ('erp_owner', 'erp_reader', 'erp_writer'))
                     GROUP BY 1, 2, 3, 5) AS g),
        live AS (SELECT * FROM live_all WHERE kind = ANY(@kinds::text[]))
        """;

    /// <summary>The newest journal row: the snapshot is compared only while it is the one it was recorded after.</summary>
    private const string LastJournalId = "(SELECT COALESCE(pg_catalog.max(j.journal_id), 0) FROM ops.schema_journal AS j)";

    /// <summary>
    /// The kinds the table takes: none before migration 0074, the first five until 0076 (its constraint <c>schema_objects_kind_listed</c>)
    /// adds the columns' NOT NULL and defaults and the privileges. The statements below take them as <c>@kinds</c>.
    /// </summary>
    public const string Kinds = """
        SELECT CASE WHEN pg_catalog.to_regclass('ops.schema_objects') IS NULL THEN ARRAY[]::text[]
                    WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_constraint AS k
                                  WHERE k.conrelid = pg_catalog.to_regclass('ops.schema_objects') AND k.conname = 'schema_objects_kind_listed')
                         THEN ARRAY['index', 'trigger', 'constraint', 'policy', 'row level security', 'not null', 'default', 'privilege']
                    ELSE ARRAY['index', 'trigger', 'constraint', 'policy', 'row level security'] END
        """;

    /// <summary>
    /// The recorded objects now missing or defined otherwise, with the live definition (NULL: missing), and the privileges held now that
    /// were not recorded (<c>Recorded</c> NULL: granted by hand); how serious each is, and the statement that drops the changed object
    /// (revokes the privilege) before its recorded definition runs again. Empty while scripts ran after the snapshot.
    /// </summary>
    public const string Drift = "WITH " + Live + """
        ,
        drift AS (
            SELECT s.object_kind AS kind, s.table_name, s.object_name AS name, s.definition AS recorded, l.definition AS current
              FROM ops.schema_objects AS s
              LEFT JOIN live AS l ON (l.kind, l.table_name, l.name) = (s.object_kind, s.table_name, s.object_name)
             WHERE l.definition IS DISTINCT FROM s.definition
               AND s.journal_id = 
        """ + LastJournalId + """

            UNION ALL
            SELECT l.kind, l.table_name, l.name, NULL, l.definition
              FROM live AS l
             WHERE l.kind = 'privilege'
               AND NOT EXISTS (SELECT 1 FROM ops.schema_objects AS s WHERE (s.object_kind, s.table_name, s.object_name) = (l.kind, l.table_name, l.name))
               AND EXISTS (SELECT 1 FROM ops.schema_objects AS s WHERE s.journal_id = 
        """ + LastJournalId + """
        ))
        SELECT d.kind AS Kind, d.table_name AS TableName, d.name AS Name, d.recorded AS Recorded, d.current AS Current,
               CASE WHEN d.kind IN ('trigger', 'policy', 'row level security', 'not null') THEN 'error'
                    WHEN d.kind = 'privilege' THEN CASE WHEN d.recorded IS NULL OR d.current LIKE '% WITH GRANT OPTION' THEN 'error' ELSE 'warning' END
                    WHEN d.kind = 'index' AND pg_catalog.starts_with(d.recorded, 'CREATE UNIQUE INDEX ') THEN 'error'
                    WHEN d.kind = 'constraint'
                         AND pg_catalog.substr(d.recorded, pg_catalog.length(pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I ', d.table_name, d.name)) + 1)
                             ~ '^(PRIMARY KEY|UNIQUE|EXCLUDE) ' THEN 'error'
                    ELSE 'warning' END AS Severity,
               CASE d.kind
                    WHEN 'index' THEN pg_catalog.format('DROP INDEX %s.%I', pg_catalog.split_part(d.table_name, '.', 1), d.name)
                    WHEN 'trigger' THEN pg_catalog.format('DROP TRIGGER %I ON %s', d.name, d.table_name)
                    WHEN 'constraint' THEN pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', d.table_name, d.name)
                    WHEN 'policy' THEN pg_catalog.format('DROP POLICY %I ON %s', d.name, d.table_name)
                    WHEN 'privilege' THEN pg_catalog.regexp_replace(pg_catalog.regexp_replace(COALESCE(d.current, d.recorded), ' WITH GRANT OPTION$', ''),
                                                                    '^GRANT (.*) TO ([^ ]+)$', 'REVOKE \1 FROM \2')
               END AS DropStatement
          FROM drift AS d
         ORDER BY d.kind, d.table_name, d.name
        """;

    /// <summary>
    /// Forgets the recorded objects but those that drifted by hand before this migrate (<c>@keptKinds, @tables, @names</c>, defined
    /// then as <c>@starts</c>) and are still as they were: a migrate must not take a hand drop for its own.
    /// </summary>
    public const string ForgetAllButKept = "WITH " + Live + """
        ,
        kept AS (
            SELECT d.kind, d.table_name, d.name
              FROM ROWS FROM (pg_catalog.unnest(@keptKinds::text[]), pg_catalog.unnest(@tables::text[]), pg_catalog.unnest(@names::text[]), pg_catalog.unnest(@starts::text[])) AS d(kind, table_name, name, at_start)
              LEFT JOIN live AS l ON (l.kind, l.table_name, l.name) = (d.kind, d.table_name, d.name)
             WHERE l.definition IS NOT DISTINCT FROM d.at_start)
        DELETE FROM ops.schema_objects AS s
         WHERE (s.object_kind, s.table_name, s.object_name) NOT IN (SELECT k.kind, k.table_name, k.name FROM kept AS k)
        """;

    /// <summary>Moves the kept objects after the newest journal row (run before <see cref="RecordLive"/>).</summary>
    public const string MoveKept = "UPDATE ops.schema_objects SET journal_id = " + LastJournalId;

    /// <summary>
    /// Records every live object not kept, after the newest journal row, but the privileges granted by hand before this migrate
    /// (<c>@grantTables, @grantNames</c>, defined then as <c>@grantStarts</c>) that are still as they were: a migrate must not take a
    /// hand grant for its own either.
    /// </summary>
    public const string RecordLive = "WITH " + Live + """

        INSERT INTO ops.schema_objects (object_kind, table_name, object_name, definition, journal_id)
        SELECT l.kind, l.table_name, l.name, l.definition, 
        """ + LastJournalId + """

          FROM live AS l
         WHERE (l.kind, l.table_name, l.name, l.definition) NOT IN (
                SELECT 'privilege', g.table_name, g.name, g.at_start
                  FROM ROWS FROM (pg_catalog.unnest(@grantTables::text[]), pg_catalog.unnest(@grantNames::text[]), pg_catalog.unnest(@grantStarts::text[])) AS g(table_name, name, at_start))
        ON CONFLICT ON CONSTRAINT schema_objects_pkey DO NOTHING
        """;
}
