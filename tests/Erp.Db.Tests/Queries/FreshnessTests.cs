using Erp.Db.Queries;
using Erp.Db.Queries.Sales;
using Npgsql;

namespace Erp.Db.Tests.Queries;

public class FreshnessTests
{
    [Fact]
    public async Task A_query_says_when_a_view_it_read_is_failing_to_refresh_and_stops_saying_so_after_a_success()
    {
        await using var f = await QueryFixture.CreateAsync();
        var query = new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, QueryFixture.Today) };
        await f.Db.ExecuteAsync("UPDATE ops.mv_registry SET lock_timeout = '100 ms' WHERE view_name = 'mart.mv_daily_sales'");

        // A session holding a lock on the aggregate's table that its refresh must wait for makes two refreshes fail on their lock timeout.
        await using (var blocker = await f.Db.DataSource.OpenConnectionAsync())
        await using (var transaction = await blocker.BeginTransactionAsync())
        {
            await new NpgsqlCommand("LOCK TABLE mart.mv_daily_sales IN EXCLUSIVE MODE", blocker, transaction).ExecuteNonQueryAsync();
            await f.Db.ExecuteAsync("SELECT ops.refresh_view('mart.mv_daily_sales', 'test')");
            await f.Db.ExecuteAsync("SELECT ops.refresh_view('mart.mv_daily_sales', 'test')");
        }
        var failing = await f.Erp.Queries.SalesAsync(query);
        await f.Db.ExecuteAsync("SELECT ops.refresh_view('mart.mv_daily_sales', 'test')");
        var recovered = await f.Erp.Queries.SalesAsync(query);

        var daily = failing.Freshness.Single(v => v.View == "mart.mv_daily_sales");
        Assert.True(daily.Failing);
        Assert.False(failing.Freshness.Single(v => v.View == "mart.mv_top_products").Failing);
        Assert.All(recovered.Freshness, v => Assert.False(v.Failing));
    }

    [Fact]
    public async Task A_query_reports_the_refresh_ops_mv_freshness_holds_which_every_refresh_and_registry_change_keeps_in_step()
    {
        await using var f = await QueryFixture.CreateAsync();
        var query = new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, QueryFixture.Today) };
        const string Row = "SELECT last_success_at, refresh_epoch, is_failing, stale_after FROM ops.mv_freshness WHERE view_name = 'mart.mv_daily_sales'";
        var (before, epochBefore) = await FreshnessRowAsync(f, Row);

        await f.Db.ExecuteAsync("SELECT ops.refresh_view('mart.mv_daily_sales', 'test')");
        var (after, epochAfter) = await FreshnessRowAsync(f, Row);
        var registered = await f.Db.ScalarAsync<DateTime>("SELECT last_success_at FROM ops.mv_registry WHERE view_name = 'mart.mv_daily_sales'");
        var reported = (await f.Erp.Queries.SalesAsync(query)).Freshness.Single(v => v.View == "mart.mv_daily_sales");
        // A DBA's change of the registry (here: stale after a second, the last success two days ago) shows at once.
        await f.Db.ExecuteAsync("UPDATE ops.mv_registry SET stale_after = '1 second', last_success_at = now() - interval '2 days' WHERE view_name = 'mart.mv_daily_sales'");
        var stale = (await f.Erp.Queries.SalesAsync(query)).Freshness.Single(v => v.View == "mart.mv_daily_sales");

        Assert.True(after > before);
        Assert.Equal(epochBefore + 1, epochAfter);
        Assert.Equal(registered, after);
        Assert.Equal(new DateTimeOffset(DateTime.SpecifyKind(after, DateTimeKind.Utc)), reported.LastRefresh);
        Assert.False(reported.Stale);
        Assert.True(stale.Stale);
        Assert.True(stale.AgeSeconds > 2 * 86400 - 60);
        Assert.Equal(await f.Db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_registry"), await f.Db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_freshness"));
    }

    private static async Task<(DateTime LastSuccess, long Epoch)> FreshnessRowAsync(QueryFixture f, string sql)
    {
        await using var command = f.Db.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetDateTime(0), reader.GetInt64(1));
    }
}
