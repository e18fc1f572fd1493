using Erp.Db.Queries;
using Erp.Db.Queries.Products;

namespace Erp.Db.Tests.Queries;

/// <remarks>The tests that only read the sales dataset share one (<see cref="SharedQueryFixture"/>); the listing status test changes it and has its own.</remarks>
public class ProductQueryTests(SharedQueryFixture shared) : IClassFixture<SharedQueryFixture>
{
    /// <summary>Each listing's latest day within the view's 90-day window, from the facts.</summary>
    private const string Latest = """
        FROM dw.fact_product_metrics AS m
        WHERE merchant_id = 1 AND metric_date >= CURRENT_DATE - 90
          AND metric_date = (SELECT max(x.metric_date) FROM dw.fact_product_metrics AS x
                              WHERE x.merchant_id = m.merchant_id AND x.shop_id = m.shop_id AND x.product_id = m.product_id)
        """;

    [Fact]
    public async Task Lists_each_listing_on_its_latest_day_with_paging_and_totals()
    {
        var f = await shared.GetAsync();

        var first = (await f.Erp.Queries.ProductsAsync(new ProductQuery { MerchantId = 1, SortBy = ProductSort.Sku, Direction = SortDirection.Ascending, Paging = new Paging(1, 3) })).Data;
        var second = (await f.Erp.Queries.ProductsAsync(new ProductQuery { MerchantId = 1, SortBy = ProductSort.Sku, Direction = SortDirection.Ascending, Paging = new Paging(2, 3) })).Data;

        var listings = await f.Db.ScalarAsync<long>("SELECT count(*) " + Latest);
        Assert.Equal(listings, first.Total);
        Assert.Equal(3, first.Items.Count);
        Assert.Equal(listings - 3, second.Items.Count);
        Assert.Empty(first.Items.Select(i => (i.ProductId, i.ShopId)).Intersect(second.Items.Select(i => (i.ProductId, i.ShopId))));
        Assert.True(first.Items.Zip(first.Items.Skip(1)).All(p => string.CompareOrdinal(p.First.Sku, p.Second.Sku) <= 0));
    }

    [Fact]
    public async Task Every_filter_narrows_to_what_the_facts_say()
    {
        var f = await shared.GetAsync();
        var q = f.Erp.Queries;

        var shopee = (await q.ProductsAsync(new ProductQuery { MerchantId = 1, Platform = "shopee" })).Data;
        var kite = (await q.ProductsAsync(new ProductQuery { MerchantId = 1, Keyword = "kIT" })).Data;
        var sku = (await q.ProductsAsync(new ProductQuery { MerchantId = 1, Keyword = "SKU-101" })).Data;
        var cheap = (await q.ProductsAsync(new ProductQuery { MerchantId = 1, MaxPrice = 20m })).Data;
        var pricey = (await q.ProductsAsync(new ProductQuery { MerchantId = 1, MinPrice = 1000m })).Data;
        var low = (await q.ProductsAsync(new ProductQuery { MerchantId = 1, StockStatus = "low_stock" })).Data;
        var lowAsTyped = (await q.ProductsAsync(new ProductQuery { MerchantId = 1, StockStatus = "LOW" })).Data;
        var unknownStatus = await Assert.ThrowsAsync<QueryValidationException>(() => q.ProductsAsync(new ProductQuery { MerchantId = 1, StockStatus = "lowish" }));
        var category = (await q.ProductsAsync(new ProductQuery { MerchantId = 1, CategoryId = 1, Status = "active" })).Data;
        var byPrice = (await q.ProductsAsync(new ProductQuery { MerchantId = 1, SortBy = ProductSort.Price, Direction = SortDirection.Ascending })).Data;

        Assert.All(shopee.Items, i => Assert.Equal("shopee", i.Platform));
        Assert.Equal(low.Total, lowAsTyped.Total);
        // The estimate (units x price) and what the platform reported sold, each from the metrics row shown.
        foreach (var item in shopee.Items)
        {
            var row = $"FROM dw.fact_product_metrics WHERE merchant_id = 1 AND product_id = {item.ProductId} AND shop_id = {item.ShopId} AND metric_date = '{item.MetricDate:yyyy-MM-dd}'";
            Assert.Equal(await f.Db.ScalarAsync<decimal>("SELECT sales_amount_cny " + row), item.SalesAmount);
            Assert.Equal(await f.Db.ScalarAsync<decimal>("SELECT round(sales_volume * price_cny, 2) " + row), item.EstimatedRevenue);
        }
        Assert.Equal("stockStatus", unknownStatus.Field);
        Assert.Equal(await f.Db.ScalarAsync<long>("SELECT count(*) " + Latest + " AND shop_id = 11"), shopee.Total);
        Assert.All(kite.Items, i => Assert.Equal("Kite", i.Name));
        Assert.NotEmpty(kite.Items);
        Assert.All(sku.Items, i => Assert.Equal("SKU-101", i.Sku));
        Assert.Equal(await f.Db.ScalarAsync<long>("SELECT count(*) " + Latest + " AND price_cny <= 20"), cheap.Total);
        Assert.Equal(0, pricey.Total);
        // Low stock is the product's warehouse stock at or below its safety stock (dw.stock_status), not the listing's platform stock.
        Assert.Equal(await f.Db.ScalarAsync<long>("SELECT count(*) " + Latest + """
             AND product_id IN (SELECT product_id FROM dw.fact_inventory WHERE merchant_id = 1 GROUP BY product_id
                                HAVING sum(quantity_available) > 0 AND sum(quantity_available) <= sum(safety_stock))
            """), low.Total);
        Assert.All(low.Items, i => Assert.Equal("low_stock", i.StockStatus));
        Assert.Equal(await f.Db.ScalarAsync<long>("SELECT count(*) " + Latest), category.Total);
        Assert.True(byPrice.Items.Zip(byPrice.Items.Skip(1)).All(p => p.First.Price <= p.Second.Price));
    }

    [Fact]
    public async Task A_listing_status_is_one_the_table_allows_in_any_case_and_another_is_refused()
    {
        await using var f = await QueryFixture.CreateAsync();
        // One listing of product 102 in shop 12 inactive on its latest day.
        await f.Db.ExecuteAsync("""
            UPDATE dw.fact_product_metrics SET listing_status = 'inactive'
             WHERE merchant_id = 1 AND product_id = 102 AND shop_id = 12 AND metric_date = CURRENT_DATE;
            CALL ops.refresh_all('test');
            """);
        var q = f.Erp.Queries;

        var allowed = (await f.Db.ScalarAsync<string>(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'fact_product_metrics_listing_status_known'"))!;
        var inactive = (await q.ProductsAsync(new ProductQuery { MerchantId = 1, Status = " Inactive" })).Data;
        var bogus = await Assert.ThrowsAsync<QueryValidationException>(() => q.ProductsAsync(new ProductQuery { MerchantId = 1, Status = "bogus" }));

        Assert.Equal(System.Text.RegularExpressions.Regex.Matches(allowed, @"'([a-z_]+)'::text").Select(m => m.Groups[1].Value).Order(),
            WarehouseQueries.ListingStatuses.Order());
        Assert.Equal([(102L, 12L)], inactive.Items.Select(i => (i.ProductId, i.ShopId)));
        Assert.Equal(await f.Db.ScalarAsync<long>("SELECT count(*) " + Latest + " AND listing_status = 'inactive'"), inactive.Total);
        Assert.Equal("status", bogus.Field);
        Assert.Equal("'bogus' is not a listing status: active, inactive, out_of_stock, banned, deleted.", bogus.Message);
    }

    [Theory]
    [InlineData("'; DROP TABLE dw.dim_products; --")]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("\\")]
    [InlineData("Robot' OR '1'='1")]
    public async Task Hostile_keywords_find_nothing_and_change_nothing(string keyword)
    {
        var f = await shared.GetAsync();

        var result = (await f.Erp.Queries.ProductsAsync(new ProductQuery { MerchantId = 1, Keyword = keyword })).Data;

        Assert.Equal(0, result.Total);
        Assert.Equal(4, await f.Db.ScalarAsync<long>("SELECT count(*) FROM dw.dim_products"));
    }

    [Theory]
    [InlineData(0, 20)]
    [InlineData(-1, 20)]
    [InlineData(1, 0)]
    [InlineData(1, -5)]
    [InlineData(1, 100_000)]
    [InlineData(int.MaxValue, 500)]
    public async Task Bad_paging_is_refused_with_the_field_named(int page, int pageSize)
    {
        var f = await shared.GetAsync();

        var error = await Assert.ThrowsAsync<QueryValidationException>(() =>
            f.Erp.Queries.ProductsAsync(new ProductQuery { MerchantId = 1, Paging = new Paging(page, pageSize) }));

        Assert.Contains(error.Field, new[] { "page", "pageSize" });
    }

    [Fact]
    public async Task An_unknown_merchant_gets_an_empty_page()
    {
        var f = await shared.GetAsync();

        var result = (await f.Erp.Queries.ProductsAsync(new ProductQuery { MerchantId = 999 })).Data;

        Assert.Equal(0, result.Total);
        Assert.Empty(result.Items);
    }
}
