using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.Views;

public class RefreshBehaviourTests
{
    [Fact]
    public async Task A_concurrent_refresh_does_not_block_readers_but_a_plain_one_does()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        // Every shipped mart is an incremental aggregate (a table): a materialized view registered like one a DBA adds.
        await db.ExecuteAsync("""
            SET LOCAL ROLE erp_owner;
            CREATE MATERIALIZED VIEW mart.mv_test_orders AS SELECT merchant_id, order_date, count(*) AS orders FROM dw.fact_sales_orders GROUP BY merchant_id, order_date;
            CREATE UNIQUE INDEX mv_test_orders_key ON mart.mv_test_orders (merchant_id, order_date);
            SELECT ops.register_view('mart.mv_test_orders', '1 minute', '1 hour', true);
            """);
        await using var refresher = await db.DataSource.OpenConnectionAsync();
        await using var reader = await db.DataSource.OpenConnectionAsync();
        // A reader that would wait for the refresh's lock fails fast instead of hanging the test.
        await Execute(reader, "SET lock_timeout = '2s'");

        await using (var transaction = await refresher.BeginTransactionAsync())
        {
            var status = await Scalar<string>(refresher, "SELECT (ops.refresh_view('mart.mv_test_orders', 'test')).status");
            Assert.Equal("succeeded", status);
            Assert.True(await Scalar<bool>(refresher, "SELECT was_concurrent FROM ops.mv_refresh_log ORDER BY log_id DESC LIMIT 1"));

            // The refresh's transaction is still open, holding its locks: the reader still reads.
            Assert.True(await Scalar<long>(reader, "SELECT count(*) FROM mart.mv_test_orders") > 0);
            await transaction.CommitAsync();
        }

        // The contrast: a plain REFRESH takes an exclusive lock that the reader has to wait for.
        await using (var transaction = await refresher.BeginTransactionAsync())
        {
            await Execute(refresher, "REFRESH MATERIALIZED VIEW mart.mv_test_orders");
            var blocked = await Assert.ThrowsAsync<PostgresException>(() => Scalar<long>(reader, "SELECT count(*) FROM mart.mv_test_orders"));
            Assert.Equal("55P03", blocked.SqlState);
            await transaction.RollbackAsync();
        }
    }

    [Fact]
    public async Task Two_refreshes_of_one_view_at_once_give_one_success_and_one_skipped()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var first = await db.DataSource.OpenConnectionAsync();
        await using var second = await db.DataSource.OpenConnectionAsync();
        var before = await db.ScalarAsync<long>("SELECT coalesce(max(log_id), 0) FROM ops.mv_refresh_log");

        await using (var transaction = await first.BeginTransactionAsync())
        {
            Assert.Equal("succeeded", await Scalar<string>(first, "SELECT (ops.refresh_view('mart.mv_weekly_sales', 'test')).status"));
            Assert.Equal("skipped", await Scalar<string>(second, "SELECT (ops.refresh_view('mart.mv_weekly_sales', 'test')).status"));
            await transaction.CommitAsync();
        }

        Assert.Equal(1, await db.ScalarAsync<long>($"SELECT count(*) FROM ops.mv_refresh_log WHERE log_id > {before} AND view_name = 'mart.mv_weekly_sales' AND status = 'succeeded'"));
        Assert.Equal(1, await db.ScalarAsync<long>($"SELECT count(*) FROM ops.mv_refresh_log WHERE log_id > {before} AND view_name = 'mart.mv_weekly_sales' AND status = 'skipped'"));
        // The lock is per view: another view refreshes meanwhile.
        Assert.Equal("succeeded", await Scalar<string>(second, "SELECT (ops.refresh_view('mart.mv_monthly_sales', 'test')).status"));
    }

    [Fact]
    public async Task A_failing_view_is_logged_with_its_error_the_others_refresh_and_after_three_failures_it_is_unhealthy()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await db.ExecuteAsync("""
            SET LOCAL ROLE erp_owner;
            CREATE FUNCTION mart.test_value() RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
            CREATE MATERIALIZED VIEW mart.mv_test_failing AS SELECT 1 AS id, mart.test_value() AS value;
            CREATE UNIQUE INDEX mv_test_failing_key ON mart.mv_test_failing (id);
            SELECT ops.register_view('mart.mv_test_failing', '1 minute', '1 hour');
            CREATE OR REPLACE FUNCTION mart.test_value() RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'source system is down'; END $$;
            """);

        for (var run = 1; run <= 3; run++)
        {
            var before = await db.ScalarAsync<long>("SELECT max(log_id) FROM ops.mv_refresh_log");
            await db.ExecuteAsync("CALL ops.refresh_all('test')");

            Assert.Equal("source system is down", await db.ScalarAsync<string>($"SELECT error_message FROM ops.mv_refresh_log WHERE log_id > {before} AND view_name = 'mart.mv_test_failing' AND status = 'failed'"));
            Assert.Equal(WarehouseViews.Count, await db.ScalarAsync<long>($"SELECT count(*) FROM ops.mv_refresh_log WHERE log_id > {before} AND status = 'succeeded' AND view_name LIKE 'mart.mv\\_%'"));
            Assert.Equal(run < 3, await db.ScalarAsync<bool>("SELECT is_healthy FROM ops.view_status() WHERE view_name = 'mart.mv_test_failing'"));
        }

        Assert.Equal(3, await db.ScalarAsync<int>("SELECT consecutive_failures FROM ops.view_status() WHERE view_name = 'mart.mv_test_failing'"));
        Assert.Equal("failed", await db.ScalarAsync<string>("SELECT last_status FROM ops.view_status() WHERE view_name = 'mart.mv_test_failing'"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.view_status() WHERE view_name <> 'mart.mv_test_failing' AND NOT is_healthy"));

        await db.ExecuteAsync("CREATE OR REPLACE FUNCTION mart.test_value() RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN 2; END $$");
        await db.ExecuteAsync("SELECT ops.refresh_view('mart.mv_test_failing', 'test')");
        Assert.True(await db.ScalarAsync<bool>("SELECT is_healthy AND consecutive_failures = 0 FROM ops.view_status() WHERE view_name = 'mart.mv_test_failing'"));
    }

    [Fact]
    public async Task An_unknown_view_raises_and_names_the_registered_ones()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("SELECT ops.refresh_view('mart.mv_nope')"));

        Assert.Equal("42P01", error.SqlState);
        Assert.Contains("mart.mv_daily_sales", error.Hint);
    }

    [Fact]
    public async Task The_log_purge_keeps_the_newest_rows_and_each_views_last_success()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync("""
            INSERT INTO ops.mv_refresh_log (view_name, started_at, finished_at, duration_ms, status, error_message, refresh_trigger)
            SELECT 'mart.mv_daily_sales', now() - g * interval '1 day', now() - g * interval '1 day', 1, 'failed', 'old', 'test'
            FROM generate_series(31, 40) AS g
            """);

        var purged = await db.ScalarAsync<long>("SELECT ops.purge_refresh_log()");
        var kept = await db.ScalarAsync<long>("SELECT ops.purge_refresh_log('30 days', 1)");

        Assert.Equal(10, purged);
        Assert.Equal(0, kept);
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_refresh_log WHERE view_name = 'mart.mv_daily_sales' AND status = 'succeeded'"));
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
