using Npgsql;

namespace Erp.Db.Queries;

/// <summary>
/// An open connection of the query pool (<see cref="ErpDatabase.ReadDataSource"/>) and the warehouse's today on it
/// (<see cref="WarehouseClock"/>): a query computes its default period, and says which buckets are complete, from the
/// same connection that then runs it.
/// </summary>
internal sealed class QueryConnection : IAsyncDisposable
{
    private QueryConnection(ErpDatabase database, NpgsqlConnection connection, DateOnly today)
    {
        Database = database;
        Connection = connection;
        Today = today;
    }

    public ErpDatabase Database { get; }

    public NpgsqlConnection Connection { get; }

    /// <summary>The date in the connection's time zone when it was opened: the server's <c>CURRENT_DATE</c> (docs/today.md).</summary>
    public DateOnly Today { get; }

    public static async Task<QueryConnection> OpenAsync(ErpDatabase database, CancellationToken cancellationToken)
    {
        // A pooled connection opens, and a cached today answers, without looking at the token: a call cancelled before it began
        // would then answer anyway.
        cancellationToken.ThrowIfCancellationRequested();
        var connection = await WarehouseErrors.OpenAsync(database.ReadDataSource, RequiredRole.Reader, cancellationToken);
        try
        {
            return new QueryConnection(database, connection, await WarehouseClock.TodayAsync(connection, MerchantScope.ClientTimeout(database.Options), cancellationToken));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
