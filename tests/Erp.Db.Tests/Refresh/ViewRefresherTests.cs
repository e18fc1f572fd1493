using Erp.Db.Refresh;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Views;
using Microsoft.Extensions.Logging;

namespace Erp.Db.Tests.Refresh;

public class ViewRefresherTests
{
    /// <summary>
    /// A due refresh, the library's and the procedure pg_cron calls alike, first gives a partitioned fact written by other means
    /// than ingest the statistics of its own that joins with it are estimated on (ops.analyze_stale_parents), then refreshes.
    /// </summary>
    [Theory]
    [InlineData("library")]
    [InlineData("procedure")]
    public async Task A_due_refresh_first_gives_the_orders_written_by_hand_statistics_of_their_own(string run)
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_sales_orders (merchant_id, shop_id, order_no, order_date, ordered_at, gmv, status)
            SELECT o.merchant_id, o.shop_id, o.order_no || '-copy-' || n, o.order_date, o.ordered_at, o.gmv, o.status
            FROM dw.fact_sales_orders AS o, generate_series(1, 1000 / (SELECT count(*) FROM dw.fact_sales_orders) + 1) AS n;
            """);
        // The partitions' counts, as autovacuum would take them; the parent's own, never.
        await db.AnalyzePartitionsAsync("dw.fact_sales_orders");
        const string Parent = """
            SELECT c.reltuples::bigint = (SELECT count(*) FROM dw.fact_sales_orders)
                   AND EXISTS (SELECT 1 FROM pg_stats AS s WHERE s.schemaname = 'dw' AND s.tablename = 'fact_sales_orders' AND s.inherited)
            FROM pg_class AS c WHERE c.oid = 'dw.fact_sales_orders'::regclass
            """;
        var before = await db.ScalarAsync<bool>(Parent);

        if (run == "library")
        {
            await new ViewRefresher(db.DataSource).RefreshDueAsync("test");
        }
        else
        {
            await db.ExecuteAsync("CALL ops.refresh_due('test')");
        }

        Assert.False(before);
        Assert.True(await db.ScalarAsync<bool>(Parent), "the due refresh should have analysed the partitioned orders as a whole");
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_refresh_log WHERE refresh_trigger = 'test' AND status <> 'succeeded'"));
    }

    /// <summary>A token passed alone (as every async .NET API takes it) is the token, the trigger "manual".</summary>
    [Fact]
    public async Task A_cancellation_token_passed_alone_refreshes_with_the_manual_trigger_and_cancels()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        var refresher = new ViewRefresher(db.DataSource);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var lastLog = await db.ScalarAsync<long>("SELECT coalesce(max(log_id), 0) FROM ops.mv_refresh_log");

        var one = await refresher.RefreshAsync(["mv_user_activity_daily"], CancellationToken.None);
        var all = await refresher.RefreshAllAsync(CancellationToken.None);
        var rebuilt = await refresher.RebuildAsync(["mv_daily_sales"], CancellationToken.None);
        await SalesDataset.AddOrderAsync(db, "lib-token", 5m);
        var due = await refresher.RefreshDueAsync(CancellationToken.None);

        Assert.Equal(RefreshStatus.Succeeded, Assert.Single(one).Status);
        Assert.Equal(WarehouseViews.Count, all.Count(r => r.View.StartsWith("mart.", StringComparison.Ordinal)));
        Assert.Equal(RefreshStatus.Succeeded, Assert.Single(rebuilt).Status);
        Assert.Contains(due, r => r.View == "mart.mv_daily_sales" && r.Status == RefreshStatus.Succeeded);
        Assert.Equal(["manual"], await db.ScalarAsync<string[]>($"SELECT array_agg(DISTINCT refresh_trigger) FROM ops.mv_refresh_log WHERE log_id > {lastLog} AND view_name LIKE 'mart.%'") ?? []);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => refresher.RefreshDueAsync(cancelled.Token));
    }

    [Fact]
    public async Task The_refresher_reports_typed_results_and_status()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        var refresher = new ViewRefresher(db.DataSource);

        var one = await refresher.RefreshAsync(["mv_user_activity_daily"], "test");
        var activityRows = await db.ScalarAsync<long>("SELECT count(*) FROM mart.mv_user_activity_daily");
        await SalesDataset.AddOrderAsync(db, "lib-1", 5m);
        var due = await refresher.RefreshDueAsync("test");
        var again = await refresher.RefreshDueAsync("test");
        var status = await refresher.GetStatusAsync();

        // An incremental aggregate (a table: never CONCURRENTLY).
        var activity = Assert.Single(one);
        Assert.Equal(RefreshStatus.Succeeded, activity.Status);
        Assert.False(activity.Concurrently);
        Assert.Equal(activityRows, activity.RowCount);
        // An incremental aggregate keeps its row count from the rows it deleted and inserted.
        var dailyRows = await db.ScalarAsync<long>("SELECT count(*) FROM mart.mv_daily_sales");
        Assert.Contains(due, r => r.View == "mart.mv_daily_sales" && r.Status == RefreshStatus.Succeeded && r.RowCount == dailyRows);
        Assert.Contains(due, r => r.View == "ops.compute_c_class");
        Assert.Empty(again);
        Assert.Equal(WarehouseViews.Count, status.Count);
        Assert.All(status, s => Assert.True(s.Healthy && !s.PendingChanges && s.LastRefresh is not null && s.AgeSeconds < s.StaleAfterSeconds));
        Assert.Equal(["mart.mv_daily_sales"], status.Single(s => s.View == "mart.mv_weekly_sales").DependsOn);
        await Assert.ThrowsAsync<UnknownViewException>(() => refresher.RefreshAsync(["mart.mv_missing"]));
    }

    [Fact]
    public async Task The_worker_runs_the_due_refresh_until_stopped()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await SalesDataset.AddOrderAsync(db, "worker-1", 5m);
        var log = new ListLogger<RefreshWorker>();
        var worker = new RefreshWorker(new ViewRefresher(db.DataSource), new RefreshWorkerOptions { Interval = TimeSpan.FromMilliseconds(200) }, log);
        var firstRun = new TaskCompletionSource<IReadOnlyList<RefreshResult>>();
        worker.RunCompleted += (_, results) => firstRun.TrySetResult(results);

        await worker.StartAsync(CancellationToken.None);
        var results = await firstRun.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await worker.StopAsync(CancellationToken.None);

        Assert.Contains(results, r => r.View == "mart.mv_daily_sales" && r.Status == RefreshStatus.Succeeded && r.Trigger == "worker");
        // A run that refreshed something is reported at Information.
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Information
            && e.Message == $"Due refresh: {results.Count(r => r.Status == RefreshStatus.Succeeded)} refreshed, 0 failed, 0 skipped");
        Assert.True(worker.Runs >= 1);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.view_status() WHERE is_dirty"));
    }

    [Fact]
    public async Task A_tick_with_nothing_to_do_logs_at_debug_only()
    {
        // An app's log at Information (the templates' default) gets no line a minute from an idle worker.
        await using var db = await TestDatabase.CreateMigratedAsync();
        await new ViewRefresher(db.DataSource).RefreshAllAsync("test");
        var log = new ListLogger<RefreshWorker>();
        var worker = new RefreshWorker(new ViewRefresher(db.DataSource), new RefreshWorkerOptions { Interval = TimeSpan.FromHours(1) }, log);
        var stockChecked = new TaskCompletionSource();
        worker.CheckCompleted += (_, name) =>
        {
            if (name == "dw.check_stock_levels")
            {
                stockChecked.TrySetResult();
            }
        };

        await worker.StartAsync(CancellationToken.None);
        await stockChecked.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(
            ["Due refresh: 0 refreshed, 0 failed, 0 skipped", "Partitions kept ahead (dw.ensure_partitions): 0 created",
             "dw.mark_overdue_receivables: 0 receivables marked overdue", "dw.check_stock_levels: 0 low or out of stock alerts raised or refreshed"],
            log.Entries.Select(e => e.Message));
        Assert.All(log.Entries, e => Assert.Equal(LogLevel.Debug, e.Level));
    }

    [Fact]
    public async Task A_worker_on_a_reading_login_names_the_role_it_needs_once_per_step_without_a_stack_trace()
    {
        // docs/library.md registers the worker next to AddErpDb; with a reading app's login every step is refused.
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        var log = new ListLogger<RefreshWorker>();
        var worker = new RefreshWorker(new ViewRefresher(reader.DataSource), new RefreshWorkerOptions { Interval = TimeSpan.FromHours(1) }, log);

        await worker.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => log.Entries.Count(e => e.Level == LogLevel.Error) >= 5);
        await worker.StopAsync(CancellationToken.None);

        var errors = log.Entries.Where(e => e.Level == LogLevel.Error).ToList();
        Assert.Equal(5, errors.Count); // watchdog, due refresh, partitions, overdue check, stock check
        Assert.All(errors, e => Assert.Contains("needs a login in erp_writer", e.Message));
        Assert.All(errors, e => Assert.Null(e.Exception));
        Assert.Contains(errors, e => e.Message.StartsWith("Due refresh failed: permission denied", StringComparison.Ordinal));
        Assert.Equal(0, worker.Runs);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }
}
