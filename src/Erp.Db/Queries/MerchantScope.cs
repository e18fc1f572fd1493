using System.Globalization;
using System.Text;
using Dapper;
using Npgsql;

namespace Erp.Db.Queries;

/// <summary>
/// Runs a query for one merchant in a single round trip: the scope and the freshness of the views
/// the query reads (one statement), then the query, go to the server as one batch, which
/// PostgreSQL runs as one implicit transaction. The scope is set with
/// <c>set_config('erp.merchant_id', ..., true)</c>, so it lasts only for that transaction (safe
/// behind a transaction-pooling PgBouncer), and the reader views filter rows in the database:
/// isolation does not depend on a WHERE clause here. Freshness comes from
/// <c>ops.view_epochs(views)</c> (one row per view from the small table <c>ops.mv_freshness</c>, with
/// its refresh epoch), which a reader scoped to a merchant may call; it is read before the data, so a
/// refresh that commits in between makes the reported refresh older than the rows, never newer.
/// A cacheable query (<see cref="ResultCache"/>, docs/result-cache.md) whose result is held sends the
/// first statement alone: the same scope, the merchant the database resolved for this login, the dates
/// and the epochs; the held result is served when they match its version, else the whole batch runs.
/// </summary>
internal static class MerchantScope
{
    private const string ScopeOnly = """
        SELECT pg_catalog.set_config('erp.merchant_id', @erp_merchant, true),
               pg_catalog.set_config('statement_timeout', @erp_timeout, true);

        """;

    /// <summary>
    /// The scope and the freshness in one statement: the one-row scope is the preserved side of the
    /// join, so it is set even when no view is listed; a later statement of the batch sees it. The
    /// lateral row reads the scope's value, so it runs after the scope is set: the login, the merchant
    /// <c>ops.current_merchant_id()</c> resolves for it (NULL when the login may not read the merchant
    /// asked for) and the server's date, which versions a cached result.
    /// </summary>
    private const string ScopeAndFreshness = """
        SELECT s.login, s.scope_merchant, s.today,
               f.view_name, f.last_refresh_at, extract(epoch FROM f.age)::float8 AS age_seconds, f.is_stale, f.is_dirty, f.is_failing, f.refresh_epoch
          FROM (SELECT pg_catalog.set_config('erp.merchant_id', @erp_merchant, true) AS merchant,
                       pg_catalog.set_config('statement_timeout', @erp_timeout, true) AS timeout) AS scope
         CROSS JOIN LATERAL (SELECT session_user::text AS login, ops.current_merchant_id() AS scope_merchant, CURRENT_DATE::text AS today
                              WHERE scope.merchant IS NOT NULL OFFSET 0) AS s
          LEFT JOIN ops.view_epochs(@erp_views) AS f ON true
         ORDER BY f.view_name;

        """;

    /// <summary>
    /// The whole batch sent for <paramref name="sql"/>: scope and freshness, then the query (its parameters:
    /// erp_merchant, erp_timeout and, when <paramref name="withFreshness"/>, erp_views).
    /// </summary>
    public static string Batch(string sql, bool withFreshness = true) => (withFreshness ? ScopeAndFreshness : ScopeOnly) + sql;

    /// <summary>Runs the query; never from the cache.</summary>
    public static Task<QueryResult<T>> QueryAsync<T>(
        ErpDatabase database,
        long merchantId,
        string sql,
        object? parameters,
        string[] views,
        Func<SqlMapper.GridReader, Task<T>> read,
        CancellationToken cancellationToken) =>
        QueryAsync(database, merchantId, sql, parameters, views, read, cache: null, cancellationToken);

    /// <summary>
    /// Runs the query, or serves it from the database's result cache when <paramref name="cache"/> says it may
    /// be cached (it reads only views behind a refresh epoch) and the cache is on.
    /// </summary>
    public static Task<QueryResult<T>> QueryAsync<T>(
        ErpDatabase database,
        long merchantId,
        string sql,
        object? parameters,
        string[] views,
        Func<SqlMapper.GridReader, Task<T>> read,
        Cacheable<T>? cache,
        CancellationToken cancellationToken) =>
        QueryAsync(database, merchantId, sql, parameters, views, read, cache, check: null, cancellationToken);

    /// <summary>Runs the query as below, on a connection of its own.</summary>
    public static async Task<QueryResult<T>> QueryAsync<T>(
        ErpDatabase database,
        long merchantId,
        string sql,
        object? parameters,
        string[] views,
        Func<SqlMapper.GridReader, Task<T>> read,
        Cacheable<T>? cache,
        Func<NpgsqlConnection, CancellationToken, Task>? check,
        CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(database, merchantId, cancellationToken);
        return await QueryAsync(connection, merchantId, sql, parameters, views, read, cache, check, cancellationToken);
    }

    /// <summary>
    /// A connection for a query of <paramref name="merchantId"/>, with the warehouse's today on it, for a query whose
    /// parameters depend on that day; a merchant id that cannot be one is refused before connecting.
    /// </summary>
    public static Task<QueryConnection> OpenAsync(ErpDatabase database, long merchantId, CancellationToken cancellationToken)
    {
        ThrowIfNotMerchant(merchantId);
        return QueryConnection.OpenAsync(database, cancellationToken);
    }

    /// <summary>
    /// Runs the query on <paramref name="connection"/> (whose today a query's parameters may depend on), after
    /// <paramref name="check"/> (a check of the parameters against the database, which throws
    /// <see cref="QueryValidationException"/>) on the same connection. A result served from the cache skips the
    /// check: it was computed for the same parameters after the check passed. The result is as of the connection's today.
    /// </summary>
    public static async Task<QueryResult<T>> QueryAsync<T>(
        QueryConnection connection,
        long merchantId,
        string sql,
        object? parameters,
        string[] views,
        Func<SqlMapper.GridReader, Task<T>> read,
        Cacheable<T>? cache,
        Func<NpgsqlConnection, CancellationToken, Task>? check,
        CancellationToken cancellationToken)
    {
        ThrowIfNotMerchant(merchantId);
        var database = connection.Database;
        var today = connection.Today;
        var arguments = new DynamicParameters(parameters);
        arguments.Add("erp_merchant", merchantId.ToString(CultureInfo.InvariantCulture));
        arguments.Add("erp_timeout", (database.Options.CommandTimeoutSeconds == 0 ? 0L : (long)database.Options.QueryTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        if (views.Length > 0)
        {
            arguments.Add("erp_views", views);
        }

        var results = views.Length > 0 && cache is not null ? database.Queries.Cache : null;
        var key = results is null ? default : new ResultCache.Key(merchantId, cache!.Key);
        var session = connection.Connection;
        return await ReplannedRead.RunAsync(database.Options, async () =>
        {
            if (results is not null && results.Holds(key))
            {
                // The scope statement alone: the login, the merchant resolved, the dates and the epochs.
                using var scopeGrid = await session.QueryMultipleAsync(new CommandDefinition(ScopeAndFreshness, arguments,
                    commandTimeout: ClientTimeout(database.Options), cancellationToken: cancellationToken));
                var scope = Scope.Read(await scopeGrid.ReadAsync<ScopeRow>(), merchantId, views, today);
                if (scope.Version is { } held && results.TryGet(key, held, out var value))
                {
                    return new QueryResult<T>((T)value!, scope.Freshness) { AsOf = today };
                }
            }

            if (check is not null)
            {
                await check(session, cancellationToken);
            }
            using var grid = await session.QueryMultipleAsync(new CommandDefinition(Batch(sql, views.Length > 0), arguments,
                commandTimeout: ClientTimeout(database.Options), cancellationToken: cancellationToken));
            // The first result: the freshness rows (none for a query that reads no view; one of NULLs when
            // the login may read none of the views named), or the scope's own row.
            List<ViewFreshness> freshness = [];
            string? version = null;
            if (views.Length > 0)
            {
                var scope = Scope.Read(await grid.ReadAsync<ScopeRow>(), merchantId, views, today);
                freshness = scope.Freshness;
                version = scope.Version;
            }
            else
            {
                await grid.ReadAsync();
            }
            var data = await read(grid);
            if (results is not null)
            {
                results.CountMiss();
                if (version is not null)
                {
                    results.Set(key, version, data!, cache!.Rows(data));
                }
            }
            return new QueryResult<T>(data, freshness) { AsOf = today };
        });
    }

    private static void ThrowIfNotMerchant(long merchantId)
    {
        if (merchantId < 1)
        {
            throw new QueryValidationException("merchant", $"merchant must be a positive merchant id; got {merchantId}.");
        }
    }

    /// <summary>
    /// The client's command timeout for a query: the query timeout plus a little, so that the server's
    /// <c>statement_timeout</c> (a clear 57014 error) normally fires first; 0 (none) when there is no query timeout.
    /// </summary>
    internal static int ClientTimeout(ErpDbOptions options) => options.CommandTimeoutSeconds == 0 ? 0 : options.CommandTimeoutSeconds + 2;

    /// <summary>How a query may be cached: what else shapes its result besides the merchant, and how many rows a result holds.</summary>
    /// <param name="Key">The query's kind and every value its result depends on (its query object, serialized).</param>
    /// <param name="Rows">The rows of a result: its weight in the cache.</param>
    internal sealed record Cacheable<T>(string Key, Func<T, int> Rows);

    /// <summary>What the scope statement returned: the freshness to report and, when a result may be cached, its version.</summary>
    private readonly record struct Scope(List<ViewFreshness> Freshness, string? Version)
    {
        /// <summary>
        /// The version is null (nothing is served or held) unless the database resolved the scope to the merchant
        /// asked for (a login that may not read it gets the batch, whose reader views return nothing) and listed
        /// every view the query reads with an epoch. It holds the login, the merchant, the server's <c>CURRENT_DATE</c> and
        /// <paramref name="today"/>, the warehouse's today the result was computed with (results say which buckets are complete,
        /// and some figures count days to today: the same day, but for a clock here a moment off the server's at midnight) and each
        /// view's epoch and last refresh (a restored database may count the same epoch again, never at the same instant).
        /// </summary>
        public static Scope Read(IEnumerable<ScopeRow> rows, long merchantId, string[] views, DateOnly today)
        {
            var asRead = rows.ToList();
            List<ViewFreshness> freshness = [.. asRead.Where(r => r.view_name is not null).Select(r => r.ToFreshness())];
            var list = asRead.OrderBy(r => r.view_name, StringComparer.Ordinal).ToList();
            var first = list.FirstOrDefault();
            if (first is null || first.scope_merchant != merchantId || first.login is null || first.today is null
                || list.Count != views.Length || list.Any(r => r.view_name is null || r.refresh_epoch is null)
                || !views.Order(StringComparer.Ordinal).SequenceEqual(list.Select(r => r.view_name!), StringComparer.Ordinal))
            {
                return new Scope(freshness, null);
            }
            var version = new StringBuilder();
            version.Append(first.login).Append('\n').Append(merchantId.ToString(CultureInfo.InvariantCulture))
                .Append('\n').Append(first.today).Append('\n').Append(today.ToString("O", CultureInfo.InvariantCulture));
            foreach (var row in list)
            {
                version.Append('\n').Append(row.view_name).Append(' ').Append(row.refresh_epoch!.Value.ToString(CultureInfo.InvariantCulture))
                    .Append(' ').Append(row.last_refresh_at?.Ticks.ToString(CultureInfo.InvariantCulture) ?? "-");
            }
            return new Scope(freshness, version.ToString());
        }
    }

#pragma warning disable IDE1006, CA1812 // Dapper maps the snake_case columns onto these names.
    private sealed record ScopeRow(string? login, long? scope_merchant, string? today, string? view_name, DateTime? last_refresh_at, double? age_seconds,
        bool? is_stale, bool? is_dirty, bool? is_failing, long? refresh_epoch)
    {
        public ViewFreshness ToFreshness() => ViewFreshness.FromRow(view_name!, last_refresh_at, age_seconds, is_stale, is_dirty, is_failing);
    }
#pragma warning restore IDE1006, CA1812
}
