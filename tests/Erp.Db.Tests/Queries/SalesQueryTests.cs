using Erp.Db.Queries;
using Erp.Db.Queries.Sales;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Queries;

public class SalesQueryTests
{
    private const string ValidOrders = "dw.is_valid_sale(status)";

    [Fact]
    public async Task Totals_growth_breakdowns_and_top_products_equal_the_facts()
    {
        await using var f = await QueryFixture.CreateAsync();
        var period = Period.LastDays(7, QueryFixture.Today);

        var result = await f.Erp.Queries.SalesAsync(new SalesQuery(1, period, SalesGrouping.Shop, TopProducts: 5));
        var report = result.Data;

        var window = "merchant_id = 1 AND order_date BETWEEN CURRENT_DATE - 6 AND CURRENT_DATE AND " + ValidOrders;
        Assert.Equal(await f.Db.ScalarAsync<decimal>($"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE {window}"), report.Metrics.TotalRevenue);
        Assert.Equal(await f.Db.ScalarAsync<long>($"SELECT count(*) FROM dw.fact_sales_orders WHERE {window}"), report.Metrics.TotalOrders);
        Assert.Equal(await f.Db.ScalarAsync<decimal>($"SELECT sum(net_profit_cny) FROM dw.fact_sales_orders WHERE {window}"), report.Metrics.NetProfit);
        var previous = await f.Db.ScalarAsync<decimal>($"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND order_date BETWEEN CURRENT_DATE - 13 AND CURRENT_DATE - 7 AND {ValidOrders}");
        Assert.Equal(previous, report.Metrics.PreviousPeriodRevenue);
        Assert.Equal(Math.Round((report.Metrics.TotalRevenue - previous) / previous, 4), report.Metrics.GrowthRate);
        // Days with only cancelled orders are listed too, with zero revenue.
        Assert.Equal(await f.Db.ScalarAsync<long>("SELECT count(DISTINCT order_date) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND order_date >= CURRENT_DATE - 6"), report.Daily.Count);
        Assert.Equal(2, report.Breakdown.Count);
        Assert.Equal(report.Metrics.TotalRevenue, report.Breakdown.Sum(r => r.Revenue));
        var topRevenue = await f.Db.ScalarAsync<decimal>($"""
            SELECT max(revenue) FROM (
                SELECT sum(round(i.amount * o.exchange_rate, 2)) AS revenue
                  FROM dw.fact_order_items i JOIN dw.fact_sales_orders o USING (merchant_id, order_id, order_date)
                 WHERE o.merchant_id = 1 AND o.order_date BETWEEN CURRENT_DATE - 6 AND CURRENT_DATE AND dw.is_valid_sale(o.status)
                 GROUP BY i.product_id) AS p
            """);
        Assert.Equal(topRevenue, report.TopProducts[0].Revenue);
        Assert.True(report.TopProducts.Count <= 5);
    }

    [Fact]
    public async Task Top_products_are_the_same_whether_precomputed_or_summed_from_days()
    {
        await using var f = await QueryFixture.CreateAsync();
        var period = Period.LastDays(30, QueryFixture.Today);

        var precomputed = (await f.Erp.Queries.SalesAsync(new SalesQuery(1, period, TopProducts: 5))).Data.TopProducts;
        // A platform filter naming every platform of the merchant forces the sum over the daily rows.
        var summed = (await f.Erp.Queries.SalesAsync(new SalesQuery(1, period, TopProducts: 5, Platforms: ["shopee", "tiktok"]))).Data.TopProducts;

        Assert.NotEmpty(precomputed);
        Assert.Equal(summed, precomputed);
        Assert.Equal(1, await f.Db.ScalarAsync<long>("SELECT count(DISTINCT window_end) FROM mart.mv_top_products WHERE window_end = CURRENT_DATE"));
    }

    [Fact]
    public async Task Results_carry_the_freshness_of_the_views_they_read()
    {
        await using var f = await QueryFixture.CreateAsync();

        var result = await f.Erp.Queries.SalesAsync(new SalesQuery(1, Period.LastDays(7, QueryFixture.Today)));

        var daily = Assert.Single(result.Freshness, v => v.View == "mart.mv_daily_sales");
        Assert.NotNull(daily.LastRefresh);
        Assert.False(daily.Stale);
        Assert.InRange(daily.AgeSeconds!.Value, 0, 600);
        Assert.Contains(result.Freshness, v => v.View == "mart.mv_product_sales_daily");
    }

    [Theory]
    [InlineData(SalesGrouping.Week)]
    [InlineData(SalesGrouping.Month)]
    [InlineData(SalesGrouping.Platform)]
    [InlineData(SalesGrouping.Product)]
    [InlineData(SalesGrouping.Category)]
    public async Task Every_grouping_adds_up_to_the_total(SalesGrouping grouping)
    {
        await using var f = await QueryFixture.CreateAsync();

        var report = (await f.Erp.Queries.SalesAsync(new SalesQuery(1, Period.LastDays(30, QueryFixture.Today), grouping))).Data;

        Assert.NotEmpty(report.Breakdown);
        if (grouping is SalesGrouping.Product or SalesGrouping.Category)
        {
            var items = await f.Db.ScalarAsync<decimal>($"""
                SELECT sum(round(i.amount * o.exchange_rate, 2)) FROM dw.fact_order_items i JOIN dw.fact_sales_orders o USING (merchant_id, order_id, order_date)
                 WHERE o.merchant_id = 1 AND o.order_date BETWEEN CURRENT_DATE - 29 AND CURRENT_DATE AND dw.is_valid_sale(o.status)
                """);
            Assert.Equal(items, report.Breakdown.Sum(r => r.Revenue));
        }
        else
        {
            Assert.Equal(report.Metrics.TotalRevenue, report.Breakdown.Sum(r => r.Revenue));
        }
    }

    [Fact]
    public async Task Grouped_by_product_the_limit_keeps_the_best_and_sums_the_rest_as_others()
    {
        await using var f = await QueryFixture.CreateAsync();
        var period = Period.LastDays(30, QueryFixture.Today);
        var all = (await f.Erp.Queries.SalesAsync(new SalesQuery(1, period, SalesGrouping.Product, TopProducts: 100))).Data.Breakdown;
        Assert.True(all.Count >= 2, "the fixture needs two products that sold");

        var limited = (await f.Erp.Queries.SalesAsync(new SalesQuery(1, period, SalesGrouping.Product, TopProducts: 1))).Data.Breakdown;

        Assert.Equal(2, limited.Count);
        Assert.Equal(all[0], limited[0]);
        Assert.Equal("others", limited[1].Key);
        Assert.Equal(all.Skip(1).Sum(r => r.Revenue), limited[1].Revenue);
        Assert.Equal(all.Sum(r => r.Revenue), limited.Sum(r => r.Revenue));
        // A product's orders are the valid orders holding it; the rest has none: summing its products' orders would count an
        // order holding two of them twice.
        Assert.Equal(await f.Db.ScalarAsync<long>($"""
            SELECT count(DISTINCT o.order_id) FROM dw.fact_order_items i JOIN dw.fact_sales_orders o USING (merchant_id, order_id, order_date)
             WHERE o.merchant_id = 1 AND i.product_id = {all[0].Key} AND o.order_date BETWEEN CURRENT_DATE - 29 AND CURRENT_DATE AND dw.is_valid_sale(o.status)
            """), all[0].Orders);
        Assert.Null(limited[1].Orders);
        Assert.Null(limited[1].Aov);
        var categories = (await f.Erp.Queries.SalesAsync(new SalesQuery(1, period, SalesGrouping.Category))).Data.Breakdown;
        Assert.All(categories, c => Assert.Null(c.Orders));
    }

    [Fact]
    public async Task A_platform_filter_keeps_only_that_platform()
    {
        await using var f = await QueryFixture.CreateAsync();

        var report = (await f.Erp.Queries.SalesAsync(new SalesQuery(1, Period.LastDays(7, QueryFixture.Today), SalesGrouping.Platform, Platforms: ["tiktok"]))).Data;
        // As a user types it: codes are lower case (dim_platforms' CHECK), so "TikTok " is tiktok; what cannot be a code is refused.
        var typed = (await f.Erp.Queries.SalesAsync(new SalesQuery(1, Period.LastDays(7, QueryFixture.Today), SalesGrouping.Platform, Platforms: ["TikTok "]))).Data;
        var refused = await Assert.ThrowsAsync<QueryValidationException>(() =>
            f.Erp.Queries.SalesAsync(new SalesQuery(1, Period.LastDays(7, QueryFixture.Today), Platforms: ["tik tok"])));

        Assert.Equal("tiktok", Assert.Single(report.Breakdown).Key);
        Assert.Equal(report.Metrics.TotalRevenue, typed.Metrics.TotalRevenue);
        Assert.Equal("platforms", refused.Field);
        Assert.Equal(await f.Db.ScalarAsync<decimal>(
            $"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND shop_id = 12 AND order_date >= CURRENT_DATE - 6 AND {ValidOrders}"),
            report.Metrics.TotalRevenue);
    }

    [Fact]
    public async Task A_scoped_reader_gets_its_merchant_and_nothing_of_another()
    {
        await using var f = await QueryFixture.CreateAsync();
        await using var reader = await TestLogin.CreateAsync(f.Db, "erp_reader");
        await f.Db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 1)");
        var asReader = new ErpDatabase(reader.DataSource);
        var period = Period.LastDays(7, QueryFixture.Today);

        var own = await asReader.Queries.SalesAsync(new SalesQuery(1, period));
        var other = await asReader.Queries.SalesAsync(new SalesQuery(2, period));
        var owner = await f.Erp.Queries.SalesAsync(new SalesQuery(1, period));

        Assert.Equal(owner.Data.Metrics.TotalRevenue, own.Data.Metrics.TotalRevenue);
        Assert.True(own.Data.Metrics.TotalRevenue > 0);
        Assert.Equal(0, other.Data.Metrics.TotalRevenue);
        Assert.Empty(other.Data.Daily);
        Assert.Empty(other.Data.TopProducts);
        Assert.Equal(owner.Freshness.Select(v => (v.View, v.LastRefresh, v.Stale)), own.Freshness.Select(v => (v.View, v.LastRefresh, v.Stale)));
        Assert.NotEmpty(own.Freshness);
        Assert.All(own.Freshness, v => Assert.NotNull(v.LastRefresh));
    }

    [Fact]
    public async Task Out_of_range_periods_are_refused_before_any_query()
    {
        Assert.Throws<QueryValidationException>(() => Period.LastDays(0, QueryFixture.Today));
        Assert.Throws<QueryValidationException>(() => Period.LastDays(-5, QueryFixture.Today));
        Assert.Throws<QueryValidationException>(() => new Period(new DateOnly(2026, 2, 1), new DateOnly(2026, 1, 1)));
        Assert.Throws<QueryValidationException>(() => new Period(new DateOnly(1900, 1, 1), new DateOnly(1900, 1, 2)));
        await using var f = await QueryFixture.CreateAsync();
        await Assert.ThrowsAsync<QueryValidationException>(() => f.Erp.Queries.SalesAsync(new SalesQuery(0, Period.LastDays(7, QueryFixture.Today))));
        await Assert.ThrowsAsync<QueryValidationException>(() => f.Erp.Queries.SalesAsync(new SalesQuery(1, Period.LastDays(7, QueryFixture.Today), TopProducts: 1000)));
    }
}
