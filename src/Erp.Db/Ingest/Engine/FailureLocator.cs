using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;

namespace Erp.Db.Ingest.Engine;

/// <summary>
/// Finds the row behind a failed upsert: bisects the prefix 1..k of the batch, each try inside a savepoint that is
/// rolled back (O(log n) statements), until the shortest failing prefix is found; its last row is the culprit.
/// Then names the field from the error's column or constraint.
/// </summary>
internal sealed partial class FailureLocator(NpgsqlConnection connection, NpgsqlTransaction transaction, BatchDays days, CancellationToken cancellationToken)
{
    private const string ProbeSavepoint = "ingest_probe";

    /// <summary>Errors caused by a row's data: cardinality (21), data exceptions (22), integrity constraints (23).</summary>
    public static bool IsRowError(PostgresException e) => e.SqlState.Length == 5 && e.SqlState[..2] is "21" or "22" or "23";

    public async Task<Exception> LocateAsync<TRow>(IngestPlan<TRow> plan, long count, PostgresException error,
        Func<long, CancellationToken, Task<UpsertCounts>> upsertPrefix)
    {
        long good = 0, bad = count;
        var failure = error;
        while (bad - good > 1)
        {
            var middle = good + ((bad - good) / 2);
            await transaction.SaveAsync(ProbeSavepoint, cancellationToken);
            try
            {
                await upsertPrefix(middle, cancellationToken);
                good = middle;
            }
            catch (PostgresException e) when (IsRowError(e))
            {
                bad = middle;
                failure = e;
            }
            await transaction.RollbackAsync(ProbeSavepoint, cancellationToken);
        }
        return await DescribeAsync(plan, bad, failure);
    }

    private async Task<IngestException> DescribeAsync<TRow>(IngestPlan<TRow> plan, long row, PostgresException error)
    {
        if (error.SqlState == PostgresErrorCodes.CardinalityViolation)
        {
            var first = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(plan.Duplicate, new { row }, transaction, cancellationToken: cancellationToken));
            return new IngestException([IngestError.RepeatedKey(row, string.Join(", ", plan.Definition.KeyFields), first)], error);
        }
        if (error.SqlState == PostgresErrorCodes.NotNullViolation && error.ColumnName is { } column)
        {
            var field = string.Join(", ", plan.FieldsOf(column));
            return new IngestException(row, field, null, $"{field} is missing", error);
        }
        if (error.ConstraintName is { } constraint)
        {
            var info = await connection.QueryFirstOrDefaultAsync<ConstraintInfo>(new CommandDefinition("""
                SELECT pg_catalog.pg_get_constraintdef(c.oid) AS definition,
                       (SELECT string_agg(a.attname::text, ' ' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                        JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns
                FROM pg_catalog.pg_constraint AS c
                WHERE c.conname = @constraint
                ORDER BY c.conrelid = @table::regclass DESC
                LIMIT 1
                """, new { constraint, table = plan.Definition.Table }, transaction, cancellationToken: cancellationToken));
            if (info is not null)
            {
                var fields = (info.Columns ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).SelectMany(plan.FieldsOf)
                    .Where(f => plan.Definition.Fields.Any(d => d.Name == f)).Distinct().ToList();
                if (fields.Count > 0)
                {
                    var shown = await WrittenAsync(plan, row, (info.Columns ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    return new IngestException(row, string.Join(", ", fields), constraint, $"{shown} violates {info.Definition}", error);
                }
            }
            return new IngestException(row, null, constraint, error.MessageText, error);
        }
        if (error.SqlState.StartsWith("22", StringComparison.Ordinal) && error.ColumnName is null
            && await CulpritColumnAsync(plan, row) is ({ } culprit, { } type, { } from, { } cause))
        {
            var fields = from.Where(f => plan.Definition.Fields.Any(d => d.Name == f)).Distinct().ToList();
            var values = await ValuesAsync(plan, row, fields);
            var shown = string.Join(", ", fields.Select((f, i) => $"{f} {values[i] ?? "NULL"}"));
            return new IngestException(row, string.Join(", ", fields), null,
                $"{shown} cannot be stored in {culprit}, a {type}{Limit(type)}: {cause.MessageText}", error);
        }
        return new IngestException(row, error.ColumnName, null, error.MessageText, error);
    }

    /// <summary>
    /// The column whose value the row cannot take (a number too large for its precision, text that is not JSON) and the input
    /// fields it comes from, found by converting each written column's value of the row to the column's type, then each generated
    /// column's expression over those values (gmv_cny = gmv x exchange_rate), each try in a rolled-back savepoint; or nulls.
    /// PostgreSQL names no column for such data errors.
    /// </summary>
    private async Task<(string? Column, string? Type, IReadOnlyList<string>? Fields, PostgresException? Cause)> CulpritColumnAsync<TRow>(
        IngestPlan<TRow> plan, long row)
    {
        var table = (await connection.QueryAsync<(string Name, string Type, string? Generated)>(new CommandDefinition("""
            SELECT a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod),
                   CASE WHEN a.attgenerated = 's' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END
            FROM pg_catalog.pg_attribute AS a
            LEFT JOIN pg_catalog.pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = @table::regclass AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """, new { table = plan.Definition.Table }, transaction, cancellationToken: cancellationToken))).ToList();
        var types = table.ToDictionary(c => c.Name, c => c.Type);
        var written = plan.Definition.Columns.Where(c => types.ContainsKey(c.Name)).ToList();
        var from = $"FROM {IngestPlan<TRow>.TempTable} AS t{plan.Definition.Joins} WHERE t.row_no = @row";
        var probes = written.Select(c => (c.Name, Sql: $"SELECT CAST({c.Source} AS {types[c.Name]}) {from}", Fields: (IReadOnlyList<string>)plan.FieldsOf(c.Name)));
        var stored = $"SELECT {string.Join(", ", written.Select(c => $"CAST({c.Source} AS {types[c.Name]}) AS {c.Name}"))} {from}";
        probes = probes.Concat(table.Where(c => c.Generated is not null).Select(g => (g.Name, Sql: $"SELECT CAST(({g.Generated}) AS {g.Type}) FROM ({stored}) AS x",
            Fields: (IReadOnlyList<string>)[.. written.Where(c => Regex.IsMatch(g.Generated!, $@"\b{c.Name}\b")).SelectMany(c => plan.FieldsOf(c.Name))])));
        foreach (var (name, sql, fields) in probes)
        {
            await transaction.SaveAsync(ProbeSavepoint, cancellationToken);
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(sql, days.With(new { row }), transaction, cancellationToken: cancellationToken));
            }
            catch (PostgresException e) when (e.SqlState.StartsWith("22", StringComparison.Ordinal))
            {
                await transaction.RollbackAsync(ProbeSavepoint, cancellationToken);
                return (name, types[name], fields, e);
            }
            catch (PostgresException e) when (e.SqlState.StartsWith("42", StringComparison.Ordinal))
            {
                // A generated column reading a column the ingest does not write: it cannot be asked here.
            }
            await transaction.RollbackAsync(ProbeSavepoint, cancellationToken);
        }
        return (null, null, null, null);
    }

    /// <summary>What a numeric(p,s) column can hold, in words (the server's own detail is redacted from clients by default).</summary>
    private static string Limit(string type) =>
        NumericType().Match(type) is { Success: true } m
            ? $" of at most {int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) - int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)} digits before the decimal point"
            : "";

    [GeneratedRegex(@"^numeric\((\d+),(\d+)\)$")]
    private static partial Regex NumericType();

    /// <summary>
    /// The values row @row leaves in the constraint's columns, each named by its column: as the upsert computes them (a category's
    /// code derived from its path, not the blank the file had) and, in a column the batch leaves out of a row already stored
    /// (<see cref="TargetColumn.InsertOnly"/>), the stored value, which the upsert keeps.
    /// </summary>
    private async Task<string> WrittenAsync<TRow>(IngestPlan<TRow> plan, long row, IReadOnlyList<string> columns)
    {
        var definition = plan.Definition;
        var written = columns.Select(c => definition.Columns.FirstOrDefault(t => t.Name == c)).OfType<TargetColumn>().ToList();
        var keys = definition.ConflictColumns.Select(k => definition.Columns.FirstOrDefault(c => c.Name == k)).ToList();
        var storedOn = keys.All(k => k is not null) ? string.Join(" AND ", keys.Select(k => $"stored_row.{k!.Name} = ({k.Source})")) : "false";
        var sql = $"""
            SELECT stored_row.ctid IS NOT NULL,
                   {string.Join(", ", written.Select(c => c.InsertOnly ? $"(CASE WHEN stored_row.ctid IS NOT NULL THEN stored_row.{c.Name} ELSE {c.Source} END)::text" : $"({c.Source})::text"))}
            FROM {IngestPlan<TRow>.TempTable} AS t{definition.Joins}
            LEFT JOIN {definition.Table} AS stored_row ON {storedOn}
            WHERE t.row_no = @row
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("row", row);
        days.AddTo(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return string.Join(", ", written.Select(c => c.Name));
        }
        var stored = reader.GetBoolean(0);
        var shown = new List<string>();
        for (var i = 0; i < written.Count; i++)
        {
            var value = await reader.IsDBNullAsync(i + 1, cancellationToken) ? "NULL" : reader.GetString(i + 1);
            shown.Add(stored && written[i].InsertOnly ? $"{written[i].Name} {value} (stored, kept)" : $"{written[i].Name} {value}");
        }
        return string.Join(", ", shown);
    }

    private async Task<string?[]> ValuesAsync<TRow>(IngestPlan<TRow> plan, long row, List<string> fields)
    {
        await using var command = new NpgsqlCommand(plan.ValuesOf(fields), connection, transaction);
        command.Parameters.AddWithValue("row", row);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new string?[fields.Count];
        if (await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < fields.Count; i++)
            {
                values[i] = await reader.IsDBNullAsync(i, cancellationToken) ? null : reader.GetString(i);
            }
        }
        return values;
    }

    private sealed record ConstraintInfo(string Definition, string? Columns);
}
