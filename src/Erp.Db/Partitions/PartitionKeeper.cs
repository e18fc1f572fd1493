using Dapper;
using Npgsql;

namespace Erp.Db.Partitions;

/// <summary>
/// Keeps the monthly partitions of the large facts ahead of time through <c>dw.ensure_partitions</c>,
/// which also moves rows out of the DEFAULT partitions (docs/partitioning.md). The login needs
/// <c>erp_writer</c>. Run daily: by the pg_cron job <c>ensure_partitions</c> or by
/// <see cref="Refresh.RefreshWorker"/>.
/// </summary>
public sealed class PartitionKeeper
{
    private readonly NpgsqlDataSource dataSource;

    /// <summary>Creates a keeper over a shared data source.</summary>
    /// <param name="dataSource">The warehouse database.</param>
    public PartitionKeeper(NpgsqlDataSource dataSource) => this.dataSource = dataSource;

    /// <summary>Creates the missing partitions from this month to this month + <paramref name="monthsAhead"/>; returns how many it created.</summary>
    /// <param name="monthsAhead">Months ahead of this one, 0 to 120 (dw.ensure_partitions refuses more).</param>
    /// <param name="cancellationToken">Cancels the call (nothing is committed then).</param>
    /// <exception cref="WarehouseNotMigratedException">The database is not migrated, or older than this library.</exception>
    /// <exception cref="WarehouseAccessException">The login is not in erp_writer (nor the owner), the server refused the login, or the database does not exist.</exception>
    public Task<int> EnsureAsync(int monthsAhead = 3, CancellationToken cancellationToken = default) =>
        WarehouseErrors.GuardAsync(RequiredRole.Writer, () => EnsureAheadAsync(monthsAhead, cancellationToken));

    /// <summary>
    /// As <see cref="EnsureAsync"/>, for a scheduler: its lock waits are bounded by <c>ops.scheduled_lock_timeout</c>, so that
    /// behind a long transaction it fails this time (PostgresException 55P03) instead of waiting, with every reader and writer
    /// of the fact queued behind its request, for as long as that transaction lasts.
    /// </summary>
    internal Task<int> EnsureScheduledAsync(CancellationToken cancellationToken) =>
        WarehouseErrors.GuardAsync(RequiredRole.Writer, () => EnsureAheadAsync(3, cancellationToken, scheduled: true));

    private async Task<int> EnsureAheadAsync(int monthsAhead, CancellationToken cancellationToken, bool scheduled = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(monthsAhead);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(monthsAhead, 120);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (scheduled)
        {
            await connection.ExecuteAsync(new CommandDefinition(Refresh.RefreshSql.SetScheduledLockTimeout, new { local = true }, transaction,
                cancellationToken: cancellationToken));
        }
        var created = await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT dw.ensure_partitions(@monthsAhead)",
            new { monthsAhead }, transaction, commandTimeout: 0, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return created;
    }
}
