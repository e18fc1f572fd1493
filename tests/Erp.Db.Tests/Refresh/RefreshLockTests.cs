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
            Assert.Equal("failed 55P03", await Scalar<string>(second, "SELECT status || ' ' || error_sqlstate FROM ops.recompute_c_class('test')"));
            await transaction.CommitAsync();
        }

        Assert.Equal("succeeded", await Scalar<string>(second, "SELECT status FROM ops.recompute_c_class('test')"));
        Assert.Equal(1, await HeldAsync(db, squatter));
    }

    /// <summary>A migrated database with the sales dataset, every view refreshed and nothing due.</summary>
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
