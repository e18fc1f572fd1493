using Erp.Db.Refresh;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Views;
using Npgsql;

namespace Erp.Db.Tests.Refresh;

/// <summary>
/// Refreshers exclude each other with locks only they can take (rows of ops tables); the advisory
/// keys any login may take are only marks for monitoring: a reader holding them stops nothing.
/// </summary>
public class RefreshLockTests
{
    private const string ViewKey = "hashtext('erpdb.refresh_view'), hashtext('mart.mv_daily_sales')";
    private const string CohortsKey = "hashtext('erpdb.refresh_view'), hashtext('mart.mv_customer_cohorts')";
    private const string DueKey = "hashtextextended('erpdb.refresh_due', 0)";
    private const string CClassKey = "hashtextextended('erpdb.compute_c_class', 0)";

    [Fact]
    public async Task A_reader_holding_a_views_refresh_key_does_not_stop_its_refresh()
    {
        await using var db = await ReadyAsync();
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        await using var squatter = await SquatAsync(reader, ViewKey);
        await SalesDataset.AddOrderAsync(db, "LOCK-VIEW-1", 123.45m);
        Assert.True(await DifferenceAsync(db, "mart.mv_daily_sales") > 0);

        await using var refresher = await writer.DataSource.OpenConnectionAsync();
        var warnings = Warnings(refresher);
        var status = await Scalar<string>(refresher, "SELECT (ops.refresh_view('mart.mv_daily_sales', 'test')).status");

        Assert.Equal("succeeded", status);
        Assert.Equal(0, await DifferenceAsync(db, "mart.mv_daily_sales"));
        Assert.Equal("succeeded", await db.ScalarAsync<string>(
            "SELECT status FROM ops.mv_refresh_log WHERE view_name = 'mart.mv_daily_sales' ORDER BY log_id DESC LIMIT 1"));
        var warning = Assert.Single(warnings);
        Assert.Contains($"process {squatter.ProcessID} ({reader.Name}", warning);
        // The reader's lock is untouched: it still holds its key.
        Assert.Equal(1, await HeldAsync(db, squatter));
    }

    [Fact]
    public async Task Two_refreshers_of_one_view_still_give_one_skipped_while_a_reader_holds_its_key()
    {
        await using var db = await ReadyAsync();
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        await using var squatter = await SquatAsync(reader, ViewKey);
        await using var first = await writer.DataSource.OpenConnectionAsync();
        await using var second = await writer.DataSource.OpenConnectionAsync();

        await using (var transaction = await first.BeginTransactionAsync())
        {
            Assert.Equal("succeeded", await Scalar<string>(first, "SELECT (ops.refresh_view('mart.mv_daily_sales', 'test')).status"));
            Assert.Equal("skipped", await Scalar<string>(second, "SELECT (ops.refresh_view('mart.mv_daily_sales', 'test')).status"));
            await transaction.CommitAsync();
        }

        Assert.Equal("succeeded", await Scalar<string>(second, "SELECT (ops.refresh_view('mart.mv_daily_sales', 'test')).status"));
    }

    [Fact]
    public async Task A_reader_holding_the_due_runs_keys_does_not_stop_the_due_refresh()
    {
        await using var db = await ReadyAsync();
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        await using var squatter = await SquatAsync(reader, ViewKey, CohortsKey, DueKey, CClassKey);
        await SalesDataset.AddOrderAsync(db, "LOCK-DUE-1", 77m);
        var before = await MaxLogIdAsync(db);

        await using var session = await writer.DataSource.OpenConnectionAsync();
        var warnings = Warnings(session);
        // A regression would hang on the C-class lock: fail fast instead.
        await Execute(session, "SET statement_timeout = '30s'");
        await Execute(session, "CALL ops.refresh_due('test')");

        var logged = await LoggedAsync(db, before);
        Assert.Contains(("mart.mv_daily_sales", "succeeded"), logged);
        Assert.Contains(("mart.mv_customer_segments", "succeeded"), logged);
        Assert.Contains(("mart.mv_customer_cohorts", "succeeded"), logged);
        Assert.Contains(("ops.compute_c_class", "succeeded"), logged);
        Assert.DoesNotContain(logged, l => l.Status != "succeeded");
        Assert.Equal(0, await DifferenceAsync(db, "mart.mv_daily_sales"));
        Assert.Contains(warnings, w => w.Contains("due refresh") && w.Contains($"process {squatter.ProcessID} ({reader.Name}"));
        Assert.Contains(warnings, w => w.Contains("mart.mv_daily_sales") && w.Contains($"process {squatter.ProcessID} ({reader.Name}"));

        // The library's due run (RefreshWorker, erpdb refresh --due) goes on too, and leaves the reader's lock alone.
        await SalesDataset.AddOrderAsync(db, "LOCK-DUE-2", 88m);
        var results = await new ViewRefresher(writer.DataSource).RefreshDueAsync("test");
        Assert.Contains(results, r => r.View == "mart.mv_daily_sales" && r.Status == RefreshStatus.Succeeded);
        Assert.Equal(0, await DifferenceAsync(db, "mart.mv_daily_sales"));
        Assert.Equal(4, await HeldAsync(db, squatter));
    }

    [Fact]
    public async Task A_due_run_still_skips_while_another_due_refresher_holds_the_run_lock()
    {
        await using var db = await ReadyAsync();
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        await using var running = await writer.DataSource.OpenConnectionAsync();
        Assert.Equal("locked", await Scalar<string>(running, "SELECT ops.try_lock_due_run()"));
        await SalesDataset.AddOrderAsync(db, "LOCK-DUE-3", 55m);
        var before = await MaxLogIdAsync(db);

        await using var session = await writer.DataSource.OpenConnectionAsync();
        Assert.Equal("running", await Scalar<string>(session, "SELECT ops.try_lock_due_run()"));
        await Execute(session, "CALL ops.refresh_due('test')");
        Assert.Empty(await new ViewRefresher(writer.DataSource).RefreshDueAsync("test"));
        Assert.Empty(await LoggedAsync(db, before));

        await Execute(running, $"SELECT pg_advisory_unlock({DueKey})");
        await Execute(session, "CALL ops.refresh_due('test')");
        Assert.Contains(("mart.mv_daily_sales", "succeeded"), await LoggedAsync(db, before));
        Assert.Equal(0, await HeldAsync(db, session));
    }

    [Fact]
    public async Task A_reader_holding_the_c_class_key_does_not_hang_the_recompute_but_two_recomputes_still_take_turns()
    {
        await using var db = await ReadyAsync();
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        await using var squatter = await SquatAsync(reader, CClassKey);
        await using var first = await writer.DataSource.OpenConnectionAsync();
        await using var second = await writer.DataSource.OpenConnectionAsync();
        // A regression waits for the reader's key: the timeout ends the test instead of hanging it.
        await Execute(first, "SET statement_timeout = '10s'");
        await Execute(second, "SET lock_timeout = '1s'");

        await using (var transaction = await first.BeginTransactionAsync())
        {
            Assert.Equal("succeeded", await Scalar<string>(first, "SELECT status FROM ops.recompute_c_class('test')"));
            // The first run's transaction is open: the second waits for it, here until its lock timeout.
            // Giving up at the caller's own lock timeout is a skip, not a failure: the changed ranges wait for the next run.
            Assert.Equal("skipped 55P03", await Scalar<string>(second, "SELECT status || ' ' || error_sqlstate FROM ops.recompute_c_class('test')"));
            await transaction.CommitAsync();
        }

        Assert.Equal("succeeded", await Scalar<string>(second, "SELECT status FROM ops.recompute_c_class('test')"));
        Assert.Equal(1, await HeldAsync(db, squatter));
    }

    [Fact]
    public async Task A_due_run_skips_what_a_long_transaction_holds_instead_of_waiting_and_refreshes_it_once_released()
    {
        await using var db = await ReadyAsync();
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        await using var session = await writer.DataSource.OpenConnectionAsync();
        // A regression waits for the holder: the statement timeout ends the test instead of hanging it.
        await Execute(session, "SET statement_timeout = '60s'");
        await using var holder = await db.DataSource.OpenConnectionAsync();

        // What a seed holds for its whole load (it truncates dw.alerts): every refresh updates the registry, whose trigger
        // maintains the view alerts there. The refresh leaves them for later rather than wait.
        await SalesDataset.AddOrderAsync(db, "LOCK-LONG-1", 42m);
        var before = await MaxLogIdAsync(db);
        await using (var seed = await holder.BeginTransactionAsync())
        {
            await Execute(holder, "LOCK TABLE dw.alerts IN ACCESS EXCLUSIVE MODE");
            await Execute(session, "CALL ops.refresh_due('test')");
            Assert.Contains(("mart.mv_daily_sales", "succeeded"), await LoggedAsync(db, before));
            Assert.Equal(0, await DifferenceAsync(db, "mart.mv_daily_sales"));
            await seed.RollbackAsync();
        }

        // A transaction holding a fact the views read: the due run skips them, naming the holder, and they stay dirty.
        await SalesDataset.AddOrderAsync(db, "LOCK-LONG-2", 43m);
        before = await MaxLogIdAsync(db);
        await using (var seed = await holder.BeginTransactionAsync())
        {
            await Execute(holder, "LOCK TABLE dw.fact_sales_orders IN ACCESS EXCLUSIVE MODE");
            await Execute(session, "CALL ops.refresh_due('test')");

            var skipped = await db.ScalarAsync<string>($"""
                SELECT status || ' ' || error_sqlstate || ' ' || error_message FROM ops.mv_refresh_log
                WHERE log_id > {before} AND view_name = 'mart.mv_daily_sales'
                """);
            Assert.StartsWith("skipped 55P03 skipped: a lock it needs was not free within 2s", skipped);
            Assert.Contains($"process {holder.ProcessID} (", skipped);
            Assert.Contains("AccessExclusiveLock on dw.fact_sales_orders", skipped);
            Assert.True(await db.ScalarAsync<bool>("SELECT is_dirty FROM ops.view_status() WHERE view_name = 'mart.mv_daily_sales'"));
            // Not a failure: no backoff, nothing counted.
            Assert.Equal("0 ", await db.ScalarAsync<string>(
                "SELECT consecutive_failures || ' ' || coalesce(retry_after::text, '') FROM ops.mv_registry WHERE view_name = 'mart.mv_daily_sales'"));
            // The caller's own lock timeout is back.
            Assert.Equal("0", await Scalar<string>(session, "SHOW lock_timeout"));

            // The library's due run (RefreshWorker, erpdb refresh --due) does the same.
            var results = await new ViewRefresher(writer.DataSource).RefreshDueAsync("test");
            var result = Assert.Single(results, r => r.View == "mart.mv_daily_sales");
            Assert.Equal(RefreshStatus.Skipped, result.Status);
            Assert.Contains($"process {holder.ProcessID} (", result.Error);
            await seed.RollbackAsync();
        }

        // Released: the view is still behind the facts, and the next run catches up.
        Assert.True(await DifferenceAsync(db, "mart.mv_daily_sales") > 0);
        before = await MaxLogIdAsync(db);
        await Execute(session, "CALL ops.refresh_due('test')");
        Assert.Contains(("mart.mv_daily_sales", "succeeded"), await LoggedAsync(db, before));
        Assert.Equal(0, await DifferenceAsync(db, "mart.mv_daily_sales"));
        Assert.False(await db.ScalarAsync<bool>("SELECT is_dirty FROM ops.view_status() WHERE view_name = 'mart.mv_daily_sales'"));
    }

    [Fact]
    public async Task A_due_run_skips_the_c_class_step_while_a_config_change_in_flight_holds_it_and_computes_it_later()
    {
        await using var db = await ReadyAsync();
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        await using var session = await writer.DataSource.OpenConnectionAsync();
        await Execute(session, "SET statement_timeout = '60s'");
        // The C-class state row exists once a recompute ran; a config write's trigger locks it until its transaction ends.
        Assert.Equal("succeeded", await db.ScalarAsync<string>("SELECT status FROM ops.recompute_c_class('test')"));
        await using var holder = await db.DataSource.OpenConnectionAsync();
        await SalesDataset.AddOrderAsync(db, "LOCK-CCLASS-1", 44m);
        var before = await MaxLogIdAsync(db);

        await using (var config = await holder.BeginTransactionAsync())
        {
            Assert.Equal(1L, await Scalar<long>(holder, "SELECT count(*) FROM (SELECT 1 FROM ops.c_class_state FOR UPDATE) AS s"));
            await Execute(session, "CALL ops.refresh_due('test')");

            Assert.Contains(("mart.mv_daily_sales", "succeeded"), await LoggedAsync(db, before));
            var skipped = await db.ScalarAsync<string>(
                $"SELECT status || ' ' || error_sqlstate || ' ' || error_message FROM ops.mv_refresh_log WHERE log_id > {before} AND view_name = 'ops.compute_c_class'");
            Assert.StartsWith("skipped 55P03 skipped:", skipped);
            Assert.Contains($"process {holder.ProcessID} (", skipped);
            Assert.Contains("RowShareLock on ops.c_class_state", skipped);
            // The periods the new order changed wait for the next run.
            Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM ops.c_class_changes") > 0);
            await config.RollbackAsync();
        }

        await SalesDataset.AddOrderAsync(db, "LOCK-CCLASS-2", 45m);
        before = await MaxLogIdAsync(db);
        await Execute(session, "CALL ops.refresh_due('test')");
        Assert.Contains(("ops.compute_c_class", "succeeded"), await LoggedAsync(db, before));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM ops.c_class_changes"));
    }

    [Fact]
    public async Task The_scheduled_checks_give_up_at_the_scheduled_lock_timeout_instead_of_waiting()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var holder = await db.DataSource.OpenConnectionAsync();
        await using var job = await db.DataSource.OpenConnectionAsync();
        await Execute(job, "SET statement_timeout = '60s'");
        await using var seed = await holder.BeginTransactionAsync();
        await Execute(holder, "LOCK TABLE dw.alerts IN ACCESS EXCLUSIVE MODE");

        // Each check's job command, as pg_cron runs it.
        foreach (var schedule in Erp.Db.Scheduling.ScheduleScript.Embedded().Where(s => s.Name is "check_stock_levels" or "mark_overdue_receivables"))
        {
            var failed = await Assert.ThrowsAsync<PostgresException>(() => Execute(job, schedule.CommandTemplate));
            Assert.Equal("55P03", failed.SqlState);
        }
        await seed.RollbackAsync();
    }

    /// <summary>A migrated database with the sales dataset, every view refreshed and nothing due.</summary>
    [Fact]
    public async Task Writers_may_list_a_keys_holders_and_readers_may_not()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        await using var squatter = await SquatAsync(reader, DueKey, ViewKey);
        static string Holders(string key) => $"SELECT string_agg(h.description, ', ' ORDER BY h.pid) FROM ops.advisory_lock_holders({key}) AS h";
        var dueKey = Holders($"{DueKey}"); // the bigint form, as pg_advisory_lock(bigint) takes it
        var viewKey = Holders("hashtext('erpdb.refresh_view')::oid, hashtext('mart.mv_daily_sales')::oid, 2");

        var denied = await Assert.ThrowsAsync<PostgresException>(() => reader.ScalarAsync<string>(dueKey));

        Assert.Equal("42501", denied.SqlState);
        Assert.Equal($"process {squatter.ProcessID} ({reader.Name}, idle)", await db.ScalarAsync<string>(dueKey));
        Assert.Equal($"process {squatter.ProcessID} ({reader.Name}, idle)", await db.ScalarAsync<string>(viewKey));
        // A writer sees the holder's login, not the state of another login's session.
        Assert.Equal($"process {squatter.ProcessID} ({reader.Name}, ?)", await writer.ScalarAsync<string>(viewKey));
    }

    private static async Task<TestDatabase> ReadyAsync()
    {
        var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await db.ExecuteAsync("UPDATE ops.mv_registry SET last_success_at = now(); DELETE FROM ops.mv_invalidations");
        return db;
    }

    /// <summary>A session of the login that takes each key (session level) and keeps it open.</summary>
    private static async Task<NpgsqlConnection> SquatAsync(TestLogin login, params string[] keys)
    {
        var connection = await login.DataSource.OpenConnectionAsync();
        foreach (var key in keys)
        {
            await Execute(connection, $"SELECT pg_advisory_lock({key})");
        }
        return connection;
    }

    /// <summary>How many advisory locks the session holds.</summary>
    private static async Task<long> HeldAsync(TestDatabase db, NpgsqlConnection session) => await db.ScalarAsync<long>(
        $"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = {session.ProcessID}");

    /// <summary>Rows in the aggregate but not in a full recompute, plus the other way round.</summary>
    private static async Task<long> DifferenceAsync(TestDatabase db, string aggregate) => await db.ScalarAsync<long>($"""
        SELECT (SELECT count(*) FROM (TABLE {aggregate} EXCEPT ALL SELECT * FROM {aggregate}_rows(NULL, '-infinity', 'infinity')) AS extra)
             + (SELECT count(*) FROM (SELECT * FROM {aggregate}_rows(NULL, '-infinity', 'infinity') EXCEPT ALL TABLE {aggregate}) AS missing)
        """);

    private static async Task<List<(string View, string Status)>> LoggedAsync(TestDatabase db, long after)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT view_name, status FROM ops.mv_refresh_log WHERE log_id > {after} ORDER BY log_id", connection);
        await using var rows = await command.ExecuteReaderAsync();
        var logged = new List<(string, string)>();
        while (await rows.ReadAsync())
        {
            logged.Add((rows.GetString(0), rows.GetString(1)));
        }
        return logged;
    }

    private static async Task<long> MaxLogIdAsync(TestDatabase db) =>
        await db.ScalarAsync<long>("SELECT coalesce(max(log_id), 0) FROM ops.mv_refresh_log");

    /// <summary>The WARNINGs the server sends this session from now on.</summary>
    private static List<string> Warnings(NpgsqlConnection connection)
    {
        var warnings = new List<string>();
        connection.Notice += (_, e) =>
        {
            if (e.Notice.Severity == "WARNING")
            {
                lock (warnings)
                {
                    warnings.Add(e.Notice.MessageText);
                }
            }
        };
        return warnings;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
