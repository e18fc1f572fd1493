using Dapper;
using Erp.Db.Partitions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Erp.Db.Refresh;

/// <summary>
/// A hosted service that runs the due refresh (<c>ops.refresh_due</c>) every
/// <see cref="RefreshWorkerOptions.Interval"/>: the scheduler for servers without pg_cron, and the
/// engine of <c>erpdb refresh --watch</c>. It also keeps the fact partitions ahead
/// (<c>dw.ensure_partitions</c>) every <see cref="RefreshWorkerOptions.PartitionInterval"/>, as the
/// daily pg_cron job does, and runs the scheduled checks of the pg_cron jobs: the overdue check
/// (<c>dw.mark_overdue_receivables</c>, daily) and the low-stock check (<c>dw.check_stock_levels</c>,
/// every six hours). At every tick, before the due refresh, it runs the refresh watchdog
/// (<c>ops.cancel_overrunning_refreshes</c>, as the pg_cron job does every minute): refreshes of
/// other sessions past their statement timeout, such as a <c>CALL ops.refresh_due</c>, are
/// cancelled and logged as failed. Several workers (or a worker and pg_cron) may run against one
/// database: overlapping due refreshes skip in the database. Stopping the worker cancels the
/// run in progress: the view being refreshed is logged as cancelled and the run stops. As the pg_cron
/// jobs, no step waits long for a lock (<c>ops.scheduled_lock_timeout</c>): behind a long transaction
/// (a seed, an import, DDL) a view is logged as skipped and a check or the partitions run again later.
/// </summary>
public sealed class RefreshWorker : BackgroundService
{
    private readonly ViewRefresher refresher;
    private readonly RefreshWorkerOptions options;
    private readonly ILogger logger;
    private readonly PartitionKeeper partitions;
    private long runs;
    private DateTimeOffset? partitionsEnsuredAt;
    private DateTimeOffset? overdueCheckedAt;
    private DateTimeOffset? stockCheckedAt;

    /// <summary>Creates the worker.</summary>
    /// <param name="refresher">Runs the refreshes.</param>
    /// <param name="options">Interval and trigger; by default every minute as <c>worker</c>.</param>
    /// <param name="logger">Where each run is reported; by default nowhere.</param>
    /// <param name="partitions">Keeps the partitions ahead; by default one over the refresher's database.</param>
    public RefreshWorker(ViewRefresher refresher, RefreshWorkerOptions? options = null, ILogger<RefreshWorker>? logger = null, PartitionKeeper? partitions = null)
    {
        this.refresher = refresher;
        this.partitions = partitions ?? new PartitionKeeper(refresher.DataSource);
        this.options = options ?? new RefreshWorkerOptions();
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Due refreshes run so far (successful calls, whatever they refreshed).</summary>
    public long Runs => Interlocked.Read(ref runs);

    /// <summary>Raised after each run with what it refreshed (empty when nothing was due or another run held the lock).</summary>
    public event EventHandler<IReadOnlyList<RefreshResult>>? RunCompleted;

    /// <summary>Raised after each run of <c>dw.ensure_partitions</c> with the number of partitions it created.</summary>
    public event EventHandler<int>? PartitionsEnsured;

    /// <summary>Raised after each scheduled check with its SQL function's name (<c>dw.mark_overdue_receivables</c> or <c>dw.check_stock_levels</c>).</summary>
    public event EventHandler<string>? CheckCompleted;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Interval);
        do
        {
            // Its own refreshes are bounded by their statement timeouts; this bounds everyone else's.
            await CancelOverrunningRefreshesAsync(stoppingToken);
            try
            {
                var results = await refresher.RefreshDueAsync(options.Trigger, stoppingToken);
                Interlocked.Increment(ref runs);
                // A tick with nothing due (most of them) is Debug: an app's log at Information shows only what changed.
                logger.Log(results.Count == 0 ? LogLevel.Debug : LogLevel.Information, "Due refresh: {Succeeded} refreshed, {Failed} failed, {Skipped} skipped",
                    results.Count(r => r.Status == RefreshStatus.Succeeded), results.Count(r => r.Status == RefreshStatus.Failed),
                    results.Count(r => r.Status == RefreshStatus.Skipped));
                RunCompleted?.Invoke(this, results);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException or WarehouseNotMigratedException
                or WarehouseAccessException && !stoppingToken.IsCancellationRequested)
            {
                // The database is unreachable, busy or not migrated yet, or someone cancelled the run there (it is
                // logged): try again at the next tick. Stopping the worker cancels the current run.
                LogFailure(e, "Due refresh");
            }
            // After the due refresh, so that it never delays one.
            await EnsurePartitionsIfDueAsync(stoppingToken);
            overdueCheckedAt = await RunCheckIfDueAsync("dw.mark_overdue_receivables", "receivables marked overdue", RefreshSql.MarkOverdue,
                options.OverdueCheckInterval, overdueCheckedAt, stoppingToken);
            stockCheckedAt = await RunCheckIfDueAsync("dw.check_stock_levels", "low or out of stock alerts raised or refreshed", RefreshSql.CheckStockLevels,
                options.StockCheckInterval, stockCheckedAt, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Runs the refresh watchdog; a failure (unreachable, not migrated, not allowed) is logged and retried at the next tick.</summary>
    private async Task CancelOverrunningRefreshesAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var connection = await refresher.DataSource.OpenConnectionAsync(stoppingToken);
            var cancelled = await connection.ExecuteScalarAsync<int>(new CommandDefinition(RefreshSql.CancelOverrunning, cancellationToken: stoppingToken));
            if (cancelled > 0)
            {
                logger.LogWarning("Refresh watchdog: cancelled {Cancelled} view refreshes running past their statement timeout", cancelled);
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
        {
            LogFailure(e, "Refresh watchdog (ops.cancel_overrunning_refreshes)");
        }
    }

    /// <summary>Runs dw.ensure_partitions at the first tick and then once every PartitionInterval.</summary>
    private async Task EnsurePartitionsIfDueAsync(CancellationToken stoppingToken)
    {
        if (options.PartitionInterval == Timeout.InfiniteTimeSpan
            || (partitionsEnsuredAt is { } last && DateTimeOffset.UtcNow - last < options.PartitionInterval))
        {
            return;
        }
        try
        {
            var created = await partitions.EnsureScheduledAsync(stoppingToken);
            partitionsEnsuredAt = DateTimeOffset.UtcNow;
            logger.Log(created == 0 ? LogLevel.Debug : LogLevel.Information, "Partitions kept ahead (dw.ensure_partitions): {Created} created", created);
            PartitionsEnsured?.Invoke(this, created);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or WarehouseNotMigratedException or WarehouseAccessException
            && !stoppingToken.IsCancellationRequested)
        {
            // Unreachable, busy, not migrated yet, or not allowed (the login lacks erp_writer): retry at the next tick.
            LogFailure(e, "dw.ensure_partitions");
        }
    }

    /// <summary>Runs one scheduled check at the first tick and then once every interval; returns when it last ran.</summary>
    private async Task<DateTimeOffset?> RunCheckIfDueAsync(string name, string counted, string sql, TimeSpan interval, DateTimeOffset? last, CancellationToken stoppingToken)
    {
        if (interval == Timeout.InfiniteTimeSpan || (last is { } at && DateTimeOffset.UtcNow - at < interval))
        {
            return last;
        }
        try
        {
            // As the pg_cron jobs: bounded lock waits, so that behind a long transaction the check fails and runs again at the next tick.
            await using var connection = await refresher.DataSource.OpenConnectionAsync(stoppingToken);
            await using var transaction = await connection.BeginTransactionAsync(stoppingToken);
            await connection.ExecuteAsync(new CommandDefinition(RefreshSql.SetScheduledLockTimeout, new { local = true }, transaction, cancellationToken: stoppingToken));
            var count = await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, transaction: transaction, commandTimeout: 0, cancellationToken: stoppingToken));
            await transaction.CommitAsync(stoppingToken);
            logger.Log(count == 0 ? LogLevel.Debug : LogLevel.Information, "{Check}: {Count} {Counted}", name, count, counted);
            CheckCompleted?.Invoke(this, name);
            return DateTimeOffset.UtcNow;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
        {
            LogFailure(e, name);
            return last;
        }
    }

    /// <summary>
    /// Logs a failed step that the next tick retries. A login the database refuses (SQLSTATE 42501: a reading app's
    /// <c>erp_reader</c> login, say) gets one line that names the role the worker needs instead of a stack trace at every tick:
    /// no retry fixes it, the registration does.
    /// </summary>
    private void LogFailure(Exception e, string step)
    {
        var denied = e as PostgresException ?? e.InnerException as PostgresException;
        if (denied?.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            logger.LogError("{Step} failed: {Reason}. The refresh worker needs a login in erp_writer (or the owner); this one may not run it. "
                + "Register AddErpDbRefreshWorker in an app whose ErpDb:ConnectionString is such a login, or leave refreshing to pg_cron "
                + "(docs/library.md). Retrying in {Interval}", step, denied.MessageText, options.Interval);
            return;
        }
        logger.LogError(e, "{Step} failed; retrying in {Interval}", step, options.Interval);
    }
}
