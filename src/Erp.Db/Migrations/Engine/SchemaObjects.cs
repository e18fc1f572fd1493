using Dapper;
using Npgsql;

namespace Erp.Db.Migrations.Engine;

/// <summary>
/// The indexes, triggers, constraints, policies and row level security flags migrate left (<c>ops.schema_objects</c>): recorded at
/// the end of every migrate, compared by doctor (ERPDB020). See <see cref="SchemaObjectSql"/>.
/// </summary>
internal static class SchemaObjects
{
    /// <summary>
    /// The recorded objects missing (<see cref="SchemaObjectDrift.Current"/> null) or defined otherwise now, and the privileges granted
    /// since (<see cref="SchemaObjectDrift.Recorded"/> null); empty before migration 0074 or while scripts ran after the snapshot.
    /// </summary>
    public static async Task<IReadOnlyList<SchemaObjectDrift>> DriftAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var kinds = await connection.ExecuteScalarAsync<string[]>(new CommandDefinition(SchemaObjectSql.Kinds, cancellationToken: cancellationToken));
        if (kinds is not { Length: > 0 })
        {
            return [];
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SET LOCAL search_path = pg_catalog", transaction: transaction, cancellationToken: cancellationToken));
        var drift = await connection.QueryAsync<SchemaObjectDrift>(new CommandDefinition(SchemaObjectSql.Drift, new { kinds }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return [.. drift];
    }

    /// <summary>
    /// Records the objects as they are now, but keeps the recorded definition of those that had drifted by hand before this migrate
    /// (<paramref name="before"/>) and are still as they were then, and leaves out the privileges granted by hand before it that are
    /// still held, so doctor goes on reporting them until they are repaired.
    /// </summary>
    public static async Task RecordAsync(NpgsqlConnection connection, IReadOnlyList<SchemaObjectDrift> before, CancellationToken cancellationToken)
    {
        var kinds = await connection.ExecuteScalarAsync<string[]>(new CommandDefinition(SchemaObjectSql.Kinds, cancellationToken: cancellationToken));
        if (kinds is not { Length: > 0 })
        {
            return;
        }
        var dropped = before.Where(d => d.Recorded is not null).ToList();
        var kept = new
        {
            kinds,
            keptKinds = dropped.Select(d => d.Kind).ToArray(),
            tables = dropped.Select(d => d.TableName).ToArray(),
            names = dropped.Select(d => d.Name).ToArray(),
            starts = dropped.Select(d => d.Current).ToArray(),
        };
        var granted = before.Where(d => d.Recorded is null).ToList();
        var notRecorded = new
        {
            kinds,
            grantTables = granted.Select(d => d.TableName).ToArray(),
            grantNames = granted.Select(d => d.Name).ToArray(),
            grantStarts = granted.Select(d => d.Current).ToArray(),
        };
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SET LOCAL search_path = pg_catalog", transaction: transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(SchemaObjectSql.ForgetAllButKept, kept, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(SchemaObjectSql.MoveKept, transaction: transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(SchemaObjectSql.RecordLive, notRecorded, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }
}
