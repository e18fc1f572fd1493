using Erp.Db.Ingest;
using Erp.Db.Queries;
using Erp.Db.Queries.Sales;
using Erp.Db.Tests.Queries;

namespace Erp.Db.Tests.Ingest;

public class IngestRefreshTests
{
    [Fact]
    public async Task Ingest_marks_the_views_dirty_and_the_next_due_refresh_shows_the_data()
    {
        await using var f = await QueryFixture.CreateAsync();
        var today = QueryFixture.Today;
        var period = Period.LastDays(7, today);
        var before = (await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period })).Data.Metrics;

        var ingested = await f.Erp.Ingest.UpsertOrdersAsync([
            new OrderRow(1, 11, "ingested-1", today, new DateTimeOffset(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8)), 1234.5m) { Status = "paid" },
        ]);
        var dirty = await f.Db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_invalidations WHERE view_name = 'mart.mv_daily_sales'");
        var pending = await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period });
        var stale = pending.Data.Metrics;
        await f.Db.ExecuteAsync("CALL ops.refresh_due('test')");
        var refreshed = await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period });
        var after = refreshed.Data.Metrics;

        Assert.Equal(1, ingested.Inserted);
        Assert.True(dirty >= 1);
        Assert.Equal(before.Revenue, stale.Revenue);
        Assert.True(pending.Freshness.Single(v => v.View == "mart.mv_daily_sales").PendingChanges);
        Assert.False(refreshed.Freshness.Single(v => v.View == "mart.mv_daily_sales").PendingChanges);
        Assert.Equal(before.Revenue + 1234.5m, after.Revenue);
        Assert.Equal(before.Orders + 1, after.Orders);
        Assert.Equal(0, await f.Db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_invalidations WHERE view_name = 'mart.mv_daily_sales'"));
    }
}
