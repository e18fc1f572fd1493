using Erp.Db.Queries;
using Erp.Db.Queries.Alerts;
using Erp.Db.Queries.Finance;
using Erp.Db.Queries.Products;
using Erp.Db.Queries.Profit;
using Erp.Db.Queries.Receivables;
using Erp.Db.Queries.Sales;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Views;

namespace Erp.Db.Tests.Queries;

/// <summary>The result cache of <see cref="WarehouseQueries"/> (docs/result-cache.md): who gets what, and when a refresh shows.</summary>
public class ResultCacheTests
{
    // The 7 days to yesterday: sales over a period that includes today is cached for one minute only (its growth compares today's
    // counterpart up to now's time of day, which moves with the clock: docs/metrics.md), see
    // A_sales_period_that_includes_today_is_cached_for_the_minute_its_growth_is_cut_at.
    private const string Window = "order_date BETWEEN CURRENT_DATE - 7 AND CURRENT_DATE - 1 AND dw.is_valid_sale(status)";

    private static Period Week => Period.LastDays(7, QueryFixture.Today.AddDays(-1));

    [Fact]
    public async Task A_second_call_is_served_from_the_cache_with_live_freshness_and_a_refresh_gives_the_new_rows()
    {
        await using var f = await QueryFixture.CreateAsync();
        var cache = f.Erp.Queries.Cache!;
        var sales = new SalesQuery { MerchantId = 1, Period = Week };

        var first = await f.Erp.Queries.SalesAsync(sales);
        var second = await f.Erp.Queries.SalesAsync(sales);
        // New facts: the view is not refreshed yet, so the cached rows are still the view's rows, and the
        // freshness (read live on every call) says newer data is pending.
        await SalesDataset.AddOrderAsync(f.Db, "o-cache-1", 1000m, daysAgo: 1);
        var pending = await f.Erp.Queries.SalesAsync(sales);
        var hitsBeforeRefresh = cache.Hits;
        await f.Db.ExecuteAsync("CALL ops.refresh_due('test')");
        var refreshed = await f.Erp.Queries.SalesAsync(sales);
        var again = await f.Erp.Queries.SalesAsync(sales);

        Assert.Same(first.Data, second.Data);
        Assert.Same(first.Data, pending.Data);
        Assert.False(Daily(second).PendingChanges);
        Assert.True(Daily(pending).PendingChanges);
        Assert.Equal(2, hitsBeforeRefresh);
        Assert.NotSame(first.Data, refreshed.Data);
        Assert.Equal(await f.Db.ScalarAsync<decimal>($"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND {Window}"), refreshed.Data.Metrics.Revenue);
        Assert.Equal(await f.Db.ScalarAsync<long>($"SELECT count(*) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND {Window}"), refreshed.Data.Metrics.Orders);
        Assert.Equal(first.Data.Metrics.Revenue + 1000m, refreshed.Data.Metrics.Revenue);
        Assert.False(Daily(refreshed).PendingChanges);
        Assert.True(Daily(refreshed).LastRefresh > Daily(first).LastRefresh);
        Assert.Same(refreshed.Data, again.Data);
        Assert.Equal(3, cache.Hits);
        Assert.Equal(2, cache.Misses);
    }

    [Fact]
    public async Task A_known_platform_is_served_from_the_cache_and_an_unknown_one_is_refused_every_time_with_nothing_held()
    {
        await using var f = await QueryFixture.CreateAsync();
        var cache = f.Erp.Queries.Cache!;
        var shopee = new ProductQuery { MerchantId = 1, Platform = "shopee" };
        var bogus = new ProductQuery { MerchantId = 1, Platform = "bogus" };

        var first = await f.Erp.Queries.ProductsAsync(shopee);
        var second = await f.Erp.Queries.ProductsAsync(shopee);
        var refused = await Assert.ThrowsAsync<QueryValidationException>(() => f.Erp.Queries.ProductsAsync(bogus));
        var refusedAgain = await Assert.ThrowsAsync<QueryValidationException>(() => f.Erp.Queries.ProductsAsync(bogus));
        var salesRefused = await Assert.ThrowsAsync<QueryValidationException>(
            () => f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = Week, Platforms = ["shopee", "bogus"] }));

        Assert.Same(first.Data, second.Data);
        Assert.Equal(await f.Db.ScalarAsync<long>(
            "SELECT count(*) FROM mart.mv_product_management WHERE merchant_id = 1 AND is_latest AND platform_code = 'shopee'"), first.Data.Total);
        Assert.Equal("platform", refused.Field);
        Assert.Contains("'bogus' is not a platform", refusedAgain.Message);
        Assert.Equal("platforms", salesRefused.Field);
        Assert.Equal(1, cache.Hits);
        Assert.Equal(1, cache.Misses);
    }

    [Fact]
    public async Task The_owner_choosing_a_merchant_per_call_gets_each_merchants_own_rows()
    {
        await using var f = await QueryFixture.CreateAsync();
        var period = Week;

        var one = await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period });
        var oneAgain = await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period });
        var two = await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 2, Period = period });
        var products = await f.Erp.Queries.ProductsAsync(new ProductQuery { MerchantId = 2 });
        var productsOne = await f.Erp.Queries.ProductsAsync(new ProductQuery { MerchantId = 1 });

        Assert.Same(one.Data, oneAgain.Data);
        Assert.NotSame(one.Data, two.Data);
        Assert.Equal(await f.Db.ScalarAsync<decimal>($"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE merchant_id = 2 AND {Window}"), two.Data.Metrics.Revenue);
        Assert.NotEqual(one.Data.Metrics.Revenue, two.Data.Metrics.Revenue);
        Assert.All(two.Data.TopProducts, p => Assert.StartsWith("SKU-2", p.Sku));
        Assert.All(products.Data.Items, p => Assert.StartsWith("SKU-2", p.Sku));
        Assert.NotEmpty(products.Data.Items);
        Assert.All(productsOne.Data.Items, p => Assert.StartsWith("SKU-1", p.Sku));
        Assert.NotEmpty(productsOne.Data.Items);
        Assert.Equal(1, f.Erp.Queries.Cache!.Hits);
    }

    [Fact]
    public async Task A_reader_of_merchant_B_never_receives_As_cached_result_and_a_revoked_grant_ends_the_hits()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await using var loginA = await TestLogin.CreateAsync(db, "erp_reader");
        await using var loginB = await TestLogin.CreateAsync(db, "erp_reader");
        await using var both = await TestLogin.CreateAsync(db, "erp_reader");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{loginA.Name}', 1), ops.grant_merchant_access('{loginB.Name}', 2)");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{both.Name}', 1), ops.grant_merchant_access('{both.Name}', 2)");
        await using var erpA = ErpDatabase.Create(new ErpDbOptions { ConnectionString = loginA.ConnectionString });
        await using var erpB = ErpDatabase.Create(new ErpDbOptions { ConnectionString = loginB.ConnectionString });
        await using var shared = ErpDatabase.Create(new ErpDbOptions { ConnectionString = both.ConnectionString });
        var period = Week;
        var revenueOf1 = await db.ScalarAsync<decimal>($"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND {Window}");
        var revenueOf2 = await db.ScalarAsync<decimal>($"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE merchant_id = 2 AND {Window}");

        // Two logins, two instances: B asking for A's merchant gets nothing, cached or not.
        var aOwn = await erpA.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period });
        var aOwnAgain = await erpA.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period });
        var bAsksForA = await erpB.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period });
        var bAsksForAAgain = await erpB.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period });
        var bOwn = await erpB.Queries.SalesAsync(new SalesQuery { MerchantId = 2, Period = period });
        var bProductsOfA = await erpB.Queries.ProductsAsync(new ProductQuery { MerchantId = 1 });

        // One instance, a login allowed both merchants: each gets its own; then merchant 1 is revoked while
        // its result is held, and the next call for it returns the database's answer (nothing), not the held one.
        var shared1 = await shared.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period });
        var shared1Again = await shared.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period });
        var shared2 = await shared.Queries.SalesAsync(new SalesQuery { MerchantId = 2, Period = period });
        var hitsBeforeRevoke = shared.Queries.Cache!.Hits;
        await db.ExecuteAsync($"SELECT ops.revoke_merchant_access('{both.Name}', 1)");
        var sharedAfterRevoke = await shared.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period });
        var sharedAfterRevokeAgain = await shared.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period });
        var shared2AfterRevoke = await shared.Queries.SalesAsync(new SalesQuery { MerchantId = 2, Period = period });

        Assert.Equal(revenueOf1, aOwn.Data.Metrics.Revenue);
        Assert.Same(aOwn.Data, aOwnAgain.Data);
        Assert.Equal(0m, bAsksForA.Data.Metrics.Revenue);
        // Every day of the period has a row; none holds anything of the merchant.
        Assert.Equal(7, bAsksForA.Data.Daily.Count);
        Assert.All(bAsksForA.Data.Daily, d => Assert.Equal((0m, 0L), (d.Revenue, d.Orders!.Value)));
        Assert.Empty(bAsksForA.Data.TopProducts);
        Assert.Equal(0m, bAsksForAAgain.Data.Metrics.Revenue);
        Assert.Equal(0, erpB.Queries.Cache!.Hits);
        Assert.Equal(revenueOf2, bOwn.Data.Metrics.Revenue);
        Assert.Empty(bProductsOfA.Data.Items);

        Assert.Equal(revenueOf1, shared1.Data.Metrics.Revenue);
        Assert.Same(shared1.Data, shared1Again.Data);
        Assert.Equal(revenueOf2, shared2.Data.Metrics.Revenue);
        Assert.Equal(1, hitsBeforeRevoke);
        Assert.Equal(0m, sharedAfterRevoke.Data.Metrics.Revenue);
        // Every day of the period has a row; none holds anything of the merchant.
        Assert.Equal(7, sharedAfterRevoke.Data.Daily.Count);
        Assert.All(sharedAfterRevoke.Data.Daily, d => Assert.Equal((0m, 0L), (d.Revenue, d.Orders!.Value)));
        Assert.Equal(0m, sharedAfterRevokeAgain.Data.Metrics.Revenue);
        Assert.Same(shared2.Data, shared2AfterRevoke.Data);
        Assert.Equal(2, shared.Queries.Cache.Hits);
    }

    [Fact]
    public async Task Queries_over_facts_results_or_live_dimensions_are_never_cached()
    {
        await using var f = await QueryFixture.CreateAsync();
        var period = Week;

        for (var i = 0; i < 2; i++)
        {
            await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period, GroupBy = SalesGrouping.Category });
            await f.Erp.Queries.FinanceAsync(new FinanceQuery { MerchantId = 1, Period = period });
            await f.Erp.Queries.ProfitAsync(new ProfitQuery { MerchantId = 1, Period = period });
            await f.Erp.Queries.ReceivablesAsync(new ReceivableQuery { MerchantId = 1 });
            await f.Erp.Queries.AlertsAsync(new AlertQuery { MerchantId = 1 });
            await f.Erp.Queries.TargetsAsync(new Erp.Db.Queries.Targets.TargetQuery { MerchantId = 1 });
        }
        // A category renamed outside any refresh shows at once in the sales by category.
        await f.Db.ExecuteAsync("UPDATE dw.dim_categories SET category_name = 'Robots' WHERE category_id = 1");
        var renamed = await f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period, GroupBy = SalesGrouping.Category });

        Assert.Equal(0, f.Erp.Queries.Cache!.Hits);
        Assert.Equal(0, f.Erp.Queries.Cache.Count);
        Assert.Contains(renamed.Data.Breakdown, r => r.Label == "Robots");
    }

    [Fact]
    public async Task ResultCacheRows_0_turns_the_cache_off_and_the_answers_stay_the_same()
    {
        await using var f = await QueryFixture.CreateAsync();
        await using var off = new ErpDatabase(f.Db.DataSource, options: new ErpDbOptions { ResultCacheRows = 0 });
        var sales = new SalesQuery { MerchantId = 1, Period = Week };

        var cached = await f.Erp.Queries.SalesAsync(sales);
        var uncached = await off.Queries.SalesAsync(sales);
        var uncachedAgain = await off.Queries.SalesAsync(sales);

        Assert.Null(off.Queries.Cache);
        Assert.NotSame(uncached.Data, uncachedAgain.Data);
        Assert.Equal(cached.Data.Metrics, uncached.Data.Metrics);
        Assert.Equal(cached.Data.Daily, uncached.Data.Daily);
        Assert.Equal(cached.Freshness.Select(v => v.View), uncached.Freshness.Select(v => v.View));
    }

    [Fact]
    public async Task A_sales_period_that_includes_today_is_cached_for_the_minute_its_growth_is_cut_at()
    {
        await using var f = await QueryFixture.CreateAsync();
        var toToday = new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, QueryFixture.Today) };
        var cache = f.Erp.Queries.Cache!;

        // Two calls within one minute share the answer; a call crossing into the next minute may not, so try again then.
        for (var attempt = 0; ; attempt++)
        {
            var minute = Minute();
            var hits = cache.Hits;
            var first = await f.Erp.Queries.SalesAsync(toToday);
            var second = await f.Erp.Queries.SalesAsync(toToday);
            if (Minute() != minute && attempt < 3)
            {
                continue;
            }
            Assert.NotNull(first.Data.ComparedTo.Through);
            Assert.Same(first.Data, second.Data);
            Assert.Equal(hits + 1, cache.Hits);
            break;
        }

        static string Minute() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void The_cache_holds_at_most_its_rows_drops_the_least_recently_used_and_serves_only_the_same_version()
    {
        var cache = new ResultCache(200);
        var a = new ResultCache.Key(1, "a");
        var b = new ResultCache.Key(1, "b");
        var c = new ResultCache.Key(2, "a");

        cache.Set(a, "v1", "A", rows: 20);
        cache.Set(b, "v1", "B", rows: 20);
        Assert.True(cache.TryGet(a, "v1", out var hit));
        Assert.False(cache.TryGet(a, "v2", out _));
        Assert.False(cache.TryGet(c, "v1", out _));
        cache.Set(c, "v1", "C", rows: 20);
        // 63 held, then three of 50 each: the least recently used (b; a was read since) goes.
        cache.Set(new ResultCache.Key(3, "a"), "v1", "D", rows: 49);
        cache.Set(new ResultCache.Key(3, "b"), "v1", "E", rows: 49);
        cache.Set(new ResultCache.Key(3, "c"), "v1", "F", rows: 49);
        // Heavier than a quarter of the bound: not held.
        cache.Set(new ResultCache.Key(4, "a"), "v1", "huge", rows: 60);

        Assert.Equal("A", hit);
        Assert.Equal(192, cache.Weight);
        Assert.Equal(5, cache.Count);
        Assert.False(cache.Holds(b));
        Assert.True(cache.Holds(a));
        Assert.False(cache.Holds(new ResultCache.Key(4, "a")));
        cache.Set(a, "v2", "A2", rows: 1);
        Assert.True(cache.TryGet(a, "v2", out var replaced));
        Assert.Equal("A2", replaced);
        Assert.False(cache.TryGet(a, "v1", out _));
    }

    private static ViewFreshness Daily<T>(QueryResult<T> result) => Assert.Single(result.Freshness, v => v.View == "mart.mv_daily_sales");
}
