namespace Erp.Db.Migrations.Engine;

/// <summary>
/// The SQL that reads and writes <c>ops.schema_journal</c> (created by migration 0001; the columns
/// <c>erpdb_version</c>, <c>statements_applied</c> and <c>variables</c> are added by the runner itself, see <see cref="EnsureColumns"/>).
/// </summary>
internal static class JournalSql
{
    /// <summary>
    /// The newest journal row per script, with every checksum the script was ever completely
    /// applied with; empty until migration 0001 has created the table. The runner's own columns
    /// are read through <c>to_jsonb</c>, so a journal written by an older erpdb reads as well.
    /// Read from the table, which only the migrating login may read.
    /// </summary>
    public const string Latest = $"WITH j AS MATERIALIZED (SELECT * FROM ops.schema_journal)\n{LatestOfRows}";

    /// <summary>
    /// <see cref="Latest"/> read through <c>ops.schema_journal_rows()</c> (a function script), which readers and writers may call
    /// (<see cref="MigrationRunner.StatusForAnyLoginAsync"/>).
    /// </summary>
    public const string LatestForAnyLogin = $"WITH j AS MATERIALIZED (SELECT * FROM ops.schema_journal_rows())\n{LatestOfRows}";

    /// <summary>The newest row per script of the journal's rows <c>j</c>, with every checksum the script was ever completely applied with.</summary>
    private const string LatestOfRows = """
        SELECT l.*, coalesce(h.hashes, '{}'::text[]) AS AppliedHashes
          FROM (SELECT DISTINCT ON (script_name)
                       script_name AS Name, sha256 AS Sha256, applied_at AS AppliedAt, duration_ms AS DurationMs,
                       to_jsonb(j) ->> 'erpdb_version' AS ErpdbVersion,
                       (to_jsonb(j) ->> 'statements_applied')::integer AS StatementsApplied,
                       to_jsonb(j) ->> 'variables' AS Variables,
                       to_jsonb(j) ->> 'definition_md5' AS DefinitionMd5
                  FROM j
                 ORDER BY script_name, journal_id DESC) AS l
          LEFT JOIN (SELECT c.script_name, array_agg(DISTINCT c.sha256) AS hashes
                       FROM j AS c
                      WHERE to_jsonb(c) ->> 'statements_applied' IS NULL
                      GROUP BY c.script_name) AS h ON h.script_name = l.Name
        """;

    public const string Exists = "SELECT to_regclass('ops.schema_journal') IS NOT NULL";

    /// <summary>True when an object that a view script makes exists (<c>@names</c>: the view scripts' names); migrate then rebuilds only what depends on what changes.</summary>
    public const string ViewsExist = """
        SELECT EXISTS (SELECT 1 FROM unnest(@names::text[]) AS v(name) WHERE pg_catalog.to_regclass(v.name) IS NOT NULL)
        """;

    /// <summary>
    /// Adds the runner's own journal columns when they are missing (a journal written by an older
    /// erpdb): which erpdb applied a script (refusing downgrades of repeatable scripts), how
    /// many statements of a failed no-transaction script were applied (resuming it), and the
    /// values of the variables the script used (re-running a repeatable script when one changes).
    /// Checked first (the newest column) so an up-to-date journal is never locked by ALTER TABLE.
    /// </summary>
    public const string EnsureColumns = """
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
                           WHERE attrelid = 'ops.schema_journal'::regclass AND attname = 'definition_md5' AND NOT attisdropped) THEN
                ALTER TABLE ops.schema_journal
                    ADD COLUMN IF NOT EXISTS erpdb_version text,
                    ADD COLUMN IF NOT EXISTS statements_applied integer CHECK (statements_applied > 0),
                    ADD COLUMN IF NOT EXISTS variables jsonb,
                    ADD COLUMN IF NOT EXISTS definition_md5 text;
                COMMENT ON COLUMN ops.schema_journal.definition_md5 IS 'For a function script: MD5 of pg_get_functiondef of the functions named by the file (<schema>.<name>), recorded after the run that applied it; status shows the script changed when the database''s functions no longer match (replaced or dropped by hand), and migrate applies it again. NULL: not recorded yet.';
                COMMENT ON COLUMN ops.schema_journal.erpdb_version IS 'Informational version of the erpdb (Erp.Db) that applied the script; an older erpdb refuses to re-apply a repeatable script a newer one applied.';
                COMMENT ON COLUMN ops.schema_journal.statements_applied IS 'Set when a no-transaction script failed: its first N statements were applied and committed, and sha256 is the checksum of those N statements; migrate resumes at statement N + 1. NULL: the whole script was applied.';
                COMMENT ON COLUMN ops.schema_journal.variables IS 'The migrate variables ($name$) the script used and their values when it was applied, e.g. {"default_refresh_interval": "5 minutes"}; a function or view runs again when one is configured otherwise. NULL: it used none, or was applied before erpdb recorded them (then taken as the defaults).';
            END IF;
        END
        $$
        """;

    /// <summary>
    /// MD5 of the definitions (<c>pg_get_functiondef</c>) of the functions and procedures a function script names
    /// (<c>functions/&lt;schema&gt;.&lt;name&gt;.sql</c>), every overload; NULL when there are none. <paramref name="scriptName"/> is an SQL
    /// expression. Argument types print qualified only outside the search path, so it is read with <c>search_path = pg_catalog</c>.
    /// </summary>
    private static string DefinitionOf(string scriptName) => $"""
        (SELECT pg_catalog.md5(pg_catalog.string_agg(pg_catalog.pg_get_functiondef(p.oid), E'\n' ORDER BY p.oid::pg_catalog.regprocedure::text))
           FROM pg_catalog.pg_proc AS p JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
          WHERE n.nspname = pg_catalog.split_part(pg_catalog.substr({scriptName}, 11), '.', 1)
            AND p.proname = pg_catalog.split_part(pg_catalog.substr({scriptName}, 11), '.', 2)
            AND p.prokind IN ('f', 'p', 'w'))
        """;

    /// <summary>
    /// Run after every migrate (and at the end of <c>erpdb script</c>): records the definitions of the functions each function script made,
    /// in its newest journal row where none is recorded yet (the scripts this run applied, and those applied before erpdb recorded them).
    /// </summary>
    public static readonly string RecordDefinitions = $$"""
        DO $$
        BEGIN
            PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
            UPDATE ops.schema_journal AS j SET definition_md5 = {{DefinitionOf("j.script_name")}}
             WHERE j.script_kind = 'function' AND j.definition_md5 IS NULL AND j.statements_applied IS NULL
               AND j.journal_id = (SELECT max(h.journal_id) FROM ops.schema_journal AS h WHERE h.script_name = j.script_name);
        END
        $$
        """;

    /// <summary>The definitions the database holds now, per function script (<c>@names</c>); run with <c>search_path = pg_catalog</c>.</summary>
    public static readonly string CurrentDefinitions = $"""
        SELECT s.name AS Name, {DefinitionOf("s.name")} AS Md5 FROM pg_catalog.unnest(@names::text[]) AS s(name)
        """;

    public const string Insert = """
        INSERT INTO ops.schema_journal (script_name, script_kind, sha256, duration_ms, erpdb_version, statements_applied, variables)
        VALUES (@name, @kind, @sha256, @duration_ms, @erpdb_version, @statements_applied, @variables::jsonb)
        """;

    /// <summary>
    /// How far a no-transaction script got: moves the script's newest row forward when that row is already such a
    /// progress row, else adds one. One progress row per run, however many statements the script has.
    /// </summary>
    public const string Progress = """
        WITH moved AS (
            UPDATE ops.schema_journal AS j SET sha256 = @sha256, statements_applied = @statements_applied, erpdb_version = @erpdb_version
            WHERE j.journal_id = (SELECT max(h.journal_id) FROM ops.schema_journal AS h WHERE h.script_name = @name)
              AND j.statements_applied IS NOT NULL
            RETURNING 1)
        INSERT INTO ops.schema_journal (script_name, script_kind, sha256, duration_ms, erpdb_version, statements_applied)
        SELECT @name, @kind, @sha256, @duration_ms, @erpdb_version, @statements_applied
        WHERE NOT EXISTS (SELECT 1 FROM moved)
        """;

    /// <summary>
    /// Run before each script that runs as erp_owner. First it clears what an earlier script of the
    /// session set (<c>search_path</c> from pg_dump output, a role, any other setting): every
    /// script of a migrate shares the one session that holds the lock. Then, inside a transaction,
    /// it acts as erp_owner once migration 0002 has made the login a member and given erp_owner this
    /// database, so erp_owner owns every object whoever migrates. Roles are cluster-wide, so the role
    /// alone may exist before this database has it. Outside a transaction (no-transaction scripts)
    /// the role switch has no effect and the script runs as the login.
    /// A copy of a migrated database (<c>CREATE DATABASE ... TEMPLATE</c>, or a pg_dump restored
    /// without <c>--create</c>) has its schemas but not the database privileges migration 0002 granted:
    /// a database owned by erp_owner's schema <c>ops</c> is one migrate made, so the privileges are
    /// granted again where the login may (superuser or the database's owner), and the role switch
    /// happens either way; without it every object the script made would be owned by the login and
    /// erp_owner's functions would be denied them.
    /// It also records the snapshot before the script (<c>erpdb.script_snapshot</c>, transaction-local):
    /// <c>ops.register_view</c> clears only the dirty marks that snapshot saw, so a write committed
    /// while a view file builds its view keeps the view dirty.
    /// </summary>
    public const string RunAsOwner = """
        DO $$
        BEGIN
            EXECUTE 'RESET ALL';
            PERFORM pg_catalog.set_config('role', 'none', false);
            PERFORM pg_catalog.set_config('erpdb.script_snapshot', pg_catalog.pg_current_snapshot()::text, true);

        """ + RegrantToCopyBlock + """

            IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'erp_owner')
               AND pg_catalog.pg_has_role(session_user, 'erp_owner', 'MEMBER')
               AND (pg_catalog.has_database_privilege('erp_owner', pg_catalog.current_database(), 'CREATE')
                    OR EXISTS (SELECT 1 FROM pg_catalog.pg_namespace AS n JOIN pg_catalog.pg_roles AS r ON r.oid = n.nspowner
                                WHERE n.nspname = 'ops' AND r.rolname = 'erp_owner')) THEN
                PERFORM pg_catalog.set_config('role', 'erp_owner', true);
            END IF;
        END
        $$
        """;

    /// <summary>
    /// Run once by every migrate, before it plans, so a copy gets its database privileges back even when no script is pending (a
    /// restored backup that is up to date): the part of <see cref="RunAsOwner"/> that grants them.
    /// </summary>
    public const string RegrantToCopy = """
        DO $$
        BEGIN

        """ + RegrantToCopyBlock + """

        END
        $$
        """;

    /// <summary>The statement of <see cref="RunAsOwner"/> and <see cref="RegrantToCopy"/> that grants a copy's database privileges.</summary>
    private const string RegrantToCopyBlock = """
            IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'erp_owner')
               AND NOT pg_catalog.has_database_privilege('erp_owner', pg_catalog.current_database(), 'CREATE')
               AND EXISTS (SELECT 1 FROM pg_catalog.pg_namespace AS n JOIN pg_catalog.pg_roles AS r ON r.oid = n.nspowner
                            WHERE n.nspname = 'ops' AND r.rolname = 'erp_owner')
               AND EXISTS (SELECT 1 FROM pg_catalog.pg_database AS d WHERE d.datname = pg_catalog.current_database()
                            AND pg_catalog.pg_has_role(session_user, d.datdba, 'MEMBER')) THEN
                EXECUTE pg_catalog.format('GRANT CREATE, CONNECT, TEMPORARY ON DATABASE %I TO erp_owner', pg_catalog.current_database());
                EXECUTE pg_catalog.format('GRANT CONNECT ON DATABASE %I TO erp_writer, erp_reader', pg_catalog.current_database());
                EXECUTE pg_catalog.format('GRANT TEMPORARY ON DATABASE %I TO erp_writer', pg_catalog.current_database());
            END IF;
        """;

    /// <summary>Run before each script marked <c>-- erpdb:run-as-login</c>: clears the session's settings, as <see cref="RunAsOwner"/> does, and acts as the login.</summary>
    public const string RunAsLogin = """
        DO $$
        BEGIN
            EXECUTE 'RESET ALL';
            PERFORM pg_catalog.set_config('role', 'none', false);
        END
        $$
        """;

    /// <summary>What runs before a script: <see cref="RunAsLogin"/> or <see cref="RunAsOwner"/>.</summary>
    public static string BeforeScript(bool runsAsLogin) => runsAsLogin ? RunAsLogin : RunAsOwner;

    public static string KindName(ScriptKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The journal insert with literal values, for the reviewable SQL that <c>erpdb script</c> prints.</summary>
    public static string InsertLiteral(MigrationScript script, IReadOnlyDictionary<string, string> variables) =>
        $"INSERT INTO ops.schema_journal (script_name, script_kind, sha256, duration_ms, erpdb_version, variables)\nVALUES ('{Literal(script.Name)}', '{KindName(script.Kind)}', '{script.Sha256}', 0, '{Literal(ToolVersion.Current)}', "
        + (ScriptStatements.UsedJson(script.Contents, variables) is { } used ? $"'{Literal(used)}'" : "NULL") + ");";

    private static string Literal(string value) => value.Replace("'", "''", StringComparison.Ordinal);
}
