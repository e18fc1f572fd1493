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
    /// <param name="monthsAhead">Months ahead of this one; at least 0.</param>
    /// <param name="cancellationToken">Cancels the call (nothing is committed then).</param>
    /// <exception cref="WarehouseNotMigratedException">The database is not migrated, or older than this library.</exception>
    /// <exception cref="WarehouseAccessException">The login is not in erp_writer (nor the owner), the server refused the login, or the database does not exist.</exception>
    public Task<int> EnsureAsync(int monthsAhead = 3, CancellationToken cancellationToken = default) =>
        WarehouseErrors.GuardAsync(RequiredRole.Writer, () => EnsureAheadAsync(monthsAhead, cancellationToken));

    private async Task<int> EnsureAheadAsync(int monthsAhead, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(monthsAhead);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT dw.ensure_partitions(@monthsAhead)",
            new { monthsAhead }, commandTimeout: 0, cancellationToken: cancellationToken));
    }
}
