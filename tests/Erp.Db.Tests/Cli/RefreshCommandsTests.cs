using System.Globalization;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Views;

namespace Erp.Db.Tests.Cli;

public class RefreshCommandsTests
{
    [Fact]
    public async Task Refresh_all_and_views_print_the_json_envelope_and_exit_0()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);

        var refresh = await CliRun.RunAsync("refresh", "--all", "--connection", db.ConnectionString, "--format", "json");
        var views = await CliRun.RunAsync("views", "--connection", db.ConnectionString, "--format", "json");
        var table = await CliRun.RunAsync("views", "--connection", db.ConnectionString, "--format", "table");
        var csv = await CliRun.RunAsync("views", "--connection", db.ConnectionString, "--format", "csv");

        Assert.Equal(0, refresh.ExitCode);
        Assert.True(refresh.Json().GetProperty("success").GetBoolean());
        var results = refresh.Json().GetProperty("data").GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(WarehouseViews.Count + 1, results.Count); // every view and the C-class step
        Assert.All(results, r => Assert.Equal("succeeded", r.GetProperty("status").GetString()));
        // Dependency order, then by name: cohorts are built on segments, so segments come first.
        Assert.Equal("mart.mv_customer_segments", results[0].GetProperty("view").GetString());
        Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM mart.mv_daily_sales"),
            results.Single(r => r.GetProperty("view").GetString() == "mart.mv_daily_sales").GetProperty("rows").GetInt64());
        Assert.Equal(WarehouseViews.Count, await db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_refresh_log WHERE refresh_trigger = 'cli' AND status = 'succeeded' AND view_name LIKE 'mart.mv\\_%'"));

        Assert.Equal(0, views.ExitCode);
        var list = views.Json().GetProperty("data").GetProperty("views").EnumerateArray().ToList();
        Assert.Equal(WarehouseViews.Count, list.Count);
        Assert.All(list, v => Assert.True(v.GetProperty("healthy").GetBoolean()));
        Assert.All(list, v => Assert.False(v.GetProperty("stale").GetBoolean()));
        Assert.Equal(0, list.Single(v => v.GetProperty("view").GetString() == "mart.mv_daily_sales").GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal(0, views.Json().GetProperty("data").GetProperty("unhealthy").GetInt32());
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("mv_daily_sales", table.Output);
        Assert.Contains("all healthy", table.Output);
        // CSV: the JSON's names and raw values (a full view name, an ISO timestamp, true/false), not the table's display text.
        var lines = csv.Csv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("view,rows,lastRefresh,lastDurationMs,status,", lines[0], StringComparison.Ordinal);
        var daily = lines.Single(l => l.StartsWith("mart.mv_daily_sales,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM mart.mv_daily_sales"), long.Parse(daily[1], CultureInfo.InvariantCulture));
        Assert.True(DateTimeOffset.TryParse(daily[2], CultureInfo.InvariantCulture, DateTimeStyles.None, out _), daily[2]);
        Assert.Equal(WarehouseViews.Count + 1, lines.Length);
    }

    [Fact]
    public async Task Refresh_all_reports_views_refresh_takes_by_name_and_the_c_class_step_as_a_step()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);

        var all = await CliRun.RunAsync("refresh", "--all", "--connection", db.ConnectionString, "--format", "json");
        var reported = all.Json().GetProperty("data").GetProperty("results").EnumerateArray().Select(r => r.GetProperty("view").GetString()!).ToList();
        string[] views = [.. reported.SkipLast(1)];
        var named = await CliRun.RunAsync(["refresh", .. views, "--connection", db.ConnectionString, "--format", "json"]);

        Assert.Equal(0, all.ExitCode);
        // The C-class recompute comes last under its step's name, not under one of the tables it writes (mart.target_achievement).
        Assert.Equal("ops.compute_c_class", reported[^1]);
        Assert.True(named.ExitCode == 0, named.Output);
        Assert.Equal(views, named.Json().GetProperty("data").GetProperty("results").EnumerateArray().Select(r => r.GetProperty("view").GetString()));
    }

    [Fact]
    public async Task Views_for_a_reader_shows_the_freshness_it_may_see_and_says_so()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        var refresh = await CliRun.RunAsync("refresh", "mart.mv_daily_sales", "--connection", db.ConnectionString, "--format", "json");
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 1)");

        var json = await CliRun.RunAsync("views", "--connection", reader.ConnectionString, "--format", "json");
        var table = await CliRun.RunAsync("views", "--connection", reader.ConnectionString, "--format", "table");
        var owner = await CliRun.RunAsync("views", "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(0, refresh.ExitCode);
        Assert.True(json.ExitCode == 0, json.Output + json.Error);
        Assert.Equal("ops.view_freshness()", json.Json().GetProperty("data").GetProperty("source").GetString());
        var views = json.Json().GetProperty("data").GetProperty("views").EnumerateArray().ToList();
        Assert.Equal(await reader.ScalarAsync<long>("SELECT count(*) FROM ops.view_freshness()"), views.Count);
        var daily = views.Single(v => v.GetProperty("view").GetString() == "mart.mv_daily_sales");
        Assert.Equal(await db.ScalarAsync<DateTime>("SELECT last_success_at FROM ops.mv_registry WHERE view_name = 'mart.mv_daily_sales'"),
            daily.GetProperty("lastRefresh").GetDateTimeOffset().UtcDateTime);
        Assert.False(daily.GetProperty("stale").GetBoolean());
        Assert.False(daily.GetProperty("failing").GetBoolean());
        Assert.False(daily.TryGetProperty("rows", out _)); // row counts would tell a scoped reader about other merchants
        Assert.Equal(views.Count(v => v.GetProperty("stale").GetBoolean() || v.GetProperty("failing").GetBoolean()),
            json.Json().GetProperty("data").GetProperty("unhealthy").GetInt32());
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("mv_daily_sales", table.Output);
        Assert.Contains("freshness only", table.Output);
        Assert.Equal("ops.view_status()", owner.Json().GetProperty("data").GetProperty("source").GetString());
    }

    [Fact]
    public async Task Refresh_of_named_views_runs_them_in_dependency_order_and_due_refreshes_what_is_dirty()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);

        var named = await CliRun.RunAsync("refresh", "mv_weekly_sales", "mart.mv_daily_sales", "--connection", db.ConnectionString, "--format", "json");
        await SalesDataset.AddOrderAsync(db, "cli-1", 10m);
        var due = await CliRun.RunAsync("refresh", "--due", "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(0, named.ExitCode);
        Assert.Equal(["mart.mv_daily_sales", "mart.mv_weekly_sales"],
            named.Json().GetProperty("data").GetProperty("results").EnumerateArray().Select(r => r.GetProperty("view").GetString()));
        Assert.Equal(0, due.ExitCode);
        Assert.Contains("mart.mv_daily_sales", due.Json().GetProperty("data").GetProperty("results").EnumerateArray().Select(r => r.GetProperty("view").GetString()));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.view_status() WHERE is_dirty"));
    }

    [Fact]
    public async Task Refresh_full_rebuilds_incremental_aggregates_from_scratch_and_a_named_refresh_only_what_changed()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        var before = await db.ScalarAsync<long>("SELECT coalesce(max(log_id), 0) FROM ops.mv_refresh_log");

        await SalesDataset.AddOrderAsync(db, "cli-full-1", 10m);
        var named = await CliRun.RunAsync("refresh", "mv_daily_sales", "--connection", db.ConnectionString, "--format", "json");
        var namedFull = await CliRun.RunAsync("refresh", "mv_weekly_sales", "--full", "--connection", db.ConnectionString, "--format", "json");
        var full = await CliRun.RunAsync("refresh", "--full", "--connection", db.ConnectionString, "--format", "json");
        var dueFull = await CliRun.RunAsync("refresh", "--due", "--full", "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(0, named.ExitCode);
        Assert.Equal(0, namedFull.ExitCode);
        Assert.Equal(0, full.ExitCode);
        Assert.Equal(WarehouseViews.Count + 1, full.Json().GetProperty("data").GetProperty("results").GetArrayLength());
        Assert.Equal(2, dueFull.ExitCode);
        var modes = await db.ScalarAsync<string>($"""
            SELECT string_agg(view_name || '=' || refresh_mode, ',' ORDER BY log_id) FROM ops.mv_refresh_log
            WHERE log_id > {before} AND view_name IN ('mart.mv_daily_sales', 'mart.mv_weekly_sales')
            """);
        Assert.Equal("mart.mv_daily_sales=incremental,mart.mv_weekly_sales=full,mart.mv_daily_sales=full,mart.mv_weekly_sales=full", modes);
    }

    [Fact]
    public async Task An_unknown_view_is_a_validation_error_naming_the_known_views_with_exit_2()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();

        var run = await CliRun.RunAsync("refresh", "mv_no_such_view", "--connection", db.ConnectionString, "--format", "json");
        var none = await CliRun.RunAsync("refresh", "--connection", db.ConnectionString, "--format", "json");
        var badInterval = await CliRun.RunAsync("refresh", "--watch", "--interval", "soon", "--connection", db.ConnectionString, "--format", "json");
        var word = await CliRun.RunAsync("refresh", "all", "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("views", run.Json().GetProperty("error").GetProperty("details").GetProperty("field").GetString());
        // An option typed as a view name is named.
        Assert.Equal(2, word.ExitCode);
        Assert.EndsWith("'all' is not a view: did you mean --all?", word.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        var error = run.Json().GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
        Assert.Contains("mart.mv_no_such_view", error.GetProperty("message").GetString());
        Assert.Contains("mart.mv_daily_sales", error.GetProperty("message").GetString());
        Assert.Equal(WarehouseViews.Count, error.GetProperty("details").GetProperty("known").GetArrayLength());
        Assert.Equal(2, none.ExitCode);
        Assert.Equal("VALIDATION_ERROR", none.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(2, badInterval.ExitCode);
    }

    [Fact]
    public async Task A_failing_view_makes_refresh_exit_1_with_every_result_in_the_details()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync("""
            SET LOCAL ROLE erp_owner;
            CREATE FUNCTION mart.cli_value() RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
            CREATE MATERIALIZED VIEW mart.mv_cli_failing AS SELECT 1 AS id, mart.cli_value() AS value;
            SELECT ops.register_view('mart.mv_cli_failing', '1 minute', '1 hour', false);
            CREATE OR REPLACE FUNCTION mart.cli_value() RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'broken on purpose'; END $$;
            """);

        var run = await CliRun.RunAsync("refresh", "--all", "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(1, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal("REFRESH_FAILED", error.GetProperty("code").GetString());
        Assert.Contains("broken on purpose", error.GetProperty("message").GetString());
        // Every warehouse view and the C-class recompute; only the added view fails.
        Assert.Equal(WarehouseViews.Count + 1, error.GetProperty("details").GetProperty("results").EnumerateArray().Count(r => r.GetProperty("status").GetString() == "succeeded"));
    }

    [Fact]
    public async Task Watch_refreshes_what_is_due_until_stopped_and_exits_0()
    {
        await using var f = await Queries.QueryFixture.CreateAsync();
        await Views.SalesDataset.AddOrderAsync(f.Db, "watched-1", 77m);
        using var stop = new CancellationTokenSource();
        const string watchedRefreshes = "SELECT count(*) FROM ops.mv_refresh_log WHERE refresh_trigger = 'watch' AND status = 'succeeded' AND view_name = 'mart.mv_daily_sales'";

        var watching = CliRun.RunAsync(null, stop.Token, "refresh", "--watch", "--interval", "1s", "--connection", f.Db.ConnectionString, "--format", "json");
        // Stop it (as Ctrl+C does) once a run has refreshed the dirty view and left nothing dirty, however slow the machine.
        for (var waited = 0; waited < 240 && !watching.IsCompleted
             && (await f.Db.ScalarAsync<long>(watchedRefreshes) == 0 || await f.Db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_invalidations") > 0); waited++)
        {
            await Task.Delay(500);
        }
        await Task.Delay(TimeSpan.FromSeconds(2)); // the run's C-class recompute and log purge
        await stop.CancelAsync();
        var run = await watching;

        Assert.Equal(0, run.ExitCode);
        Assert.True(run.Json().GetProperty("data").GetProperty("runs").GetInt32() >= 1);
        Assert.True(await f.Db.ScalarAsync<long>(watchedRefreshes) >= 1);
        Assert.Equal(0, await f.Db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_invalidations WHERE view_name = 'mart.mv_daily_sales'"));
    }
}
