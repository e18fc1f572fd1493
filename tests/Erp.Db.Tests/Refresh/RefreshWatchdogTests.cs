using Erp.Db.Refresh;
using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.Refresh;

/// <summary>
/// The refresh watchdog (<c>ops.cancel_overrunning_refreshes</c>) bounds each view of a
/// <c>CALL ops.refresh_due</c> (the pg_cron job) by its registered statement timeout: a view past
/// it is cut, logged failed, and the run goes on; a refresh under its limit is left alone; a cancel
/// from anyone else still stops the run.
/// </summary>
public class RefreshWatchdogTests
{
    private const string SlowView = "mart.mv_aaa_test_slow";

    private const string AdvisoryLocks = """
        SELECT count(*) FROM pg_locks
        WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        """;

    [Fact]
    public async Task A_view_past_its_limit_under_the_due_procedure_is_cut_logged_failed_and_the_run_goes_on()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SlowViewAsync(db, statementTimeout: "1 second");
        var before = await MaxLogIdAsync(db);
        await using var session = await db.DataSource.OpenConnectionAsync();

        var run = Execute(session, "CALL ops.refresh_due('test')");
        await WaitUntilAsync(db, $"SELECT count(*) > 0 FROM ops.overrunning_refreshes() WHERE view_name = '{SlowView}' AND pid = {session.ProcessID}",
            "the slow view's refresh never ran past its limit");
        // erpdb doctor reports the same refresh by the same definition.
        Assert.Equal(1, await db.ScalarAsync<long>($"SELECT count(*) FROM ops.health_problems() WHERE code = 'ERPDB005' AND object_name = '{SlowView}'"));

        var cancelled = await db.ScalarAsync<int>("CALL ops.cancel_overrunning_refreshes()");
        await run;

        Assert.Equal(1, cancelled);
        var slow = await SingleLogAsync(db, before, SlowView);
        Assert.Equal(("failed", "57014"), (slow.Status, slow.SqlState));
        Assert.Contains("statement timeout of 00:00:01", slow.Error);
        Assert.Equal(1, await db.ScalarAsync<int>($"SELECT consecutive_failures FROM ops.mv_registry WHERE view_name = '{SlowView}' AND retry_after IS NOT NULL"));
        // The run went on: every view after the slow one was refreshed in the same run, then the C-class results.
        Assert.Equal(WarehouseViews.Count, await db.ScalarAsync<long>(
            $"SELECT count(*) FROM ops.mv_refresh_log WHERE log_id > {before} AND status = 'succeeded' AND view_name LIKE 'mart.mv\\_%'"));
        Assert.Equal(0, await db.ScalarAsync<long>($"SELECT count(*) FROM ops.mv_refresh_log WHERE log_id > {before} AND status <> 'succeeded' AND view_name <> '{SlowView}'"));
        Assert.Equal(0, await db.ScalarAsync<long>(AdvisoryLocks));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.refresh_cuts"));
    }

    [Fact]
    public async Task A_refresh_under_its_limit_is_not_cancelled_and_a_cancel_without_a_mark_still_stops_the_run()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SlowViewAsync(db, statementTimeout: "1 hour");
        var before = await MaxLogIdAsync(db);
        await using var session = await db.DataSource.OpenConnectionAsync();
        // A mark of an earlier transaction of the same process does not make the cancel a timeout.
        await db.ExecuteAsync($"INSERT INTO ops.refresh_cuts (pid, backend_xact_start, view_name, run_limit) VALUES ({session.ProcessID}, now() - interval '1 minute', '{SlowView}', '1 second')");

        var run = Execute(session, "CALL ops.refresh_due('test')");
        await WaitUntilAsync(db, $"""
            SELECT count(*) > 0 FROM pg_stat_activity AS a
            JOIN ops.refresh_limits() AS lim ON lim.view_name = '{SlowView}'
            JOIN pg_locks AS l ON l.pid = a.pid AND l.locktype = 'advisory' AND l.granted AND l.classid = lim.lock_classid AND l.objid = lim.lock_objid
            WHERE a.pid = {session.ProcessID} AND a.wait_event = 'PgSleep'
            """, "the slow view's refresh never started");

        Assert.Equal(0, await db.ScalarAsync<int>("CALL ops.cancel_overrunning_refreshes()"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.overrunning_refreshes()"));
        Assert.Equal(0, await db.ScalarAsync<long>($"SELECT count(*) FROM ops.mv_refresh_log WHERE log_id > {before}"));
        Assert.Equal("active", await db.ScalarAsync<string>($"SELECT state FROM pg_stat_activity WHERE pid = {session.ProcessID}"));

        await db.ExecuteAsync($"SELECT pg_cancel_backend({session.ProcessID})");
        var stopped = await Assert.ThrowsAsync<PostgresException>(() => run);

        Assert.Equal("57014", stopped.SqlState);
        Assert.Equal("cancelled", (await SingleLogAsync(db, before, SlowView)).Status);
        Assert.Equal(0, await db.ScalarAsync<long>($"SELECT count(*) FROM ops.mv_refresh_log WHERE log_id > {before} AND view_name NOT IN ('{SlowView}', 'ops.refresh_due')"));
        Assert.Equal(0, await db.ScalarAsync<int>($"SELECT consecutive_failures FROM ops.mv_registry WHERE view_name = '{SlowView}'"));
        Assert.Equal(0, await db.ScalarAsync<long>(AdvisoryLocks));
    }

    [Fact]
    public async Task The_worker_runs_the_watchdog_at_every_tick()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SlowViewAsync(db, statementTimeout: "1 second");
        var before = await MaxLogIdAsync(db);
        await using var session = await db.DataSource.OpenConnectionAsync();
        var run = Execute(session, "CALL ops.refresh_due('test')");
        await WaitUntilAsync(db, $"SELECT count(*) > 0 FROM pg_stat_activity WHERE pid = {session.ProcessID} AND wait_event = 'PgSleep'",
            "the slow view's refresh never started");
        var worker = new RefreshWorker(new ViewRefresher(db.DataSource), new RefreshWorkerOptions
        {
            Interval = TimeSpan.FromMilliseconds(200),
            PartitionInterval = Timeout.InfiniteTimeSpan,
            OverdueCheckInterval = Timeout.InfiniteTimeSpan,
            StockCheckInterval = Timeout.InfiniteTimeSpan,
        });

        await worker.StartAsync(CancellationToken.None);
        try
        {
            // Only a cut ends the slow refresh (it sleeps for ten minutes).
            await run;
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        var slow = await SingleLogAsync(db, before, SlowView);
        Assert.Equal(("failed", "57014"), (slow.Status, slow.SqlState));
        Assert.Contains("watchdog", slow.Error);
    }

    /// <summary>A view that sorts first in the due run and sleeps ten minutes when refreshed; every view is due.</summary>
    private static Task SlowViewAsync(TestDatabase db, string statementTimeout) => db.ExecuteAsync($"""
        SET LOCAL ROLE erp_owner;
        CREATE FUNCTION mart.test_delay() RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
        CREATE MATERIALIZED VIEW {SlowView} AS SELECT 1 AS id, mart.test_delay() AS value;
        CREATE UNIQUE INDEX mv_aaa_test_slow_key ON {SlowView} (id);
        SELECT ops.register_view('{SlowView}', '1 minute', '1 hour');
        CREATE OR REPLACE FUNCTION mart.test_delay() RETURNS integer LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(600); RETURN 2; END $$;
        UPDATE ops.mv_registry SET statement_timeout = '{statementTimeout}' WHERE view_name = '{SlowView}';
        UPDATE ops.mv_registry SET last_success_at = now() - interval '1 day';
        """);

    /// <summary>Polls a condition (no timing is asserted: the bound only ends a broken test).</summary>
    private static async Task WaitUntilAsync(TestDatabase db, string condition, string failure)
    {
        for (var i = 0; i < 1200; i++)
        {
            if (await db.ScalarAsync<bool>(condition))
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail(failure);
    }

    private static async Task<(string Status, string? SqlState, string? Error)> SingleLogAsync(TestDatabase db, long before, string view)
    {
        await using var command = db.DataSource.CreateCommand(
            $"SELECT status, error_sqlstate, error_message FROM ops.mv_refresh_log WHERE log_id > {before} AND view_name = '{view}'");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"{view} was not logged");
        var row = (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        Assert.False(await reader.ReadAsync(), $"{view} was logged more than once");
        return row;
    }

    private static async Task<long> MaxLogIdAsync(TestDatabase db) =>
        await db.ScalarAsync<long>("SELECT coalesce(max(log_id), 0) FROM ops.mv_refresh_log");

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
