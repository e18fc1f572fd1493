using Npgsql;

namespace Erp.Db.Migrations.Engine;

/// <summary>
/// The session of a whole migrate run: it takes the session-level advisory lock, and every script
/// of the run executes on it (<see cref="Connection"/>), so the lock lives exactly as long as the
/// work. If the client dies mid-script (kill -9), the server keeps running the statement in flight
/// on this session, and so keeps holding the lock until that backend ends and rolls back; a second
/// migrate waits meanwhile, then re-reads the journal and runs what is still pending.
/// </summary>
internal sealed class MigrationLock : IAsyncDisposable
{
    /// <summary>"erpdb" in ASCII; advisory locks are per database, so databases do not block each other.</summary>
    private const long Key = 0x6572706462;

    private MigrationLock(NpgsqlConnection connection) => Connection = connection;

    /// <summary>The session that holds the lock and runs the scripts.</summary>
    public NpgsqlConnection Connection { get; }

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
        // Disposing a pooled connection does not end its session: Npgsql keeps the physical
        // connection open in the pool (and resets it only when it is next handed out), so the lock
        // would outlive the run. Unlock explicitly; if that fails on a connection that is still
        // open, clear the pool so the physical connection, and with it the lock, is closed.
        var unlocked = false;
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_catalog.pg_advisory_unlock(@key)", Connection);
            command.Parameters.AddWithValue("key", Key);
            await command.ExecuteNonQueryAsync();
            unlocked = true;
        }
        finally
        {
            var stillOpen = Connection.State != System.Data.ConnectionState.Closed;
            await Connection.DisposeAsync();
            if (!unlocked && stillOpen)
            {
                NpgsqlConnection.ClearPool(Connection);
            }
        }
    }
}
