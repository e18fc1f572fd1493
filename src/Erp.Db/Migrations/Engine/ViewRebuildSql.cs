namespace Erp.Db.Migrations.Engine;

/// <summary>
/// The catalog queries of a view rebuild (docs/view-rebuilds.md). Names go in as parameters and
/// DDL comes back built by <c>format('%I')</c>: no name is concatenated into SQL in C#.
/// </summary>
internal static class ViewRebuildSql
{
    /// <summary>
    /// The given relations that exist, and the relations their rewrite rules read (a reader view
    /// named by an error leads to the materialized view it reads), as <c>schema.name</c>.
    /// </summary>
    public const string NamedAndRead = """
        SELECT pg_catalog.format('%I.%I', n.nspname, c.relname)
          FROM unnest(@names::text[]) AS x(name)
          JOIN pg_catalog.pg_class AS named ON named.oid = pg_catalog.to_regclass(x.name)
          CROSS JOIN LATERAL (
                SELECT named.oid
                UNION
                SELECT d.refobjid
                  FROM pg_catalog.pg_rewrite AS r
                  JOIN pg_catalog.pg_depend AS d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
                                               AND d.refclassid = 'pg_catalog.pg_class'::regclass
                 WHERE r.ev_class = named.oid) AS rel(oid)
          JOIN pg_catalog.pg_class AS c ON c.oid = rel.oid
          JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
        """;

    /// <summary>The incremental aggregates (<c>ops.mv_registry.compute_function</c>) computed by the given functions (<c>schema.name</c>).</summary>
    public const string AggregatesComputedBy = """
        SELECT r.view_name
          FROM ops.mv_registry AS r
          JOIN pg_catalog.pg_proc AS p ON p.oid = pg_catalog.to_regprocedure(r.compute_function)
          JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
         WHERE pg_catalog.format('%I.%I', n.nspname, p.proname) = ANY (@functions::text[])
        """;

    /// <summary>
    /// <c>deps(oid)</c>: the relations named in <c>@names</c> and every relation whose rewrite rule (a view's query) reads one of them,
    /// directly or not. The head of a query, to be followed by its SELECT from <c>deps</c>.
    /// </summary>
    public const string DependentsCte = """
        WITH RECURSIVE deps(oid) AS (
            SELECT c.oid
              FROM unnest(@names::text[]) AS x(name)
              JOIN pg_catalog.pg_class AS c ON c.oid = pg_catalog.to_regclass(x.name)
            UNION
            SELECT r.ev_class
              FROM deps
              JOIN pg_catalog.pg_depend AS d ON d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = deps.oid
                                           AND d.classid = 'pg_catalog.pg_rewrite'::regclass
              JOIN pg_catalog.pg_rewrite AS r ON r.oid = d.objid
        )
        """;

    /// <summary>The given relations and every relation whose rewrite rule reads one of them, directly or not, as <c>schema.name</c>.</summary>
    public const string WithDependents = DependentsCte + """

        SELECT pg_catalog.format('%I.%I', n.nspname, c.relname)
          FROM deps
          JOIN pg_catalog.pg_class AS c ON c.oid = deps.oid
          JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
        """;

    /// <summary>The DROP of each given relation that exists, in the order given, matching its kind; CASCADE takes its reader view.</summary>
    public const string DropStatements = """
        SELECT pg_catalog.format('DROP %s IF EXISTS %I.%I CASCADE',
                                 CASE c.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END,
                                 n.nspname, c.relname)
          FROM unnest(@names::text[]) WITH ORDINALITY AS x(name, ord)
          JOIN pg_catalog.pg_class AS c ON c.oid = pg_catalog.to_regclass(x.name)
          JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
         ORDER BY x.ord
        """;

    /// <summary>The renames that give a view built beside (<c>@temporary</c>) its real name, and each of its indexes the name without <c>@suffix</c>.</summary>
    public const string RenameStatements = """
        SELECT pg_catalog.format('ALTER INDEX %I.%I RENAME TO %I', n.nspname, i.relname,
                                 left(i.relname, length(i.relname) - length(@suffix)))
          FROM pg_catalog.pg_index AS x
          JOIN pg_catalog.pg_class AS i ON i.oid = x.indexrelid
          JOIN pg_catalog.pg_namespace AS n ON n.oid = i.relnamespace
         WHERE x.indrelid = pg_catalog.to_regclass(@temporary) AND right(i.relname, length(@suffix)) = @suffix
        UNION ALL
        SELECT pg_catalog.format('ALTER %s %I.%I RENAME TO %I',
                                 CASE c.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END,
                                 n.nspname, c.relname, @name)
          FROM pg_catalog.pg_class AS c
          JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
         WHERE c.oid = pg_catalog.to_regclass(@temporary)
        """;

    /// <summary>
    /// The privileges on mart relations held by roles other than PUBLIC, the owner and the
    /// warehouse's own roles: what a DBA granted by hand (a BI role on a reader view), which the
    /// view scripts do not grant again and a rebuild would drop with the old relation.
    /// </summary>
    public const string OwnGrants = """
        SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) AS relation,
               a.grantee::regrole::text AS grantee, a.privilege_type AS privilege, a.is_grantable AS grantable
          FROM pg_catalog.pg_class AS c
          JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
         CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) AS a
         WHERE n.nspname = 'mart' AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
           AND a.grantee <> 0 AND a.grantee <> c.relowner
           AND a.grantee NOT IN (SELECT r.oid FROM pg_catalog.pg_roles AS r WHERE r.rolname IN ('erp_owner', 'erp_writer', 'erp_reader'))
        """;

    /// <summary>The GRANTs that give back the privileges <see cref="OwnGrants"/> read, on the relations that still exist and lack them.</summary>
    public const string RestoreGrants = """
        WITH x(relation, grantee, privilege, grantable) AS (
            SELECT * FROM unnest(@relations::text[], @grantees::text[], @privileges::text[], @grantables::boolean[]))
        """ + RestoreGrantsBody;

    /// <summary>
    /// <c>erpdb script</c>'s way (one psql transaction, no client between): <see cref="OwnGrants"/>
    /// saved in a temporary table before every mart view is dropped, and granted again at the end.
    /// </summary>
    public const string SaveGrantsInScript = "CREATE TEMPORARY TABLE erpdb_own_grants ON COMMIT DROP AS " + OwnGrants + ";";

    /// <summary>The end of <see cref="SaveGrantsInScript"/>: runs the GRANTs of <see cref="RestoreGrants"/> from the temporary table.</summary>
    public const string RestoreGrantsInScript = """
        DO $erpdb_grants$
        DECLARE
            grant_statement text;
        BEGIN
            FOR grant_statement IN
                WITH x AS (SELECT * FROM pg_temp.erpdb_own_grants)
        """ + RestoreGrantsBody + """

            LOOP
                EXECUTE grant_statement;
            END LOOP;
        END
        $erpdb_grants$;
        """;

    private const string RestoreGrantsBody = """

        SELECT pg_catalog.format('GRANT %s ON %s TO %s%s', x.privilege, x.relation, x.grantee,
                                 CASE WHEN x.grantable THEN ' WITH GRANT OPTION' ELSE '' END)
          FROM x
          JOIN pg_catalog.pg_class AS c ON c.oid = pg_catalog.to_regclass(x.relation)
         WHERE pg_catalog.to_regrole(x.grantee) IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.aclexplode(c.relacl) AS a
                            WHERE a.grantee = pg_catalog.to_regrole(x.grantee) AND a.privilege_type = x.privilege)
        """;

    /// <summary>Hands the failing statement to <see cref="Probe"/>.</summary>
    public const string SetProbeStatement = "SELECT pg_catalog.set_config('erpdb.probe_statement', @statement, true)";

    /// <summary>
    /// Runs the failing statement again (under a savepoint the caller rolls back) and raises
    /// PostgreSQL's error detail, the list of dependent objects, as the message (P0001): a client
    /// sees the detail only with Include Error Detail, the message always. Raises an empty message
    /// when the statement fails otherwise or succeeds on its own.
    /// </summary>
    public const string Probe = """
        DO $probe$
        DECLARE
            detail text;
        BEGIN
            EXECUTE pg_catalog.current_setting('erpdb.probe_statement');
            RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = '';
        EXCEPTION WHEN dependent_objects_still_exist OR feature_not_supported THEN
            GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
            RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = coalesce(detail, '');
        END
        $probe$
        """;

    /// <summary>True when the relation exists.</summary>
    public const string Exists = "SELECT pg_catalog.to_regclass(@name) IS NOT NULL";

    /// <summary>A snapshot taken before any view is built: the dirty marks it saw are the ones the rebuilt views cover.</summary>
    public const string Snapshot = "SELECT pg_catalog.pg_current_snapshot()::text";

    /// <summary>Sets the snapshot <c>ops.register_view</c> clears dirty marks by; prefixed to each swapped view's tail (after the runner's reset).</summary>
    public static string SetSnapshot(string snapshot) =>
        $"SELECT pg_catalog.set_config('erpdb.script_snapshot', '{snapshot.Replace("'", "''", StringComparison.Ordinal)}', true);";
}
