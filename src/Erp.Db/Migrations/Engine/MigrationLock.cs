using Microsoft.Extensions.Logging;
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

    /// <summary>How long one wait in the lock's queue lasts before migrate looks at the holders again.</summary>
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(1);

    private MigrationLock(NpgsqlConnection connection) => Connection = connection;

    /// <summary>The session that holds the lock and runs the scripts.</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>
    /// Takes the lock. While a session that may migrate itself holds it (another migrate), waits,
    /// and says once through <paramref name="logger"/> whom it waits for. When a session that may
    /// not migrate holds it (any login may take an advisory key: a reader, say), throws
    /// <see cref="MigrationLockedException"/> within a second rather than wait for it without end
    /// (<see cref="MigrationLockHolders"/> says who may migrate).
    /// </summary>
    public static async Task<MigrationLock> AcquireAsync(NpgsqlDataSource dataSource, string database, ILogger logger, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var waitingFor = "";
            var blocked = false;
            while (true)
            {
                if (await TryLockAsync(connection, cancellationToken))
                {
                    return new MigrationLock(connection);
                }
                var holders = await MigrationLockHolders.ReadAsync(connection, Key, cancellationToken);
                if (holders.Count == 0 || holders.Any(h => h.ProcessId is not null && !h.Listed))
                {
                    // A holder let go, or ended, between the try and the look: try again.
                    await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
                    continue;
                }
                if (holders.Any(h => !h.MayMigrate))
                {
                    // Fail only when such a holder is still there one wait slice later: a session that is just ending can still be
                    // listed with its lock for a moment.
                    if (blocked)
                    {
                        throw new MigrationLockedException(database, [.. holders.Where(h => !h.MayMigrate).Select(h => h.ToPublic())]);
                    }
                    blocked = true;
                    if (await WaitAsync(connection, cancellationToken))
                    {
                        return new MigrationLock(connection);
                    }
                    continue;
                }
                blocked = false;
                var described = string.Join(", ", holders.Select(h => h.ToPublic()));
                if (waitingFor.Length == 0)
                {
                    logger.LogWarning("Waiting for the migrate lock of {Database}: it is held by {Holders}, whose login may migrate (another erpdb migrate?). Migrate goes on when that session lets go",
                        database, described);
                }
                else if (described != waitingFor)
                {
                    logger.LogInformation("Still waiting for the migrate lock of {Database}, now held by {Holders}", database, described);
                }
                waitingFor = described;
                if (await WaitAsync(connection, cancellationToken))
                {
                    return new MigrationLock(connection);
                }
            }
        }
        catch
        {
            // A cancel or failure may land after the server granted the lock: let go of it all the same.
            try
            {
                await ReleaseAsync(connection);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // The connection is gone, and with it the lock; the original failure is the one to report.
            }
            throw;
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_catalog.pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", Key);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Waits in the lock's queue for at most <see cref="WaitSlice"/>, then lets the caller look at
    /// the holders again: the session that gets the lock next may be one that may not migrate. A
    /// session-level lock taken inside a transaction outlives it; lock_timeout ends with it.
    /// </summary>
    private static async Task<bool> WaitAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SET LOCAL lock_timeout = {(int)WaitSlice.TotalMilliseconds}; SELECT pg_catalog.pg_advisory_lock(@key)", connection, transaction);
        command.Parameters.AddWithValue("key", Key);
        command.CommandTimeout = 0;
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            return false;
        }
        await transaction.CommitAsync(CancellationToken.None);
        return true;
    }

    public ValueTask DisposeAsync() => new(ReleaseAsync(Connection));

    private static async Task ReleaseAsync(NpgsqlConnection connection)
    {
        // Disposing a pooled connection does not end its session: Npgsql keeps the physical
        // connection open in the pool (and resets it only when it is next handed out), so the lock
        // would outlive the run. Unlock explicitly; if that fails on a connection that is still
        // open, clear the pool so the physical connection, and with it the lock, is closed.
        var unlocked = false;
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_catalog.pg_advisory_unlock(@key)", connection);
            command.Parameters.AddWithValue("key", Key);
            await command.ExecuteNonQueryAsync();
            unlocked = true;
        }
        finally
        {
            var stillOpen = connection.State != System.Data.ConnectionState.Closed;
            await connection.DisposeAsync();
            if (!unlocked && stillOpen)
            {
                NpgsqlConnection.ClearPool(connection);
            }
        }
    }
}
