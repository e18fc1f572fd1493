namespace Erp.Db.Migrations.Engine;

/// <summary>The SQL that reads and writes <c>ops.schema_journal</c> (created by migration 0001).</summary>
internal static class JournalSql
{
    /// <summary>The newest journal row per script; empty until migration 0001 has created the table.</summary>
    public const string Latest = """
        SELECT DISTINCT ON (script_name)
               script_name AS Name, sha256 AS Sha256, applied_at AS AppliedAt, duration_ms AS DurationMs
          FROM ops.schema_journal
         ORDER BY script_name, journal_id DESC
        """;

    public const string Exists = "SELECT to_regclass('ops.schema_journal') IS NOT NULL";

    /// <summary>True when the mart schema holds a materialized view (pending migrations then rebuild the views).</summary>
    public const string MaterializedViewsExist = """
        SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class AS c
                       JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'mart' AND c.relkind = 'm')
        """;

    public const string Insert = """
        INSERT INTO ops.schema_journal (script_name, script_kind, sha256, duration_ms)
        VALUES (@name, @kind, @sha256, @duration_ms)
        """;

    /// <summary>
    /// Run before each script: inside a transaction, act as erp_owner once migration 0002 has made
    /// the login a member and given erp_owner this database, so erp_owner owns every object whoever
    /// migrates. Roles are cluster-wide, so the role alone may exist before this database has it.
    /// Outside a transaction (no-transaction scripts) it has no effect and the script runs as the login.
    /// It also records the snapshot before the script (<c>erpdb.script_snapshot</c>, transaction-local):
    /// <c>ops.register_view</c> clears only the dirty marks that snapshot saw, so a write committed
    /// while a view file builds its view keeps the view dirty.
    /// </summary>
    public const string RunAsOwner = """
        DO $$
        BEGIN
            PERFORM pg_catalog.set_config('erpdb.script_snapshot', pg_catalog.pg_current_snapshot()::text, true);
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'erp_owner')
               AND pg_catalog.pg_has_role(session_user, 'erp_owner', 'MEMBER')
               AND pg_catalog.has_database_privilege('erp_owner', pg_catalog.current_database(), 'CREATE') THEN
                PERFORM pg_catalog.set_config('role', 'erp_owner', true);
            END IF;
        END
        $$
        """;

    public static string KindName(ScriptKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The journal insert with literal values, for the reviewable SQL that <c>erpdb script</c> prints.</summary>
    public static string InsertLiteral(MigrationScript script) =>
        $"INSERT INTO ops.schema_journal (script_name, script_kind, sha256, duration_ms)\nVALUES ('{script.Name.Replace("'", "''", StringComparison.Ordinal)}', '{KindName(script.Kind)}', '{script.Sha256}', 0);";
}
