using System.Globalization;
using Dapper;

namespace Erp.Db.Queries;

/// <summary>
/// Runs a query for one merchant in a single round trip: the scope, the query and the freshness of
/// the views it reads go to the server as one batch, which PostgreSQL runs as one implicit
/// transaction. The scope is set with <c>set_config('erp.merchant_id', ..., true)</c>, so it lasts
/// only for that transaction (safe behind a transaction-pooling PgBouncer), and the reader views
/// filter rows in the database: isolation does not depend on a WHERE clause here. Freshness comes
/// from <c>ops.view_freshness()</c>, which a reader scoped to a merchant may call.
/// </summary>
internal static class MerchantScope
{
    private const string Scope = """
        SELECT pg_catalog.set_config('erp.merchant_id', @erp_merchant, true),
               pg_catalog.set_config('statement_timeout', @erp_timeout, true);
        """;

    private const string Freshness = """
        ;
        SELECT view_name, last_refresh_at, extract(epoch FROM age)::float8 AS age_seconds, is_stale, is_dirty, is_failing
          FROM ops.view_freshness()
         WHERE view_name = ANY(@erp_views)
         ORDER BY view_name
        """;

    /// <summary>The whole batch sent for <paramref name="sql"/>: scope, query, freshness (its parameters: erp_merchant, erp_timeout, erp_views).</summary>
    public static string Batch(string sql) => Scope + sql + Freshness;

    public static async Task<QueryResult<T>> QueryAsync<T>(
        ErpDatabase database,
        long merchantId,
        string sql,
        object? parameters,
        string[] views,
        Func<SqlMapper.GridReader, Task<T>> read,
        CancellationToken cancellationToken)
    {
        if (merchantId < 1)
        {
            throw new QueryValidationException("merchant", $"merchant must be a positive merchant id; got {merchantId}.");
        }
        var arguments = new DynamicParameters(parameters);
        arguments.Add("erp_merchant", merchantId.ToString(CultureInfo.InvariantCulture));
        arguments.Add("erp_timeout", (database.Options.CommandTimeoutSeconds == 0 ? 0L : (long)database.Options.QueryTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        arguments.Add("erp_views", views);

        await using var connection = await database.ReadDataSource.OpenConnectionAsync(cancellationToken);
        using var grid = await connection.QueryMultipleAsync(new CommandDefinition(Batch(sql), arguments,
            commandTimeout: ClientTimeout(database.Options), cancellationToken: cancellationToken));
        await grid.ReadAsync();
        var data = await read(grid);
        var freshness = (await grid.ReadAsync<FreshnessRow>())
            .Select(r => new ViewFreshness(r.view_name, r.last_refresh_at is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null, r.age_seconds, r.is_stale, r.is_dirty ?? false, r.is_failing))
            .ToList();
        return new QueryResult<T>(data, freshness);
    }

    /// <summary>
    /// The client's command timeout for a query: the query timeout plus a little, so that the server's
    /// <c>statement_timeout</c> (a clear 57014 error) normally fires first; 0 (none) when there is no query timeout.
    /// </summary>
    internal static int ClientTimeout(ErpDbOptions options) => options.CommandTimeoutSeconds == 0 ? 0 : options.CommandTimeoutSeconds + 2;

#pragma warning disable IDE1006, CA1812 // Dapper maps the snake_case columns onto these names.
    private sealed record FreshnessRow(string view_name, DateTime? last_refresh_at, double? age_seconds, bool is_stale, bool? is_dirty, bool is_failing);
#pragma warning restore IDE1006, CA1812
}
