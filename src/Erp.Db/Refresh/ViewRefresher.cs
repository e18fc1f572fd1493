using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Erp.Db.Refresh;

/// <summary>
/// Refreshes the warehouse's materialized views and reports their freshness and health, through
/// the <c>ops</c> functions (<c>ops.refresh_view</c>, <c>ops.refresh_due</c>, <c>ops.refresh_all</c>,
/// <c>ops.view_status</c>). The login needs <c>erp_writer</c> to refresh and <c>erp_reader</c> or
/// <c>erp_writer</c> for the status. Thread-safe; share one instance.
/// </summary>
public sealed class ViewRefresher
{
    private readonly NpgsqlDataSource dataSource;
    private readonly ILogger logger;

    /// <summary>Creates a refresher over a shared data source.</summary>
    /// <param name="dataSource">The warehouse database.</param>
    /// <param name="logger">Where failed refreshes are reported; by default nowhere.</param>
    public ViewRefresher(NpgsqlDataSource dataSource, ILogger<ViewRefresher>? logger = null)
    {
        this.dataSource = dataSource;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The database this refresher works on.</summary>
    internal NpgsqlDataSource DataSource => dataSource;

    /// <summary>Every registered view with its rows, last refresh, age, staleness, failures and health.</summary>
    public async Task<IReadOnlyList<ViewStatus>> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<RefreshRows.Status>(new CommandDefinition(RefreshSql.Status, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToStatus())];
    }

    /// <summary>The registered views, in dependency order (a view after the views it reads).</summary>
    public async Task<IReadOnlyList<string>> GetViewNamesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(RefreshSql.Order, cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// Refreshes the given views, each in its own transaction, in dependency order whatever the
    /// order given. Names may omit the <c>mart.</c> schema. A failed view is returned as failed,
    /// not thrown, and the others still refresh.
    /// </summary>
    /// <param name="views">View names, e.g. <c>mart.mv_daily_sales</c> or <c>mv_daily_sales</c>.</param>
    /// <param name="trigger">What is asking, for the refresh log.</param>
    /// <param name="cancellationToken">Stops between views.</param>
    /// <exception cref="UnknownViewException">A name is not registered; nothing was refreshed.</exception>
    public async Task<IReadOnlyList<RefreshResult>> RefreshAsync(IEnumerable<string> views, string trigger = "manual", CancellationToken cancellationToken = default)
    {
        var known = await GetViewNamesAsync(cancellationToken);
        var wanted = views.Select(v => v.Contains('.', StringComparison.Ordinal) ? v : "mart." + v).Distinct().ToList();
        var unknown = wanted.Where(v => !known.Contains(v)).ToList();
        if (unknown.Count > 0)
        {
            throw new UnknownViewException(unknown, known);
        }
        var results = new List<RefreshResult>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var view in known.Where(wanted.Contains))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = await connection.QuerySingleAsync<RefreshRows.Log>(new CommandDefinition(RefreshSql.RefreshView,
                new { view, trigger }, commandTimeout: 0, cancellationToken: cancellationToken));
            results.Add(Logged(row.ToResult()));
        }
        return results;
    }

    /// <summary>Refreshes every registered view in dependency order, each in its own transaction, then the C-class results.</summary>
    /// <param name="trigger">What is asking, for the refresh log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<RefreshResult>> RefreshAllAsync(string trigger = "manual", CancellationToken cancellationToken = default) =>
        CallAsync(RefreshSql.RefreshAll, trigger, cancellationToken);

    /// <summary>
    /// Runs the due refresh (<c>ops.refresh_due</c>): every view whose interval has elapsed or
    /// whose sources changed, in dependency order, then the C-class results and the log purge.
    /// Returns nothing when another due refresh is running (it skips).
    /// </summary>
    /// <param name="trigger">What is asking, for the refresh log.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<RefreshResult>> RefreshDueAsync(string trigger = "manual", CancellationToken cancellationToken = default) =>
        CallAsync(RefreshSql.RefreshDue, trigger, cancellationToken);

    private async Task<IReadOnlyList<RefreshResult>> CallAsync(string call, string trigger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = await connection.ExecuteScalarAsync<long[]>(new CommandDefinition(call, new { trigger }, commandTimeout: 0, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<RefreshRows.Log>(new CommandDefinition(RefreshSql.Results, new { ids = ids ?? [] }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => Logged(r.ToResult()))];
    }

    private RefreshResult Logged(RefreshResult result)
    {
        if (result.Status == RefreshStatus.Failed)
        {
            logger.LogWarning("Refresh of {View} failed: {Error} (SQLSTATE {SqlState})", result.ViewName, result.Error, result.ErrorSqlState);
        }
        return result;
    }
}
