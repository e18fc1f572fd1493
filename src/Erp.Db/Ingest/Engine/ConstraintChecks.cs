using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace Erp.Db.Ingest.Engine;

/// <summary>
/// The target table's CHECK constraints, asked of every row of the batch before the upsert, so that a file breaking them on
/// several rows hears of all of them at once (the upsert stops at the first, and <see cref="FailureLocator"/> can name only that
/// one). Only the constraints whose columns are all filled straight from input fields of the same name
/// (<see cref="TargetColumn.Same"/>) are asked: their expression then reads the temp row's columns as they are, with nothing to
/// rewrite. The others are still enforced by the table and located row by row.
/// </summary>
internal static partial class ConstraintChecks
{
    private const string Catalog = """
        SELECT c.conname AS name, pg_catalog.pg_get_expr(c.conbin, c.conrelid) AS expression,
               string_agg(a.attname::text, ',' ORDER BY a.attnum) AS columnlist
        FROM pg_catalog.pg_constraint AS c
        JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
        WHERE c.conrelid = @table::regclass AND c.contype = 'c'
        GROUP BY c.oid, c.conname, c.conbin, c.conrelid
        ORDER BY c.conname
        """;

    /// <summary>The query of (constraint, row_no, columns, message) of the first @max rows breaking one, or null when no constraint can be asked.</summary>
    public static async Task<string?> BuildAsync<TRow>(NpgsqlConnection connection, NpgsqlTransaction transaction, EntityDefinition<TRow> definition,
        CancellationToken cancellationToken)
    {
        var direct = definition.Columns.Where(c => c.Source == $"t.{c.Name}").Select(c => c.Name)
            .Intersect(definition.Fields.Select(f => f.Name)).ToHashSet();
        var constraints = await connection.QueryAsync<Constraint>(new CommandDefinition(Catalog, new { table = definition.Table }, transaction,
            cancellationToken: cancellationToken));
        var asked = constraints.Where(c => c.Columns.All(direct.Contains)).ToList();
        if (asked.Count == 0)
        {
            return null;
        }
        // One scan of the batch for the rows breaking any (a CHECK passes on NULL: only a false expression breaks it), then
        // each of those rows once per constraint it breaks. Bare column names read the temp row's columns, as the table's would.
        var rows = $"""
            SELECT t.* FROM {IngestPlan<TRow>.TempTable} AS t
            WHERE {string.Join(" OR ", asked.Select(c => $"({c.Expression}) IS FALSE"))}
            ORDER BY t.row_no LIMIT @max
            """;
        var broken = asked.Select(c =>
        {
            var values = string.Join(" || ', ' || ", c.Columns.Select(name => $"'{name} ' || coalesce(t.{name}::text, 'NULL')"));
            return $"({Literal(c.Name)}, {Literal(string.Join(", ", c.Columns))}, "
                + $"CASE WHEN ({c.Expression}) IS FALSE THEN {values} || ' is not allowed: the rule is ' || {Literal(Readable(c.Expression))} END)";
        });
        return $"""
            SELECT x.constraintname, t.row_no AS rowno, x.field, x.message
            FROM ({rows}) AS t
            CROSS JOIN LATERAL (VALUES {string.Join(",\n    ", broken)}) AS x (constraintname, field, message)
            WHERE x.message IS NOT NULL
            ORDER BY t.row_no, x.constraintname
            LIMIT @max
            """;
    }

    /// <summary>The expression as a merchant reads it: no casts, no redundant parentheses ("gmv >= 0", "status IN ('paid', ...)").</summary>
    private static string Readable(string expression)
    {
        var text = Cast().Replace(expression, "");
        text = ParenthesizedLiteral().Replace(text, "$1");
        text = AnyArray().Replace(text, "$1 IN ($2)");
        while (text.StartsWith('(') && text.EndsWith(')') && Balanced(text[1..^1]))
        {
            text = text[1..^1];
        }
        return text;
    }

    private static bool Balanced(string text)
    {
        var depth = 0;
        foreach (var c in text)
        {
            depth += c switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth < 0)
            {
                return false;
            }
        }
        return depth == 0;
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"::[a-z ]+(\[\])?")]
    private static partial Regex Cast();

    [GeneratedRegex(@"\((-?[0-9.]+|'[^']*')\)")]
    private static partial Regex ParenthesizedLiteral();

    [GeneratedRegex(@"(\w+) = ANY \(ARRAY\[(.*?)\]\)")]
    private static partial Regex AnyArray();

    private sealed record Constraint(string Name, string Expression, string ColumnList)
    {
        public string[] Columns => ColumnList.Split(',');
    }

    /// <summary>One row breaking one constraint.</summary>
    public sealed record Failure(string ConstraintName, long RowNo, string Field, string Message);
}
