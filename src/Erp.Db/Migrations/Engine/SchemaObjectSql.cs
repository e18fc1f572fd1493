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
        live AS (
            WITH tables AS (
                SELECT c.oid, pg_catalog.format('%I.%I', n.nspname, c.relname) AS table_name, n.nspname, c.relrowsecurity, c.relforcerowsecurity
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
             WHERE t.relrowsecurity OR t.relforcerowsecurity)
        """;

    /// <summary>The newest journal row: the snapshot is compared only while it is the one it was recorded after.</summary>
    private const string LastJournalId = "(SELECT COALESCE(pg_catalog.max(j.journal_id), 0) FROM ops.schema_journal AS j)";

    public const string Exists = "SELECT pg_catalog.to_regclass('ops.schema_objects') IS NOT NULL";

    /// <summary>
    /// The recorded objects now missing or defined otherwise, with the live definition (NULL: missing), how serious it is, and the
    /// statement that drops the changed object before its recorded definition runs again. Empty while scripts ran after the snapshot.
    /// </summary>
    public const string Drift = "WITH " + Live + """

        SELECT s.object_kind AS Kind, s.table_name AS TableName, s.object_name AS Name, s.definition AS Recorded, l.definition AS Current,
               CASE WHEN s.object_kind IN ('trigger', 'policy', 'row level security') THEN 'error'
                    WHEN s.object_kind = 'index' AND pg_catalog.starts_with(s.definition, 'CREATE UNIQUE INDEX ') THEN 'error'
                    WHEN s.object_kind = 'constraint'
                         AND pg_catalog.substr(s.definition, pg_catalog.length(pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I ', s.table_name, s.object_name)) + 1)
                             ~ '^(PRIMARY KEY|UNIQUE|EXCLUDE) ' THEN 'error'
                    ELSE 'warning' END AS Severity,
               CASE s.object_kind
                    WHEN 'index' THEN pg_catalog.format('DROP INDEX %s.%I', pg_catalog.split_part(s.table_name, '.', 1), s.object_name)
                    WHEN 'trigger' THEN pg_catalog.format('DROP TRIGGER %I ON %s', s.object_name, s.table_name)
                    WHEN 'constraint' THEN pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', s.table_name, s.object_name)
                    WHEN 'policy' THEN pg_catalog.format('DROP POLICY %I ON %s', s.object_name, s.table_name)
               END AS DropStatement
          FROM ops.schema_objects AS s
          LEFT JOIN live AS l ON (l.kind, l.table_name, l.name) = (s.object_kind, s.table_name, s.object_name)
         WHERE l.definition IS DISTINCT FROM s.definition
           AND s.journal_id = 
        """ + LastJournalId + """

         ORDER BY s.object_kind, s.table_name, s.object_name
        """;

    /// <summary>
    /// Forgets the recorded objects but those that drifted by hand before this migrate (<c>@kinds, @tables, @names</c>, defined then as
    /// <c>@starts</c>) and are still as they were: a migrate must not take a hand drop for its own.
    /// </summary>
    public const string ForgetAllButKept = "WITH " + Live + """
        ,
        kept AS (
            SELECT d.kind, d.table_name, d.name
              FROM ROWS FROM (pg_catalog.unnest(@kinds::text[]), pg_catalog.unnest(@tables::text[]), pg_catalog.unnest(@names::text[]), pg_catalog.unnest(@starts::text[])) AS d(kind, table_name, name, at_start)
              LEFT JOIN live AS l ON (l.kind, l.table_name, l.name) = (d.kind, d.table_name, d.name)
             WHERE l.definition IS NOT DISTINCT FROM d.at_start)
        DELETE FROM ops.schema_objects AS s
         WHERE (s.object_kind, s.table_name, s.object_name) NOT IN (SELECT k.kind, k.table_name, k.name FROM kept AS k)
        """;

    /// <summary>Moves the kept objects after the newest journal row (run before <see cref="RecordLive"/>).</summary>
    public const string MoveKept = "UPDATE ops.schema_objects SET journal_id = " + LastJournalId;

    /// <summary>Records every live object not kept, after the newest journal row.</summary>
    public const string RecordLive = "WITH " + Live + """

        INSERT INTO ops.schema_objects (object_kind, table_name, object_name, definition, journal_id)
        SELECT l.kind, l.table_name, l.name, l.definition, 
        """ + LastJournalId + """

          FROM live AS l
        ON CONFLICT ON CONSTRAINT schema_objects_pkey DO NOTHING
        """;
}
