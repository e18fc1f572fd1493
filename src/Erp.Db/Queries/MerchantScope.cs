using System.Globalization;
using Dapper;

namespace Erp.Db.Queries;

/// <summary>
/// Runs a query for one merchant in a single round trip: the scope and the freshness of the views
/// the query reads (one statement), then the query, go to the server as one batch, which
/// PostgreSQL runs as one implicit transaction. The scope is set with
/// <c>set_config('erp.merchant_id', ..., true)</c>, so it lasts only for that transaction (safe
/// behind a transaction-pooling PgBouncer), and the reader views filter rows in the database:
/// isolation does not depend on a WHERE clause here. Freshness comes from
/// <c>ops.view_freshness(views)</c> (one row per view from the small table <c>ops.mv_freshness</c>),
/// which a reader scoped to a merchant may call; it is read before the data, so a refresh that
/// commits in between makes the reported refresh older than the rows, never newer.
/// </summary>
internal static class MerchantScope
{
    private const string ScopeOnly = """
        SELECT pg_catalog.set_config('erp.merchant_id', @erp_merchant, true),
               pg_catalog.set_config('statement_timeout', @erp_timeout, true);

        """;

    /// <summary>
    /// The scope and the freshness in one statement: the one-row scope is the preserved side of the
    /// join, so it is set even when no view is listed; a later statement of the batch sees it.
    /// </summary>
    private const string ScopeAndFreshness = """
        SELECT f.view_name, f.last_refresh_at, extract(epoch FROM f.age)::float8 AS age_seconds, f.is_stale, f.is_dirty, f.is_failing
          FROM (SELECT pg_catalog.set_config('erp.merchant_id', @erp_merchant, true) AS merchant,
                       pg_catalog.set_config('statement_timeout', @erp_timeout, true) AS timeout) AS scope
          LEFT JOIN ops.view_freshness(@erp_views) AS f ON true
         ORDER BY f.view_name;

        """;

    /// <summary>
    /// The whole batch sent for <paramref name="sql"/>: scope and freshness, then the query (its parameters:
    /// erp_merchant, erp_timeout and, when <paramref name="withFreshness"/>, erp_views).
    /// </summary>
    public static string Batch(string sql, bool withFreshness = true) => (withFreshness ? ScopeAndFreshness : ScopeOnly) + sql;

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
        if (views.Length > 0)
        {
            arguments.Add("erp_views", views);
        }

        await using var connection = await database.ReadDataSource.OpenConnectionAsync(cancellationToken);
        using var grid = await connection.QueryMultipleAsync(new CommandDefinition(Batch(sql, views.Length > 0), arguments,
            commandTimeout: ClientTimeout(database.Options), cancellationToken: cancellationToken));
        // The first result: the freshness rows (none for a query that reads no view; one of NULLs when
        // the login may read none of the views named), or the scope's own row.
        List<ViewFreshness> freshness = [];
        if (views.Length > 0)
        {
            freshness = [.. (await grid.ReadAsync<FreshnessRow>()).Where(r => r.view_name is not null).Select(r => r.ToFreshness())];
        }
        else
        {
            await grid.ReadAsync();
        }
        var data = await read(grid);
        return new QueryResult<T>(data, freshness);
    }

    /// <summary>
    /// The client's command timeout for a query: the query timeout plus a little, so that the server's
    /// <c>statement_timeout</c> (a clear 57014 error) normally fires first; 0 (none) when there is no query timeout.
    /// </summary>
    internal static int ClientTimeout(ErpDbOptions options) => options.CommandTimeoutSeconds == 0 ? 0 : options.CommandTimeoutSeconds + 2;

#pragma warning disable IDE1006, CA1812 // Dapper maps the snake_case columns onto these names.
    private sealed record FreshnessRow(string? view_name, DateTime? last_refresh_at, double? age_seconds, bool? is_stale, bool? is_dirty, bool? is_failing)
    {
        public ViewFreshness ToFreshness() => new(view_name!, last_refresh_at is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null,
            age_seconds, is_stale ?? true, is_dirty ?? false, is_failing ?? false);
    }
#pragma warning restore IDE1006, CA1812
}
