using Erp.Db.Queries;
using Erp.Db.Queries.Shops;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Results;

namespace Erp.Db.Tests.Cli;

/// <remarks>The cases of the bad-input theory share one database: each command is refused before it reads (<see cref="SharedDatabase"/>).</remarks>
public class ShopsCommandTests(SharedDatabase shared) : IClassFixture<SharedDatabase>
{
    [Fact]
    public async Task Shops_json_lists_health_components_and_ranks_equal_to_the_sql_answer()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await ShopHealthData.LoadAsync(db);

        var run = await CliRun.RunAsync("shops", "--merchant", "1", "--period", "week", "--sort-by", "revenue", "--format", "json", "--connection", db.ConnectionString);

        Assert.Equal(0, run.ExitCode);
        var json = run.Json();
        Assert.True(json.GetProperty("success").GetBoolean());
        var data = json.GetProperty("data");
        Assert.Equal("week", data.GetProperty("periodType").GetString());
        Assert.Equal(await db.ScalarAsync<DateOnly>("SELECT date_trunc('week', CURRENT_DATE)::date"), DateOnly.Parse(data.GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        var items = data.GetProperty("shops").GetProperty("items").EnumerateArray().Select(s =>
        {
            var c = s.GetProperty("components");
            string Part(string name) => string.Join("/", new[] { "value", "score", "weight" }.Select(p => c.GetProperty(name).GetProperty(p) is { ValueKind: System.Text.Json.JsonValueKind.Number } v ? v.GetDecimal().ToString("0.######", System.Globalization.CultureInfo.InvariantCulture) : "-"));
            return string.Join("|", s.GetProperty("shopId").GetInt64(), s.GetProperty("score").GetDecimal().ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                s.GetProperty("healthRank").GetInt32(), s.GetProperty("revenueRank").GetInt32(), s.GetProperty("profitRank").GetInt32(),
                s.GetProperty("revenue").GetDecimal().ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                Part("salesGrowth"), Part("grossMargin"), Part("fulfilmentHours"), Part("returnRate"), Part("stockOutRate"));
        });
        static string P(string column, string score, string weight) =>
            $"concat_ws('/', coalesce(trim_scale({column})::text, '-'), coalesce(trim_scale({score})::text, '-'), trim_scale({weight})::text)";
        var expected = await db.ScalarAsync<string>($"""
            SELECT string_agg(concat_ws('|', shop_id, score, health_rank, revenue_rank, profit_rank, gmv_cny::numeric(18, 2),
                                        {P("sales_growth", "sales_growth_score", "sales_growth_weight")}, {P("gross_margin", "gross_margin_score", "gross_margin_weight")},
                                        {P("fulfilment_hours", "fulfilment_score", "fulfilment_weight")}, {P("return_rate", "return_rate_score", "return_rate_weight")},
                                        {P("stock_out_rate", "stock_out_score", "stock_out_weight")}), ',' ORDER BY revenue_rank, shop_id)
            FROM mart.shop_health
            WHERE merchant_id = 1 AND period_type = 'week' AND period_start = date_trunc('week', CURRENT_DATE)::date
            """);
        Assert.Equal(2, data.GetProperty("shops").GetProperty("total").GetInt64());
        Assert.Equal(expected, string.Join(",", items));
        Assert.Contains(json.GetProperty("meta").GetProperty("freshness").EnumerateArray(), v => v.GetProperty("view").GetString() == "mart.mv_daily_sales");
    }

    [Fact]
    public async Task A_day_older_than_the_results_kept_answers_an_empty_list_that_says_why()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await ShopHealthData.LoadAsync(db);
        var old = DateOnly.FromDateTime(DateTime.Now).AddDays(-200).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var run = await CliRun.RunAsync("shops", "--merchant", "1", "--period", "day", "--date", old, "--format", "json", "--connection", db.ConnectionString);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(0, run.Json().GetProperty("data").GetProperty("shops").GetProperty("total").GetInt64());
        Assert.StartsWith("No shop results for this day", run.Json().GetProperty("meta").GetProperty("period").GetProperty("note").GetString());
        Assert.Equal(0L, await db.ScalarAsync<long>($"SELECT count(*) FROM mart.shop_health WHERE merchant_id = 1 AND period_type = 'day' AND period_start = '{old}'"));
    }

    [Fact]
    public async Task A_running_day_in_which_no_shop_was_active_yet_answers_an_empty_list_that_says_so()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await ShopHealthData.LoadAsync(db);
        // Merchant 1 as early in the day, before any order or listing: results are computed, today has none.
        await db.ExecuteAsync("""
            DELETE FROM dw.fact_order_items WHERE merchant_id = 1 AND order_date = CURRENT_DATE;
            DELETE FROM dw.fact_sales_orders WHERE merchant_id = 1 AND order_date = CURRENT_DATE;
            DELETE FROM dw.fact_product_metrics WHERE merchant_id = 1 AND metric_date = CURRENT_DATE;
            CALL ops.refresh_all('test');
            """);

        var run = await CliRun.RunAsync("shops", "--merchant", "1", "--period", "day", "--format", "json", "--connection", db.ConnectionString);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(0, run.Json().GetProperty("data").GetProperty("shops").GetProperty("total").GetInt64());
        Assert.StartsWith("No shop results for this day: no shop had an order or a listing in it yet,",
            run.Json().GetProperty("meta").GetProperty("period").GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM mart.shop_health WHERE merchant_id = 1 AND period_type = 'day' AND period_start = CURRENT_DATE - 1") > 0);
    }

    [Theory]
    [InlineData("--period", "hourly")]
    [InlineData("--date", "2026-02-30")]
    [InlineData("--date", "1800-01-01")]
    [InlineData("--sort-by", "name; DROP TABLE mart.shop_health")]
    [InlineData("--page-size", "0")]
    public async Task Bad_input_exits_2_with_a_validation_error(params string[] args)
    {
        var db = await shared.GetAsync(Views.SalesDataset.LoadAsync);

        var run = await CliRun.RunAsync(["shops", .. args, "--merchant", "1", "--format", "json", "--connection", db.ConnectionString]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("VALIDATION_ERROR", run.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM mart.shop_health") > 0);
    }

    [Fact]
    public async Task The_library_query_of_a_scoped_reader_returns_its_merchant_and_its_periods()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await ShopHealthData.LoadAsync(db);
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 2)");
        var erp = new ErpDatabase(reader.DataSource);
        var today = DateOnly.FromDateTime(DateTime.Now);

        var month = await erp.Queries.ShopsAsync(new ShopQuery { MerchantId = 2, Period = ShopPeriod.Month, SortBy = ShopSort.Profit, Paging = new Paging(1, 1) });
        var day = await erp.Queries.ShopsAsync(new ShopQuery { MerchantId = 2, Period = ShopPeriod.Day, Date = today.AddDays(-3) });
        var other = await erp.Queries.ShopsAsync(new ShopQuery { MerchantId = 1, Period = ShopPeriod.Month });

        Assert.Equal(new DateOnly(today.Year, today.Month, 1), month.Data.Start);
        Assert.Equal(2, month.Data.Shops.Total);
        var first = Assert.Single(month.Data.Shops.Items);
        Assert.Equal(1, first.ProfitRank);
        Assert.Equal(await db.ScalarAsync<long>("SELECT shop_id FROM mart.shop_health WHERE merchant_id = 2 AND period_type = 'month' AND period_start = date_trunc('month', CURRENT_DATE)::date ORDER BY profit_rank, shop_id LIMIT 1"), first.ShopId);
        Assert.Equal(today.AddDays(-3), day.Data.Start);
        Assert.Equal([21L, 22L], day.Data.Shops.Items.Select(s => s.ShopId).Order());
        Assert.Empty(other.Data.Shops.Items);
    }

    [Theory]
    [InlineData(ShopPeriod.Day)]
    [InlineData(ShopPeriod.Week)]
    [InlineData(ShopPeriod.Month)]
    public async Task The_library_refuses_a_period_that_has_not_begun_before_it_queries(ShopPeriod period)
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var unreachable = Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=none;Username=none;Timeout=3");
        // The month after the latest today anywhere (UTC+14) starts after today everywhere, as do its week and day.
        var latestToday = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(14));
        var future = new DateOnly(latestToday.Year, latestToday.Month, 1).AddMonths(1).AddDays(7);
        var query = new ShopQuery { MerchantId = 1, Period = period, Date = future };

        var refused = await Assert.ThrowsAsync<QueryValidationException>(() => new ErpDatabase(db.DataSource).Queries.ShopsAsync(query));
        var beforeConnecting = await Assert.ThrowsAsync<QueryValidationException>(() => new ErpDatabase(unreachable).Queries.ShopsAsync(query));

        Assert.Equal("date", refused.Field);
        Assert.Contains("after today in every time zone", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("give an earlier date.", refused.Message, StringComparison.Ordinal);
        Assert.Equal(refused.Message, beforeConnecting.Message);
    }
}
