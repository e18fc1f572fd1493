using Npgsql;

namespace Erp.Db.Migrations.Engine;

/// <summary>
/// The session-level advisory lock held on a connection of its own for a whole migrate run, so
/// two runs against one database never interleave: the second waits, then finds nothing to do.
/// </summary>
internal sealed class MigrationLock : IAsyncDisposable
{
    /// <summary>"erpdb" in ASCII; advisory locks are per database, so databases do not block each other.</summary>
    private const long Key = 0x6572706462;

    private readonly NpgsqlConnection connection;

    private MigrationLock(NpgsqlConnection connection) => this.connection = connection;

    public static async Task<MigrationLock> AcquireAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_catalog.pg_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", Key);
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new MigrationLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Closing the session releases the lock even if the unlock fails.
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_catalog.pg_advisory_unlock(@key)", connection);
            command.Parameters.AddWithValue("key", Key);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }
}
