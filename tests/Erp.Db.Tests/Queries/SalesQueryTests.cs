using System.Globalization;
using Erp.Db.Queries;
using Erp.Db.Queries.Sales;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Queries;

/// <remarks>The tests that only read the sales dataset share one (<see cref="SharedQueryFixture"/>).</remarks>
public class SalesQueryTests(SharedQueryFixture shared) : IClassFixture<SharedQueryFixture>
{
    private const string ValidOrders = "dw.is_valid_sale(status)";

    [Fact]
    public async Task Totals_growth_breakdowns_and_top_products_equal_the_facts()
    {
        var f = await shared.GetAsync();
        var period = Period.LastDays(7, QueryFixture.Today);

        var result = await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period, GroupBy = SalesGrouping.Shop, TopProducts = 5 });
        var report = result.Data;

        var window = "merchant_id = 1 AND order_date BETWEEN CURRENT_DATE - 6 AND CURRENT_DATE AND " + ValidOrders;
        Assert.Equal(await f.Db.ScalarAsync<decimal>($"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE {window}"), report.Metrics.Revenue);
        Assert.Equal(await f.Db.ScalarAsync<long>($"SELECT count(*) FROM dw.fact_sales_orders WHERE {window}"), report.Metrics.Orders);
        Assert.Equal(await f.Db.ScalarAsync<decimal>($"SELECT sum(net_profit_cny) FROM dw.fact_sales_orders WHERE {window}"), report.Metrics.NetProfit);
        var previous = await f.Db.ScalarAsync<decimal>($"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND order_date BETWEEN CURRENT_DATE - 13 AND CURRENT_DATE - 7 AND {ValidOrders}");
        Assert.Equal(previous, report.Metrics.PreviousRevenue);
        Assert.Equal(Math.Round((report.Metrics.Revenue - previous) / previous, 6, MidpointRounding.AwayFromZero), report.Metrics.GrowthRate);
        // Days with only cancelled orders are listed too, with zero revenue.
        Assert.Equal(await f.Db.ScalarAsync<long>("SELECT count(DISTINCT order_date) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND order_date >= CURRENT_DATE - 6"), report.Daily.Count);
        Assert.Equal(2, report.Breakdown.Count);
        Assert.Equal(report.Metrics.Revenue, report.Breakdown.Sum(r => r.Revenue));
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

    /// <summary>
    /// A shop whose orders of the day are all cancelled has no sales that day: it is not among the shops or platforms sales lists,
    /// nor profit's by shop (which lists groups with sales or expenses), although the day's views hold its row of cancelled orders.
    /// </summary>
    [Fact]
    public async Task A_shop_with_only_cancelled_orders_is_not_listed_by_shop_platform_or_profit()
    {
        await using var f = await QueryFixture.CreateAsync();
        var day = QueryFixture.Today.AddDays(-1);
        var shop = await f.Db.ScalarAsync<long>($"SELECT min(shop_id) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND order_date = '{day:yyyy-MM-dd}'");
        await f.Db.ExecuteAsync($"""
            UPDATE dw.fact_sales_orders SET status = 'cancelled' WHERE merchant_id = 1 AND order_date = '{day:yyyy-MM-dd}' AND shop_id = {shop};
            DELETE FROM dw.fact_expenses WHERE merchant_id = 1 AND expense_date = '{day:yyyy-MM-dd}';
            """);
        await f.Erp.Refresh.RefreshAllAsync();
        var oneDay = new Period(day, day);

        var byShop = (await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = oneDay, GroupBy = SalesGrouping.Shop })).Data.Breakdown.Select(r => r.Key).Order(StringComparer.Ordinal);
        var byPlatform = (await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = oneDay, GroupBy = SalesGrouping.Platform })).Data.Breakdown.Select(r => r.Key).Order(StringComparer.Ordinal);
        var profit = (await f.Erp.Queries.ProfitAsync(new Erp.Db.Queries.Profit.ProfitQuery { MerchantId = 1, Period = oneDay, By = Erp.Db.Queries.Profit.ProfitGrouping.Shop }))
            .Data.Rows.Items.Select(r => r.Key).Order(StringComparer.Ordinal);

        var valid = $"o.merchant_id = 1 AND o.order_date = '{day:yyyy-MM-dd}' AND dw.is_valid_sale(o.status)";
        var shops = (await f.Db.ScalarAsync<string>($"SELECT string_agg(DISTINCT o.shop_id::text, ',' ORDER BY o.shop_id::text) FROM dw.fact_sales_orders AS o WHERE {valid}")) ?? "";
        var platforms = (await f.Db.ScalarAsync<string>($"""
            SELECT string_agg(DISTINCT p.platform_code, ',' ORDER BY p.platform_code)
              FROM dw.fact_sales_orders AS o JOIN dw.dim_shops AS s USING (merchant_id, shop_id) JOIN dw.dim_platforms AS p USING (platform_id)
             WHERE {valid}
            """)) ?? "";
        Assert.True(await f.Db.ScalarAsync<bool>($"SELECT EXISTS (SELECT FROM mart.mv_daily_sales WHERE merchant_id = 1 AND sales_date = '{day:yyyy-MM-dd}' AND shop_id = {shop} AND order_count = 0)"));
        Assert.DoesNotContain(shop.ToString(CultureInfo.InvariantCulture), shops.Split(','));
        Assert.Equal(shops, string.Join(',', byShop));
        Assert.Equal(platforms, string.Join(',', byPlatform));
        Assert.Equal(shops, string.Join(',', profit));
    }

    [Fact]
    public async Task Top_products_are_the_same_whether_precomputed_or_summed_from_days()
    {
        var f = await shared.GetAsync();
        var period = Period.LastDays(30, QueryFixture.Today);

        var precomputed = (await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period, TopProducts = 5 })).Data.TopProducts;
        // A platform filter naming every platform of the merchant forces the sum over the daily rows.
        var summed = (await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period, TopProducts = 5, Platforms = ["shopee", "tiktok"] })).Data.TopProducts;

        Assert.NotEmpty(precomputed);
        Assert.Equal(summed, precomputed);
        Assert.Equal(1, await f.Db.ScalarAsync<long>("SELECT count(DISTINCT window_end) FROM mart.mv_top_products WHERE window_end = CURRENT_DATE"));
    }

    [Fact]
    public async Task Results_carry_the_freshness_of_the_views_they_read()
    {
        await using var f = await QueryFixture.CreateAsync();

        var result = await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, QueryFixture.Today) });

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
        var f = await shared.GetAsync();

        var report = (await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = Period.LastDays(30, QueryFixture.Today), GroupBy = grouping })).Data;

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
            Assert.Equal(report.Metrics.Revenue, report.Breakdown.Sum(r => r.Revenue));
        }
    }

    [Fact]
    public async Task Grouped_by_product_the_limit_keeps_the_best_and_sums_the_rest_as_others()
    {
        var f = await shared.GetAsync();
        var period = Period.LastDays(30, QueryFixture.Today);
        var all = (await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period, GroupBy = SalesGrouping.Product, TopProducts = 100 })).Data.Breakdown;
        Assert.True(all.Count >= 2, "the fixture needs two products that sold");

        var limited = (await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period, GroupBy = SalesGrouping.Product, TopProducts = 1 })).Data.Breakdown;

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
        var categories = (await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period, GroupBy = SalesGrouping.Category })).Data.Breakdown;
        Assert.All(categories, c => Assert.Null(c.Orders));
    }

    [Fact]
    public async Task A_platform_filter_keeps_only_that_platform()
    {
        var f = await shared.GetAsync();

        var report = (await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, QueryFixture.Today), GroupBy = SalesGrouping.Platform, Platforms = ["tiktok"] })).Data;
        // As a user types it: codes are lower case (dim_platforms' CHECK), so "TikTok " is tiktok; what cannot be a code is refused.
        var typed = (await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, QueryFixture.Today), GroupBy = SalesGrouping.Platform, Platforms = ["TikTok "] })).Data;
        var refused = await Assert.ThrowsAsync<QueryValidationException>(() =>
            f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, QueryFixture.Today), Platforms = ["tik tok"] }));

        Assert.Equal("tiktok", Assert.Single(report.Breakdown).Key);
        Assert.Equal(report.Metrics.Revenue, typed.Metrics.Revenue);
        Assert.Equal("platforms", refused.Field);
        Assert.Equal(await f.Db.ScalarAsync<decimal>(
            $"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND shop_id = 12 AND order_date >= CURRENT_DATE - 6 AND {ValidOrders}"),
            report.Metrics.Revenue);
    }

    [Fact]
    public async Task A_scoped_reader_gets_its_merchant_and_nothing_of_another()
    {
        await using var f = await QueryFixture.CreateAsync();
        await using var reader = await TestLogin.CreateAsync(f.Db, "erp_reader");
        await f.Db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 1)");
        var asReader = new ErpDatabase(reader.DataSource);
        var period = Period.LastDays(7, QueryFixture.Today);

        var own = await asReader.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period });
        var other = await asReader.Queries.SalesAsync(new SalesQuery { MerchantId = 2, Period = period });
        var owner = await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period });

        Assert.Equal(owner.Data.Metrics.Revenue, own.Data.Metrics.Revenue);
        Assert.True(own.Data.Metrics.Revenue > 0);
        Assert.Equal(0, other.Data.Metrics.Revenue);
        // Every day of the period is listed, and the other merchant's days are all empty to this reader.
        Assert.Equal(7, other.Data.Daily.Count);
        Assert.All(other.Data.Daily, d => Assert.Equal((0m, 0L, (decimal?)null), (d.Revenue, d.Orders!.Value, d.Aov)));
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
        var f = await shared.GetAsync();
        await Assert.ThrowsAsync<QueryValidationException>(() => f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 0, Period = Period.LastDays(7, QueryFixture.Today) }));
        await Assert.ThrowsAsync<QueryValidationException>(() => f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, QueryFixture.Today), TopProducts = 1000 }));
    }
    [Fact]
    public async Task By_day_every_day_of_the_period_has_a_row_the_quiet_ones_at_zero_and_the_rows_add_up_to_the_facts()
    {
        await using var f = await QueryFixture.CreateAsync();
        await QuietDaysDataset.LoadAsync(f.Db);
        var monday = QuietDaysDataset.Monday;
        var period = new Period(monday, monday.AddDays(6));

        var report = (await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = QuietDaysDataset.Merchant, Period = period })).Data;

        // Orders on days 1, 2 and 5 only (day 3 holds a cancelled one): still 7 rows, one per day, in order.
        Assert.Equal(Enumerable.Range(0, 7).Select(d => (DateOnly?)monday.AddDays(d)), report.Daily.Select(r => r.Bucket));
        Assert.All(report.Daily, r => Assert.Null(r.Key));
        Assert.Same(report.Daily, report.Breakdown);
        foreach (var quiet in new[] { 2, 3, 5, 6 }.Select(d => report.Daily[d]))
        {
            Assert.Equal((0m, 0L, 0m, 0m), (quiet.Revenue, quiet.Orders!.Value, quiet.GrossProfit!.Value, quiet.NetProfit!.Value));
            Assert.Equal(((decimal?)null, (decimal?)null, (decimal?)null), (quiet.Aov, quiet.GrossMargin, quiet.NetMargin));
        }
        // The days with orders and the totals are the facts', the rows add up to the totals.
        var window = $"merchant_id = 3 AND order_date BETWEEN '{monday:yyyy-MM-dd}' AND '{monday.AddDays(6):yyyy-MM-dd}' AND {ValidOrders}";
        foreach (var day in new[] { 0, 1, 4 })
        {
            var row = report.Daily[day];
            var facts = $"merchant_id = 3 AND order_date = '{monday.AddDays(day):yyyy-MM-dd}' AND {ValidOrders}";
            Assert.Equal(await f.Db.ScalarAsync<decimal>($"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE {facts}"), row.Revenue);
            Assert.Equal(await f.Db.ScalarAsync<long>($"SELECT count(*) FROM dw.fact_sales_orders WHERE {facts}"), row.Orders);
            Assert.Equal(Math.Round(row.Revenue / row.Orders!.Value, 2), row.Aov);
        }
        Assert.Equal(await f.Db.ScalarAsync<decimal>($"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE {window}"), report.Metrics.Revenue);
        Assert.Equal(await f.Db.ScalarAsync<long>($"SELECT count(*) FROM dw.fact_sales_orders WHERE {window}"), report.Metrics.Orders);
        Assert.Equal(await f.Db.ScalarAsync<decimal>($"SELECT sum(net_profit_cny) FROM dw.fact_sales_orders WHERE {window}"), report.Metrics.NetProfit);
        Assert.Equal(report.Metrics.Revenue, report.Daily.Sum(r => r.Revenue));
        Assert.Equal(report.Metrics.Orders, report.Daily.Sum(r => r.Orders!.Value));
        Assert.Equal(report.Metrics.GrossProfit, report.Daily.Sum(r => r.GrossProfit!.Value));
        Assert.Equal(report.Metrics.NetProfit, report.Daily.Sum(r => r.NetProfit!.Value));
        Assert.Equal(350m, report.Metrics.Revenue);
    }

    [Fact]
    public async Task By_hour_all_24_hours_have_a_row_and_add_up_to_the_facts_hours()
    {
        await using var f = await QueryFixture.CreateAsync();
        await QuietDaysDataset.LoadAsync(f.Db);
        var monday = QuietDaysDataset.Monday;
        var period = new Period(monday, monday.AddDays(6));

        var report = (await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = QuietDaysDataset.Merchant, Period = period, GroupBy = SalesGrouping.Hour })).Data;

        Assert.Equal(Enumerable.Range(0, 24).Select(h => h.ToString("00", CultureInfo.InvariantCulture)), report.Breakdown.Select(r => r.Key));
        Assert.All(report.Breakdown, r => Assert.Null(r.Bucket));
        var hours = $"""
            SELECT extract(hour FROM o.ordered_at AT TIME ZONE 'Asia/Shanghai')::int AS hour, sum(o.gmv_cny) AS revenue, count(*) AS orders
              FROM dw.fact_sales_orders AS o
             WHERE o.merchant_id = 3 AND o.order_date BETWEEN '{monday:yyyy-MM-dd}' AND '{monday.AddDays(6):yyyy-MM-dd}' AND dw.is_valid_sale(o.status)
             GROUP BY 1
            """;
        Assert.Equal(await f.Db.ScalarAsync<string>($"SELECT string_agg(lpad(hour::text, 2, '0') || '=' || revenue || '/' || orders, ',' ORDER BY hour) FROM ({hours}) AS h"),
            string.Join(",", report.Breakdown.Where(r => r.Orders > 0).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key}={r.Revenue}/{r.Orders}"))));
        Assert.Equal(3, report.Breakdown.Count(r => r.Orders > 0));
        Assert.All(report.Breakdown.Where(r => r.Orders == 0), r => Assert.Equal((0m, (decimal?)null, (decimal?)null), (r.Revenue, r.Aov, r.GrossMargin)));
        Assert.Equal(report.Metrics.Revenue, report.Breakdown.Sum(r => r.Revenue));
        Assert.Equal(report.Metrics.Orders, report.Breakdown.Sum(r => r.Orders!.Value));
    }

    [Theory]
    [InlineData(SalesGrouping.Week)]
    [InlineData(SalesGrouping.Month)]
    public async Task By_week_or_month_every_bucket_the_period_touches_has_a_row_under_its_first_day(SalesGrouping grouping)
    {
        await using var f = await QueryFixture.CreateAsync();
        await QuietDaysDataset.LoadAsync(f.Db);
        var monday = QuietDaysDataset.Monday;
        // From a Wednesday (the first week and month are cut) to a day of the third week, and, by month, three months before.
        var period = new Period(grouping == SalesGrouping.Week ? monday.AddDays(2) : monday.AddMonths(-3), monday.AddDays(16));

        var report = (await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = QuietDaysDataset.Merchant, Period = period, GroupBy = grouping })).Data;

        var expected = new List<DateOnly>();
        for (var bucket = grouping == SalesGrouping.Week ? monday : new DateOnly(period.Start.Year, period.Start.Month, 1); bucket <= period.End;
             bucket = grouping == SalesGrouping.Week ? bucket.AddDays(7) : bucket.AddMonths(1))
        {
            expected.Add(bucket);
        }
        Assert.Equal(expected.Select(b => (DateOnly?)b), report.Breakdown.Select(r => r.Bucket));
        Assert.All(report.Breakdown, r => Assert.Null(r.Key));
        Assert.Contains(report.Breakdown, r => r.Orders == 0);
        Assert.All(report.Breakdown.Where(r => r.Orders == 0), r => Assert.Equal((0m, 0m, (decimal?)null, (decimal?)null), (r.Revenue, r.NetProfit!.Value, r.Aov, r.NetMargin)));
        var facts = $"merchant_id = 3 AND order_date BETWEEN '{period.Start:yyyy-MM-dd}' AND '{period.End:yyyy-MM-dd}' AND {ValidOrders}";
        Assert.Equal(await f.Db.ScalarAsync<decimal>($"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE {facts}"), report.Breakdown.Sum(r => r.Revenue));
        Assert.Equal(report.Metrics.Revenue, report.Breakdown.Sum(r => r.Revenue));
        Assert.Equal(report.Metrics.Orders, report.Breakdown.Sum(r => r.Orders!.Value));
        if (grouping == SalesGrouping.Week)
        {
            // The cut first week counts from the Wednesday: day 5's order only; the second week is quiet.
            Assert.Equal((120m, 0m, 120m), (report.Breakdown[0].Revenue, report.Breakdown[1].Revenue, report.Breakdown[2].Revenue));
            var week = monday.ToDateTime(TimeOnly.MinValue);
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(week)}-W{ISOWeek.GetWeekOfYear(week):00}"), report.Breakdown[0].Label);
        }
    }
}
