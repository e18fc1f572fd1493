using Dapper;
using Erp.Db.Partitions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Erp.Db.Refresh;

/// <summary>
/// Refreshes the warehouse's materialized views and reports their freshness and health, through
/// the <c>ops</c> functions (<c>ops.refresh_view</c>, <c>ops.views_to_refresh</c>, <c>ops.recompute_c_class</c>,
/// <c>ops.view_status</c>). It drives each run view by view so that each view's registered
/// statement timeout bounds its refresh (a timeout set inside one call cannot bound that call).
/// The login needs <c>erp_writer</c> (or the owner) to refresh and for the status: readers are
/// denied both, since they would reveal other merchants' activity. Thread-safe; share one instance.
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
    /// <exception cref="WarehouseNotMigratedException">The database is not migrated, or older than this library.</exception>
    /// <exception cref="WarehouseAccessException">The login is not in erp_writer (nor the owner), the server refused the login, or the database does not exist.</exception>
    public Task<IReadOnlyList<ViewStatus>> GetStatusAsync(CancellationToken cancellationToken = default) =>
        WarehouseErrors.GuardAsync(RequiredRole.Writer, () => ReadStatusAsync(cancellationToken));

    private async Task<IReadOnlyList<ViewStatus>> ReadStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<RefreshRows.Status>(new CommandDefinition(RefreshSql.Status, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToStatus())];
    }

    /// <summary>The registered views, in dependency order (a view after the views it reads).</summary>
    /// <exception cref="WarehouseNotMigratedException">The database is not migrated, or older than this library.</exception>
    /// <exception cref="WarehouseAccessException">The login is not in erp_writer (nor the owner), the server refused the login, or the database does not exist.</exception>
    public Task<IReadOnlyList<string>> GetViewNamesAsync(CancellationToken cancellationToken = default) =>
        WarehouseErrors.GuardAsync(RequiredRole.Writer, () => ReadViewNamesAsync(cancellationToken));

    private async Task<IReadOnlyList<string>> ReadViewNamesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(RefreshSql.Order, cancellationToken: cancellationToken))];
    }

    /// <inheritdoc cref="RefreshAsync(IEnumerable{string}, string, CancellationToken)"/>
    /// <remarks>The trigger logged is "manual"; this overload lets a cancellation token be passed alone.</remarks>
    public Task<IReadOnlyList<RefreshResult>> RefreshAsync(IEnumerable<string> views, CancellationToken cancellationToken) => RefreshAsync(views, "manual", cancellationToken);

    /// <summary>
    /// Refreshes the given views, each in its own transaction, in dependency order whatever the
    /// order given, each bounded by its registered statement timeout. Names may omit the
    /// <c>mart.</c> schema. An incremental aggregate recomputes only the buckets its invalidation
    /// log names (see <see cref="RebuildAsync(IEnumerable{string}, string, CancellationToken)"/> to rebuild it from scratch). A failed view is
    /// returned as failed, not thrown, and the others still refresh. A failing view's retry
    /// backoff does not apply here.
    /// </summary>
    /// <param name="views">View names, e.g. <c>mart.mv_daily_sales</c> or <c>mv_daily_sales</c>.</param>
    /// <param name="trigger">What is asking, for the refresh log.</param>
    /// <param name="cancellationToken">Cancels the view being refreshed (logged as cancelled) and stops.</param>
    /// <exception cref="UnknownViewException">A name is not registered; nothing was refreshed.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled; the views after the current one were not refreshed.</exception>
    /// <exception cref="WarehouseNotMigratedException">The database is not migrated, or older than this library.</exception>
    /// <exception cref="WarehouseAccessException">The login is not in erp_writer (nor the owner), the server refused the login, or the database does not exist.</exception>
    public Task<IReadOnlyList<RefreshResult>> RefreshAsync(IEnumerable<string> views, string trigger = "manual", CancellationToken cancellationToken = default) =>
        WarehouseErrors.GuardAsync(RequiredRole.Writer, () => RefreshNamedAsync(views, trigger, fullRebuild: false, cancellationToken));

    /// <inheritdoc cref="RebuildAsync(IEnumerable{string}, string, CancellationToken)"/>
    /// <remarks>The trigger logged is "manual"; this overload lets a cancellation token be passed alone.</remarks>
    public Task<IReadOnlyList<RefreshResult>> RebuildAsync(IEnumerable<string> views, CancellationToken cancellationToken) => RebuildAsync(views, "manual", cancellationToken);

    /// <summary>
    /// Like <see cref="RefreshAsync(IEnumerable{string}, string, CancellationToken)"/>, but rebuilds the given views from scratch: an incremental
    /// aggregate recomputes every row, whatever its invalidation log says (a materialized view is
    /// refreshed as usual: that is always a full rebuild).
    /// </summary>
    /// <param name="views">View names, e.g. <c>mart.mv_daily_sales</c> or <c>mv_daily_sales</c>.</param>
    /// <param name="trigger">What is asking, for the refresh log.</param>
    /// <param name="cancellationToken">Cancels the view being refreshed (logged as cancelled) and stops.</param>
    /// <exception cref="UnknownViewException">A name is not registered; nothing was refreshed.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled; the views after the current one were not refreshed.</exception>
    /// <exception cref="WarehouseNotMigratedException">The database is not migrated, or older than this library.</exception>
    /// <exception cref="WarehouseAccessException">The login is not in erp_writer (nor the owner), the server refused the login, or the database does not exist.</exception>
    public Task<IReadOnlyList<RefreshResult>> RebuildAsync(IEnumerable<string> views, string trigger = "manual", CancellationToken cancellationToken = default) =>
        WarehouseErrors.GuardAsync(RequiredRole.Writer, () => RefreshNamedAsync(views, trigger, fullRebuild: true, cancellationToken));

    private async Task<IReadOnlyList<RefreshResult>> RefreshNamedAsync(IEnumerable<string> views, string trigger, bool fullRebuild, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(views);
        var known = await ReadViewNamesAsync(cancellationToken);
        var wanted = views.Select(v => v.Contains('.', StringComparison.Ordinal) ? v : "mart." + v).Distinct().ToList();
        var unknown = wanted.Where(v => !known.Contains(v)).ToList();
        if (unknown.Count > 0)
        {
            throw new UnknownViewException(unknown, known);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var timeout = await GetTimeoutAsync(connection, cancellationToken);
        try
        {
            var results = new List<RefreshResult>();
            foreach (var view in known.Where(wanted.Contains))
            {
                var result = await RefreshOneAsync(connection, view, trigger, fullRebuild, timeout, cancellationToken);
                results.Add(result);
                StopIfCancelled(result, cancellationToken);
            }
            return results;
        }
        finally
        {
            await RestoreAsync(connection, timeout, unlockDueRun: false);
        }
    }

    /// <inheritdoc cref="RefreshAllAsync(string, CancellationToken)"/>
    /// <remarks>The trigger logged is "manual"; this overload lets a cancellation token be passed alone.</remarks>
    public Task<IReadOnlyList<RefreshResult>> RefreshAllAsync(CancellationToken cancellationToken) => RefreshAllAsync("manual", cancellationToken);

    /// <summary>
    /// Refreshes every registered view in dependency order, each in its own transaction and bounded
    /// by its statement timeout, then the C-class results. Incremental aggregates are rebuilt from
    /// scratch, as <c>ops.refresh_all</c> does.
    /// </summary>
    /// <param name="trigger">What is asking, for the refresh log.</param>
    /// <param name="cancellationToken">Cancels the view being refreshed (logged as cancelled) and stops.</param>
    /// <exception cref="OperationCanceledException">The run was cancelled; the views after the current one were not refreshed.</exception>
    /// <exception cref="WarehouseNotMigratedException">The database is not migrated, or older than this library.</exception>
    /// <exception cref="WarehouseAccessException">The login is not in erp_writer (nor the owner), the server refused the login, or the database does not exist.</exception>
    public Task<IReadOnlyList<RefreshResult>> RefreshAllAsync(string trigger = "manual", CancellationToken cancellationToken = default) =>
        WarehouseErrors.GuardAsync(RequiredRole.Writer, () => RefreshEveryAsync(trigger, cancellationToken));

    private async Task<IReadOnlyList<RefreshResult>> RefreshEveryAsync(string trigger, CancellationToken cancellationToken)
    {
        var views = await ReadViewNamesAsync(cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var timeout = await GetTimeoutAsync(connection, cancellationToken);
        try
        {
            var results = new List<RefreshResult>();
            foreach (var view in views)
            {
                var result = await RefreshOneAsync(connection, view, trigger, fullRebuild: true, timeout, cancellationToken);
                results.Add(result);
                StopIfCancelled(result, cancellationToken);
            }
            results.AddRange(await QueryLogAsync(connection, RefreshSql.RecomputeCClass, new { trigger }, cancellationToken));
            return results;
        }
        finally
        {
            await RestoreAsync(connection, timeout, unlockDueRun: false);
        }
    }

    /// <inheritdoc cref="RefreshDueAsync(string, CancellationToken)"/>
    /// <remarks>The trigger logged is "manual"; this overload lets a cancellation token be passed alone.</remarks>
    public Task<IReadOnlyList<RefreshResult>> RefreshDueAsync(CancellationToken cancellationToken) => RefreshDueAsync("manual", cancellationToken);

    /// <summary>
    /// Runs the due refresh, as <c>ops.refresh_due</c> does and under its lock: every view whose
    /// interval has elapsed or whose sources changed (except failing views backing off), in
    /// dependency order, each bounded by its statement timeout, then the C-class results and the
    /// log purge. No step waits long for a lock (<c>ops.scheduled_lock_timeout</c>): a view or the C-class step
    /// that another transaction holds (a seed, an import, DDL) is returned and logged as skipped, naming the holder,
    /// and stays dirty for the next run. Returns nothing when another due refresh is running (it skips). The run lock is
    /// released whatever happens, and a run that fails or is cancelled is logged. A login that may
    /// not run due refreshes (a reader) holding the lock's key does not stop the run: it goes on
    /// without the lock, with a warning.
    /// </summary>
    /// <param name="trigger">What is asking, for the refresh log.</param>
    /// <param name="cancellationToken">Cancels the view being refreshed (logged as cancelled) and stops the run.</param>
    /// <exception cref="OperationCanceledException">The run was cancelled; the views after the current one were not refreshed.</exception>
    /// <exception cref="WarehouseNotMigratedException">The database is not migrated, or older than this library.</exception>
    /// <exception cref="WarehouseAccessException">The login is not in erp_writer (nor the owner), the server refused the login, or the database does not exist.</exception>
    public Task<IReadOnlyList<RefreshResult>> RefreshDueAsync(string trigger = "manual", CancellationToken cancellationToken = default) =>
        WarehouseErrors.GuardAsync(RequiredRole.Writer, () => RefreshDueRunAsync(trigger, cancellationToken));

    private async Task<IReadOnlyList<RefreshResult>> RefreshDueRunAsync(string trigger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var timeout = await GetTimeoutAsync(connection, cancellationToken);
        var runLock = await connection.ExecuteScalarAsync<string>(new CommandDefinition(RefreshSql.TryLockDueRun, cancellationToken: cancellationToken));
        if (runLock == "running")
        {
            return [];
        }
        // As ops.refresh_due: no step waits long for a lock; one that cannot get it in time is logged skipped and stays dirty.
        string? lockTimeout = null;
        if (runLock == "bypassed")
        {
            logger.LogWarning("The due refresh's lock is held by a login that may not run due refreshes; running without it (see pg_locks and pg_stat_activity)");
        }
        var results = new List<RefreshResult>();
        try
        {
            lockTimeout = await connection.ExecuteScalarAsync<string>(new CommandDefinition(RefreshSql.GetLockTimeout, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(RefreshSql.SetScheduledLockTimeout, new { local = false }, cancellationToken: cancellationToken));
            await AnalyzeStaleParentsAsync(connection, cancellationToken);
            var done = new List<string>();
            while (await connection.ExecuteScalarAsync<string?>(new CommandDefinition(RefreshSql.NextDue, new { done = done.ToArray() },
                cancellationToken: cancellationToken)) is { } view)
            {
                done.Add(view);
                var result = await RefreshOneAsync(connection, view, trigger, fullRebuild: false, timeout, cancellationToken);
                results.Add(result);
                StopIfCancelled(result, cancellationToken);
            }
            cancellationToken.ThrowIfCancellationRequested();
            if (results.Any(r => r.Status == RefreshStatus.Succeeded))
            {
                results.AddRange(await QueryLogAsync(connection, RefreshSql.RecomputeChangedCClass, new { trigger }, cancellationToken));
            }
            await connection.ExecuteAsync(new CommandDefinition(RefreshSql.Purge, cancellationToken: cancellationToken));
            return results;
        }
        catch (Exception e) when (e is OperationCanceledException or NpgsqlException && results.LastOrDefault()?.Status != RefreshStatus.Cancelled)
        {
            // Failed or cancelled outside a view's refresh (which logs itself): log the run.
            await LogRunAsync(connection, trigger, e);
            throw;
        }
        finally
        {
            await RestoreAsync(connection, timeout, unlockDueRun: runLock == "locked", lockTimeout);
        }
    }

    /// <summary>
    /// The partitioned facts' own statistics before the views (<see cref="ParentStatistics"/>), as <c>ops.refresh_due</c> takes
    /// them: not taken is a warning, not a failed run; the views then refresh on the statistics there are.
    /// </summary>
    private async Task AnalyzeStaleParentsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(ParentStatistics.AnalyzeStale, commandTimeout: 0, cancellationToken: cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState != PostgresErrorCodes.QueryCanceled)
        {
            logger.LogWarning("The partitioned facts' statistics were not taken before the due refresh ({SqlState}): {Message}", e.SqlState, e.MessageText);
        }
    }

    /// <summary>
    /// One view, bounded by its registered statement timeout. The token cancels the refresh in the
    /// server, which logs it and answers 'cancelled'; the driver's own cancel is not used, because it
    /// breaks the connection when that answer takes longer than its cancellation timeout (2 s by
    /// default, easily reached on a loaded server), and the session would end with its log row unwritten.
    /// </summary>
    private async Task<RefreshResult> RefreshOneAsync(NpgsqlConnection connection, string view, string trigger, bool fullRebuild, string callerTimeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pid = connection.ProcessID;
        var cancelling = Task.CompletedTask;
        var started = DateTimeOffset.UtcNow;
        RefreshRows.Log row;
        try
        {
            // The view's timeout is armed as soon as it is set, before the server has answered this statement: a timeout of a
            // millisecond on a loaded server cuts the statement that sets it (and, the statement failing, is not kept).
            await connection.ExecuteAsync(new CommandDefinition(RefreshSql.SetTimeout, new { view }, cancellationToken: cancellationToken));
            await using (cancellationToken.Register(() => cancelling = CancelBackendAsync(pid)))
            {
                // Cancelled just before the registration: its cancel found the session idle, and would not stop the refresh.
                cancellationToken.ThrowIfCancellationRequested();
                row = await connection.QuerySingleAsync<RefreshRows.Log>(new CommandDefinition(RefreshSql.RefreshView,
                    new { view, trigger, full = fullRebuild }, commandTimeout: 0, cancellationToken: CancellationToken.None));
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled && !cancellationToken.IsCancellationRequested)
        {
            // The view's statement timeout cut the statement that set it, or ops.refresh_view as it started, before its handlers were
            // in place (a timeout of a few milliseconds: the first call in a session compiles the function): log it as the function
            // logs every other cut, with the caller's timeout back (the view's would cut this too), and go on with the next view.
            await connection.ExecuteAsync(new CommandDefinition(RefreshSql.RestoreTimeout, new { timeout = callerTimeout }, cancellationToken: CancellationToken.None));
            row = await connection.QuerySingleAsync<RefreshRows.Log>(new CommandDefinition(RefreshSql.LogTimeout,
                new { view, trigger, error = e.MessageText, started }, cancellationToken: CancellationToken.None));
        }
        finally
        {
            // The cancel has reached the server before this connection runs anything else.
            await cancelling;
        }
        return Logged(row.ToResult());
    }

    /// <summary>Cancels what the given session of this login is running (<c>pg_cancel_backend</c>).</summary>
    private async Task CancelBackendAsync(int pid)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await connection.ExecuteAsync(RefreshSql.CancelBackend, new { pid });
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // No connection to ask with (the server is gone, the pool exhausted, the data source disposed): the refresh goes on.
            logger.LogWarning(e, "Could not cancel the refresh running in session {Pid}; it goes on until its statement timeout", pid);
        }
    }

    /// <summary>A view cancelled in the database (by our token, or someone cancelled this session) stops the run.</summary>
    private static void StopIfCancelled(RefreshResult result, CancellationToken cancellationToken)
    {
        if (result.Status == RefreshStatus.Cancelled)
        {
            throw cancellationToken.IsCancellationRequested
                ? new OperationCanceledException(cancellationToken)
                : new OperationCanceledException($"The refresh of {result.View} was cancelled: {result.Error}");
        }
    }

    private static async Task<string> GetTimeoutAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<string>(new CommandDefinition(RefreshSql.GetTimeout, cancellationToken: cancellationToken)) ?? "0";

    private static async Task<IEnumerable<RefreshResult>> QueryLogAsync(NpgsqlConnection connection, string sql, object parameters, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<RefreshRows.Log>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).Select(r => r.ToResult());

    private async Task LogRunAsync(NpgsqlConnection connection, string trigger, Exception failure)
    {
        var cancelled = failure is OperationCanceledException;
        var error = failure is OperationCanceledException { InnerException: PostgresException inner } ? inner : failure as PostgresException;
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(RefreshSql.LogRun, new
            {
                trigger,
                status = cancelled ? "cancelled" : "failed",
                error = error?.MessageText ?? failure.Message,
                sqlState = error?.SqlState ?? (cancelled ? PostgresErrorCodes.QueryCanceled : null),
            }, cancellationToken: CancellationToken.None));
        }
        catch (NpgsqlException e)
        {
            logger.LogWarning(e, "Could not log the failed due refresh run: {Error}", failure.Message);
        }
    }

    /// <summary>Restores the session's statement timeout (and lock timeout, when given) and releases the due-run lock, whatever happened.</summary>
    private async Task RestoreAsync(NpgsqlConnection connection, string timeout, bool unlockDueRun, string? lockTimeout = null)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(RefreshSql.RestoreTimeout, new { timeout }, cancellationToken: CancellationToken.None));
            if (lockTimeout is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition(RefreshSql.RestoreLockTimeout, new { timeout = lockTimeout }, cancellationToken: CancellationToken.None));
            }
            if (unlockDueRun)
            {
                await connection.ExecuteAsync(new CommandDefinition(RefreshSql.UnlockDueRun, cancellationToken: CancellationToken.None));
            }
        }
        catch (NpgsqlException e)
        {
            // The connection is broken: the server ends its session, and with it the lock.
            logger.LogWarning(e, "Could not reset the refresh connection; closing it");
            await connection.CloseAsync();
        }
    }

    private RefreshResult Logged(RefreshResult result)
    {
        if (result.Status == RefreshStatus.Failed)
        {
            logger.LogWarning("Refresh of {View} failed: {Error} (SQLSTATE {SqlState})", result.View, result.Error, result.ErrorSqlState);
        }
        return result;
    }
}
