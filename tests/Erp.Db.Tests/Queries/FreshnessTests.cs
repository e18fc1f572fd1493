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
        var query = new SalesQuery(1, Period.LastDays(7, QueryFixture.Today));
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
}
