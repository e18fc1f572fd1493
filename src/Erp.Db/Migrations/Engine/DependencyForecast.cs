using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace Erp.Db.Migrations.Engine;

/// <summary>
/// What <c>status</c> and <c>migrate --dry-run</c> say pending migrations will make migrate
/// rebuild: the views that read a column those migrations drop or retype, or a table they drop,
/// found from the statements' plain shapes (<c>ALTER TABLE t DROP COLUMN c</c>, <c>ALTER COLUMN c
/// TYPE</c>, <c>DROP TABLE t</c>) and <c>pg_depend</c>. A forecast only: migrate itself finds the
/// views from PostgreSQL's dependency errors as it runs (docs/view-rebuilds.md).
/// </summary>
internal static partial class DependencyForecast
{
    private const string ViewsReading = """
        SELECT DISTINCT pg_catalog.format('%I.%I', vn.nspname, v.relname) AS View, x.what AS What
          FROM unnest(@tables::text[], @columns::text[], @what::text[]) AS x(tbl, col, what)
          JOIN pg_catalog.pg_class AS t ON t.oid = pg_catalog.to_regclass(x.tbl)
          JOIN pg_catalog.pg_depend AS d ON d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = t.oid
                                       AND d.classid = 'pg_catalog.pg_rewrite'::regclass
          JOIN pg_catalog.pg_rewrite AS r ON r.oid = d.objid
          JOIN pg_catalog.pg_class AS v ON v.oid = r.ev_class AND v.oid <> t.oid
          JOIN pg_catalog.pg_namespace AS vn ON vn.oid = v.relnamespace
         WHERE x.col IS NULL
            OR d.refobjsubid = (SELECT a.attnum FROM pg_catalog.pg_attribute AS a
                                 WHERE a.attrelid = t.oid AND a.attname = x.col AND NOT a.attisdropped)
        UNION
        -- An incremental aggregate reads through its compute function, which returns the table's rows.
        SELECT pg_catalog.format('%I.%I', vn.nspname, v.relname), x.what
          FROM unnest(@tables::text[], @columns::text[], @what::text[]) AS x(tbl, col, what)
          JOIN pg_catalog.pg_class AS t ON t.oid = pg_catalog.to_regclass(x.tbl)
          JOIN pg_catalog.pg_depend AS d ON d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = t.oid
                                       AND d.classid = 'pg_catalog.pg_proc'::regclass
          JOIN pg_catalog.pg_proc AS p ON p.oid = d.objid
          JOIN pg_catalog.pg_class AS v ON v.reltype = p.prorettype AND v.relkind = 'r' AND v.oid <> t.oid
          JOIN pg_catalog.pg_namespace AS vn ON vn.oid = v.relnamespace AND vn.nspname = 'mart'
         WHERE x.col IS NULL
            OR d.refobjsubid = (SELECT a.attnum FROM pg_catalog.pg_attribute AS a
                                 WHERE a.attrelid = t.oid AND a.attname = x.col AND NOT a.attisdropped)
        """;

    /// <summary>View name to why a pending migration will make migrate rebuild it.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ForecastAsync(NpgsqlConnection connection,
        IEnumerable<MigrationScript> pendingMigrations, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
    {
        var targets = new List<(string Table, string? Column, string What)>();
        foreach (var script in pendingMigrations)
        {
            foreach (var statement in ScriptStatements.Split(script, variables))
            {
                targets.AddRange(Targets(statement.Text).Select(t => (t.Table, t.Column, $"{t.What} by {script.Name}")));
            }
        }
        var rows = await ViewsReadingAsync(connection, targets, cancellationToken);
        return rows.GroupBy(r => r.View).ToDictionary(g => g.Key, g => "reads " + string.Join("; ", g.Select(r => r.What).Order(StringComparer.Ordinal)));
    }

    /// <summary>
    /// Script name to the plain views no view script makes (<paramref name="scriptMade"/>) that migrate will keep (drop and
    /// re-create as they are, <see cref="KeptViews"/>) because of it: those that read, directly or through other views, what
    /// a pending migration drops or retypes, or a view of <paramref name="rebuilt"/> (script name, view name).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, List<string>>> KeptViewsAsync(NpgsqlConnection connection,
        IEnumerable<MigrationScript> pendingMigrations, IReadOnlyDictionary<string, string> variables,
        IEnumerable<(string Script, string View)> rebuilt, IReadOnlyCollection<string> scriptMade, CancellationToken cancellationToken)
    {
        var targets = pendingMigrations
            .SelectMany(script => ScriptStatements.Split(script, variables).SelectMany(statement => Targets(statement.Text).Select(t => (t.Table, t.Column, script.Name))))
            .ToList();
        var roots = (await ViewsReadingAsync(connection, targets, cancellationToken)).Select(r => (Root: r.View, Script: r.What)).Concat(rebuilt.Select(v => (Root: v.View, v.Script))).ToList();
        if (roots.Count == 0)
        {
            return new Dictionary<string, List<string>>();
        }
        var rows = await connection.QueryAsync<(string Script, string View)>(new CommandDefinition(KeptViewSql.KeptReaders, new
        {
            roots = roots.Select(r => r.Root).ToArray(),
            scripts = roots.Select(r => r.Script).ToArray(),
            scriptMade = scriptMade.ToArray(),
        }, cancellationToken: cancellationToken));
        return rows.GroupBy(r => r.Script).ToDictionary(g => g.Key, g => g.Select(r => r.View).Distinct().Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>The views whose rewrite rules read the given tables (or columns of them), and the incremental aggregates whose compute functions do, each with the target's words.</summary>
    public static async Task<IReadOnlyList<(string View, string What)>> ViewsReadingAsync(NpgsqlConnection connection,
        IReadOnlyCollection<(string Table, string? Column, string What)> targets, CancellationToken cancellationToken)
    {
        if (targets.Count == 0)
        {
            return [];
        }
        var rows = await connection.QueryAsync<(string View, string What)>(new CommandDefinition(ViewsReading, new
        {
            tables = targets.Select(t => t.Table).ToArray(),
            columns = targets.Select(t => t.Column).ToArray(),
            what = targets.Select(t => t.What).ToArray(),
        }, cancellationToken: cancellationToken));
        return [.. rows];
    }

    /// <summary>The tables (and columns) a statement drops or retypes, with what happens to them in words.</summary>
    internal static IEnumerable<(string Table, string? Column, string What)> Targets(string statement)
    {
        var code = Comments().Replace(statement, " ").Trim();
        if (DropTable().Match(code) is { Success: true } drop)
        {
            foreach (var table in drop.Groups["tables"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                yield return (table, null, $"{table}, dropped");
            }
            yield break;
        }
        if (AlterTable().Match(code) is not { Success: true } alter)
        {
            yield break;
        }
        var tableName = alter.Groups["table"].Value;
        foreach (var action in alter.Groups["actions"].Value.Split(','))
        {
            if (DropColumn().Match(action) is { Success: true } column && !NotColumns.Contains(column.Groups["column"].Value.ToLowerInvariant()))
            {
                yield return (tableName, column.Groups["column"].Value.ToLowerInvariant(), $"{tableName}.{column.Groups["column"].Value}, dropped");
            }
            else if (AlterType().Match(action) is { Success: true } type)
            {
                yield return (tableName, type.Groups["column"].Value.ToLowerInvariant(), $"{tableName}.{type.Groups["column"].Value}, retyped");
            }
        }
    }

    private static readonly HashSet<string> NotColumns = ["constraint", "default", "not", "identity", "expression"];

    [GeneratedRegex(@"--[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"^DROP\s+TABLE\s+(IF\s+EXISTS\s+)?(?<tables>[\w."",\s]+?)(\s+(CASCADE|RESTRICT))?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex DropTable();

    [GeneratedRegex(@"^ALTER\s+TABLE\s+(IF\s+EXISTS\s+)?(ONLY\s+)?(?<table>[\w.""]+)\s+(?<actions>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AlterTable();

    [GeneratedRegex(@"^\s*DROP\s+(COLUMN\s+)?(IF\s+EXISTS\s+)?(?<column>\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex DropColumn();

    [GeneratedRegex(@"^\s*ALTER\s+(COLUMN\s+)?(?<column>\w+)\s+(SET\s+DATA\s+)?TYPE\s", RegexOptions.IgnoreCase)]
    private static partial Regex AlterType();
}
