using Dapper;
using Npgsql;

namespace Erp.Db.Migrations.Engine;

/// <summary>
/// The indexes, triggers, constraints, policies and row level security flags migrate left (<c>ops.schema_objects</c>): recorded at
/// the end of every migrate, compared by doctor (ERPDB020). See <see cref="SchemaObjectSql"/>.
/// </summary>
internal static class SchemaObjects
{
    /// <summary>The recorded objects missing (<see cref="SchemaObjectDrift.Current"/> null) or defined otherwise now; empty before migration 0074 or while scripts ran after the snapshot.</summary>
    public static async Task<IReadOnlyList<SchemaObjectDrift>> DriftAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(SchemaObjectSql.Exists, cancellationToken: cancellationToken)))
        {
            return [];
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SET LOCAL search_path = pg_catalog", transaction: transaction, cancellationToken: cancellationToken));
        var drift = await connection.QueryAsync<SchemaObjectDrift>(new CommandDefinition(SchemaObjectSql.Drift, transaction: transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return [.. drift];
    }

    /// <summary>
    /// Records the objects as they are now, but keeps the recorded definition of those that had drifted by hand before this migrate
    /// (<paramref name="before"/>) and are still as they were then, so doctor goes on reporting them until they are repaired.
    /// </summary>
    public static async Task RecordAsync(NpgsqlConnection connection, IReadOnlyList<SchemaObjectDrift> before, CancellationToken cancellationToken)
    {
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(SchemaObjectSql.Exists, cancellationToken: cancellationToken)))
        {
            return;
        }
        var kept = new
        {
            kinds = before.Select(d => d.Kind).ToArray(),
            tables = before.Select(d => d.TableName).ToArray(),
            names = before.Select(d => d.Name).ToArray(),
            starts = before.Select(d => d.Current).ToArray(),
        };
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SET LOCAL search_path = pg_catalog", transaction: transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(SchemaObjectSql.ForgetAllButKept, kept, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(SchemaObjectSql.MoveKept, transaction: transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(SchemaObjectSql.RecordLive, transaction: transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }
}
