using Erp.Db.Tests.Queries;

namespace Erp.Db.Tests.Cli;

/// <summary>
/// Options that take a value from a list: values are typed as the JSON output writes them (snake_case), and a value not in the
/// list is refused in one sentence naming the option and its values as they are typed, never a .NET type.
/// </summary>
public class ChoiceOptionTests
{
    private const string Unreachable = "Host=127.0.0.1;Port=1;Database=none";

    [Theory]
    [InlineData("sales", "--group-by", "foo", "'foo' is not a value of --group-by; use one of: day, week, month, shop, platform, product, category, hour.")]
    [InlineData("products", "--order", "up", "'up' is not a value of --order; use one of: descending (or desc), ascending (or asc).")]
    [InlineData("status", "--format", "xml", "'xml' is not a value of --format; use one of: table, json, csv.")]
    [InlineData("customers", "--segment", "onetime,vip", "'onetime,vip' is not a value of --segment; use one of: all, new, repeat, churned, vip, one_time.")]
    [InlineData("inventory", "--status", "3", "'3' is not a value of --status; use one of: all, low (or low_stock), out (or out_of_stock), overstock.")]
    public async Task A_value_not_in_the_list_is_named_with_the_option_and_its_values_as_typed(string command, string option, string value, string message)
    {
        // Output that is not a terminal is JSON (so --format xml still answers in JSON); --format table prints the error on stderr.
        var json = await CliRun.RunAsync(command, option, value, "--connection", Unreachable);
        var table = await CliRun.RunAsync(command, option, value, "--connection", Unreachable, "--format", "table");

        Assert.Equal(2, json.ExitCode);
        var error = json.Json().GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
        Assert.Equal($"{message} Run 'erpdb {command} --help' for usage.", error.GetProperty("message").GetString());
        Assert.Equal([message], error.GetProperty("details").GetProperty("problems").EnumerateArray().Select(d => d.GetProperty("message").GetString()));
        Assert.Equal(2, table.ExitCode);
        if (option != "--format")
        {
            Assert.Equal($"{message}\nRun 'erpdb {command} --help' for usage.\n", table.Error.ReplaceLineEndings("\n"));
        }
    }

    [Fact]
    public async Task Help_lists_the_values_as_they_are_typed()
    {
        var run = await CliRun.RunAsync("customers", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--segment <all|new|repeat|churned|vip|one_time>", run.Output, StringComparison.Ordinal);
        Assert.Contains("--sort-by <revenue|orders|last_order>", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("customers", "--sort-by <revenue|orders|last_order>", "revenue")]
    [InlineData("profit", "--by, --group-by <shop|platform|product|category|period>", "shop")]
    [InlineData("funnel", "--grain, --granularity <day|week|month>", "day")]
    [InlineData("inventory", "--status <all|low|out|overstock>", "all")]
    [InlineData("status", "-f, --format <table|json|csv>", "json")]
    public async Task Help_shows_a_default_as_it_is_typed(string command, string usage, string typed)
    {
        var run = await CliRun.RunAsync(command, "--help");

        Assert.Equal(0, run.ExitCode);
        var line = run.Output.Split('\n').Single(l => l.TrimStart().StartsWith(usage, StringComparison.Ordinal));
        Assert.EndsWith($"[default: {typed}]", line.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\[default: [A-Z]", run.Output);
    }

    [Fact]
    public async Task A_segment_is_typed_as_the_json_writes_it_and_as_before()
    {
        await using var f = await QueryFixture.CreateAsync();
        // A one-time customer: one order, 45 days ago (not new, not churned).
        await f.Db.ExecuteAsync("""
            INSERT INTO dw.dim_customers (customer_id, merchant_id, customer_code) VALUES (1012, 1, 'c1012');
            INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at)
            VALUES (1, CURRENT_DATE - 45, 11, 1012, 'o-once-1012', 'delivered', 1, 80, 30, CURRENT_DATE - 45);
            CALL ops.refresh_all('test');
            """);
        string[] common = ["customers", "--merchant", "1", "--limit", "500", "--format", "json", "--connection", f.Db.ConnectionString];

        var snake = await CliRun.RunAsync([.. common, "--segment", "one_time", "--sort-by", "last_order"]);
        var before = await CliRun.RunAsync([.. common, "--segment", "onetime", "--sort-by", "lastorder"]);
        var pascal = await CliRun.RunAsync([.. common, "--segment", "OneTime", "--sort-by", "LastOrder"]);

        Assert.True(snake.ExitCode == 0, snake.Output);
        var customers = Codes(snake);
        Assert.Equal(["c1012"], customers);
        Assert.Equal("one_time", snake.Json().GetProperty("data").GetProperty("customers")[0].GetProperty("segment").GetString());
        // The segments' keys are JSON field names, camelCase as every other; the value a customer's segment has stays as typed.
        var segments = snake.Json().GetProperty("data").GetProperty("segments");
        Assert.True(segments.GetProperty("oneTime").GetProperty("count").GetInt64() >= 1);
        Assert.DoesNotContain(segments.EnumerateObject(), s => s.Name.Contains('_', StringComparison.Ordinal));
        Assert.Equal(customers, Codes(before));
        Assert.Equal(customers, Codes(pascal));
    }

    [Fact]
    public async Task Inventory_status_takes_the_stock_status_names_products_write()
    {
        await using var f = await QueryFixture.CreateAsync();
        string[] common = ["inventory", "--format", "json", "--connection", f.Db.ConnectionString];

        var lowStock = await CliRun.RunAsync([.. common, "--merchant", "1", "--status", "low_stock"]);
        var low = await CliRun.RunAsync([.. common, "--merchant", "1", "--status", "low"]);
        var outOfStock = await CliRun.RunAsync([.. common, "--merchant", "2", "--status", "out_of_stock"]);
        var outs = await CliRun.RunAsync([.. common, "--merchant", "2", "--status", "out"]);

        Assert.True(lowStock.ExitCode == 0, lowStock.Output);
        Assert.True(outOfStock.ExitCode == 0, outOfStock.Output);
        Assert.Equal(await Stock(f, 1, "sum(quantity_available) > 0 AND sum(quantity_available) <= sum(safety_stock)"), Products(lowStock));
        Assert.Equal(Products(low), Products(lowStock));
        Assert.Equal(await Stock(f, 2, "sum(quantity_available) <= 0"), Products(outOfStock));
        Assert.Equal(Products(outs), Products(outOfStock));
        Assert.NotEmpty(Products(lowStock));
        Assert.NotEmpty(Products(outOfStock));
    }

    [Fact]
    public async Task Products_order_takes_asc_and_desc_and_sorts_as_sql_does()
    {
        await using var f = await QueryFixture.CreateAsync();
        string[] common = ["products", "--merchant", "1", "--sort-by", "price", "--page-size", "500", "--format", "json", "--connection", f.Db.ConnectionString];

        var asc = await CliRun.RunAsync([.. common, "--order", "asc"]);
        var ascending = await CliRun.RunAsync([.. common, "--order", "ascending"]);
        var desc = await CliRun.RunAsync([.. common, "--order", "DESC"]);

        Assert.True(asc.ExitCode == 0, asc.Output);
        Assert.True(desc.ExitCode == 0, desc.Output);
        var prices = Prices(asc);
        Assert.True(prices.Count > 1);
        Assert.Equal(prices.Order(), prices);
        Assert.Equal(prices, Prices(ascending));
        Assert.Equal(prices.OrderDescending(), Prices(desc));
        // The same question in SQL: the listings' latest prices, lowest first.
        Assert.Equal(
            await f.Db.ScalarAsync<decimal[]>("SELECT array_agg(price_cny ORDER BY price_cny) FROM mart.mv_product_management WHERE merchant_id = 1 AND is_latest AND price_cny IS NOT NULL"),
            prices);
    }

    private static List<decimal> Prices(CliRun run) =>
        [.. run.Json().GetProperty("data").GetProperty("items").EnumerateArray().Select(p => p.GetProperty("price").GetDecimal())];

    /// <summary>The products of a merchant whose stock over all warehouses meets <paramref name="having"/>, from the facts.</summary>
    private static async Task<long[]> Stock(QueryFixture f, int merchant, string having) => (await f.Db.ScalarAsync<long[]>($"""
        SELECT coalesce(array_agg(product_id ORDER BY product_id), ARRAY[]::bigint[]) FROM (
            SELECT product_id FROM dw.fact_inventory WHERE merchant_id = {merchant} GROUP BY product_id HAVING {having}) AS matching
        """))!;

    private static List<string?> Codes(CliRun run) =>
        [.. run.Json().GetProperty("data").GetProperty("customers").EnumerateArray().Select(c => c.GetProperty("customerCode").GetString())];

    private static long[] Products(CliRun run) =>
        [.. run.Json().GetProperty("data").GetProperty("products").GetProperty("items").EnumerateArray().Select(p => p.GetProperty("productId").GetInt64()).Order()];
}
