using Npgsql;

namespace Erp.Db.Tests.Faults;

/// <summary>An open transaction holding table locks, so a run under test blocks at a statement the test chooses.</summary>
internal sealed class Blocker : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private NpgsqlTransaction? transaction;

    private Blocker(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        this.connection = connection;
        this.transaction = transaction;
    }

    /// <summary>Takes <paramref name="mode"/> locks on every table of <paramref name="schema"/> (or on <paramref name="table"/>) and keeps them.</summary>
    public static async Task<Blocker> LockAsync(string connectionString, string mode, string? schema = null, string? table = null)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        var targets = table;
        if (schema is not null)
        {
            await using var list = new NpgsqlCommand(
                "SELECT string_agg(format('%I.%I', n.nspname, c.relname), ', ') FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition", connection, transaction);
            list.Parameters.AddWithValue(schema);
            targets = (string)(await list.ExecuteScalarAsync())!;
        }
        await using var command = new NpgsqlCommand($"LOCK TABLE {targets} IN {mode} MODE", connection, transaction);
        await command.ExecuteNonQueryAsync();
        return new Blocker(connection, transaction);
    }

    /// <summary>Ends the transaction: whatever waited on the locks goes on.</summary>
    public async Task ReleaseAsync()
    {
        if (transaction is not null)
        {
            await transaction.RollbackAsync();
            await transaction.DisposeAsync();
            transaction = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync();
        await connection.DisposeAsync();
    }
}
