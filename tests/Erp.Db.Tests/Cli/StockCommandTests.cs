using System.Globalization;
using System.Text.Json;
using Erp.Db.Queries;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Queries;

namespace Erp.Db.Tests.Cli;

/// <summary>
/// erpdb stock (<see cref="WarehouseQueries.StockPositionsAsync"/>): the merchant's stock positions one by one, each equal to its
/// row of dw.fact_inventory, the totals equal to the same sums asked in SQL, and the statuses equal to the alerts the stock checks
/// raise for the same positions.
/// </summary>
public class StockCommandTests
{
    /// <summary>
    /// Posted orders, a second warehouse holding one product's stock while the shipping warehouse of another is emptied: the
    /// product-level inventory sums such a product to "normal", the positions show the empty one.
    /// </summary>
    private static async Task<QueryFixture> PositionsAsync()
    {
        var f = await QueryFixture.CreateAsync();
        foreach (var merchant in new[] { "1", "2" })
        {
            var run = await CliRun.RunAsync("post", "--merchant", merchant, "--connection", f.Db.ConnectionString, "--format", "json");
            Assert.True(run.ExitCode == 0, run.Output + run.Error);
        }
        await f.Db.ExecuteAsync("""
            INSERT INTO dw.fact_inventory (merchant_id, product_id, warehouse_code, quantity_on_hand, safety_stock, average_unit_cost)
            SELECT merchant_id, product_id, 'wh-bj', 500, 3, 12.3456 FROM dw.dim_products WHERE merchant_id = 1;
            UPDATE dw.fact_inventory SET quantity_reserved = 0, quantity_on_hand = 0
             WHERE merchant_id = 1 AND warehouse_code = 'default'
               AND product_id = (SELECT min(product_id) FROM dw.fact_inventory WHERE merchant_id = 1 AND warehouse_code = 'default');
            SELECT dw.check_stock_levels(NULL);
            """);
        return f;
    }

    /// <summary>The merchant's positions from the facts, in the command's order, one string each.</summary>
    private static Task<string?> ExpectedAsync(TestDatabase db, long merchant, string where = "true") => db.ScalarAsync<string>($"""
        SELECT string_agg(concat_ws('|', p.sku, f.warehouse_code, f.quantity_on_hand, f.quantity_reserved, f.quantity_available, f.quantity_incoming,
                                    f.shortage_on_hand, f.shortage_reserved, f.safety_stock, round(f.quantity_on_hand * f.average_unit_cost, 2)),
                          ',' ORDER BY f.quantity_available, p.sku, f.warehouse_code)
          FROM dw.fact_inventory AS f JOIN dw.dim_products AS p USING (merchant_id, product_id)
         WHERE f.merchant_id = {merchant} AND {where}
        """);

    private static string Actual(JsonElement data) => string.Join(",", data.GetProperty("positions").GetProperty("items").EnumerateArray()
        .Select(p => string.Join("|", p.GetProperty("sku").GetString(), p.GetProperty("warehouse").GetString(), p.GetProperty("onHand").GetInt32(),
            p.GetProperty("reserved").GetInt32(), p.GetProperty("available").GetInt32(), p.GetProperty("incoming").GetInt32(),
            p.GetProperty("shortageOnHand").GetInt32(), p.GetProperty("shortageReserved").GetInt32(), p.GetProperty("safetyStock").GetInt32(),
            p.GetProperty("value").GetDecimal().ToString("0.00", CultureInfo.InvariantCulture))));

    [Fact]
    public async Task Each_position_is_its_row_of_the_facts_and_the_totals_are_their_sums()
    {
        await using var f = await PositionsAsync();

        var run = await CliRun.RunAsync("stock", "--merchant", "1", "--page-size", "500", "--format", "json", "--connection", f.Db.ConnectionString);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var data = run.Json().GetProperty("data");
        Assert.Equal(await ExpectedAsync(f.Db, 1), Actual(data));
        var totals = data.GetProperty("totals");
        Assert.Equal(await f.Db.ScalarAsync<string>("""
                SELECT concat_ws('|', count(*), sum(quantity_on_hand), sum(quantity_reserved), sum(quantity_available), sum(shortage_on_hand),
                                 count(*) FILTER (WHERE shortage_on_hand > 0 OR shortage_reserved > 0), round(sum(quantity_on_hand * average_unit_cost), 2))
                  FROM dw.fact_inventory WHERE merchant_id = 1
                """),
            string.Join("|", totals.GetProperty("positions").GetInt64(), totals.GetProperty("onHand").GetInt64(), totals.GetProperty("reserved").GetInt64(),
                totals.GetProperty("available").GetInt64(), totals.GetProperty("shortageOnHand").GetInt64(), totals.GetProperty("shortOfStock").GetInt64(),
                totals.GetProperty("value").GetDecimal().ToString("0.00", CultureInfo.InvariantCulture)));
        // The rows are merchant 1's positions exactly (merchant 2 has positions too); its shipping warehouse is marked.
        Assert.NotEqual(0L, await f.Db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_inventory WHERE merchant_id = 2"));
        Assert.Equal(await f.Db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_inventory WHERE merchant_id = 1 AND warehouse_code = 'default'"),
            data.GetProperty("positions").GetProperty("items").EnumerateArray().Count(p => p.GetProperty("shipping").GetBoolean()));
        Assert.Equal(0, run.Json().GetProperty("meta").GetProperty("freshness").GetArrayLength());
    }

    /// <summary>
    /// --status out and low list exactly the positions the stock check raised out_of_stock and low_stock alerts for (one rule, the
    /// alerts' own), and shortage those with a shortage: the emptied shipping warehouse shows though the product has stock elsewhere.
    /// </summary>
    [Fact]
    public async Task The_status_filters_list_the_positions_the_stock_alerts_name()
    {
        await using var f = await PositionsAsync();
        string[] common = ["--merchant", "1", "--page-size", "500", "--format", "json", "--connection", f.Db.ConnectionString];

        var answers = new Dictionary<string, string?>();
        foreach (var status in new[] { "out", "low", "shortage" })
        {
            var run = await CliRun.RunAsync(["stock", "--status", status, .. common]);
            Assert.True(run.ExitCode == 0, run.Output + run.Error);
            var items = run.Json().GetProperty("data").GetProperty("positions");
            Assert.Equal(items.GetProperty("items").GetArrayLength(), items.GetProperty("total").GetInt32());
            answers[status] = string.Join(",", items.GetProperty("items").EnumerateArray()
                .Select(p => p.GetProperty("sku").GetString() + "@" + p.GetProperty("warehouse").GetString()).Order(StringComparer.Ordinal));
        }

        foreach (var (status, kind) in new[] { ("out", "out_of_stock"), ("low", "low_stock") })
        {
            Assert.Equal(await f.Db.ScalarAsync<string>($"""
                SELECT coalesce(string_agg(subject, ',' ORDER BY subject COLLATE "C"), '') FROM dw.alerts
                 WHERE merchant_id = 1 AND kind = '{kind}' AND resolved_at IS NULL
                """), answers[status]);
        }
        Assert.NotEqual("", answers["out"]);
        Assert.Equal(await f.Db.ScalarAsync<string>("""
            SELECT coalesce(string_agg(p.sku || '@' || f.warehouse_code, ',' ORDER BY p.sku || '@' || f.warehouse_code COLLATE "C"), '')
              FROM dw.fact_inventory AS f JOIN dw.dim_products AS p USING (merchant_id, product_id)
             WHERE f.merchant_id = 1 AND (f.shortage_on_hand > 0 OR f.shortage_reserved > 0)
            """), answers["shortage"]);
    }

    [Fact]
    public async Task The_warehouse_and_sku_filters_narrow_the_positions_and_an_unknown_one_is_a_validation_error()
    {
        await using var f = await PositionsAsync();
        string[] common = ["--merchant", "1", "--page-size", "500", "--format", "json", "--connection", f.Db.ConnectionString];
        var sku = await f.Db.ScalarAsync<string>("SELECT min(sku) FROM dw.dim_products WHERE merchant_id = 1");
        var othersSku = await f.Db.ScalarAsync<string>("SELECT min(sku) FROM dw.dim_products WHERE merchant_id = 2 AND sku NOT IN (SELECT sku FROM dw.dim_products WHERE merchant_id = 1)");

        var warehouse = await CliRun.RunAsync(["stock", "--warehouse", "WH-BJ", .. common]);
        var product = await CliRun.RunAsync(["stock", "--sku", sku!, .. common]);
        var unknownWarehouse = await CliRun.RunAsync(["stock", "--warehouse", "wh-szz", .. common]);
        var unknownSku = await CliRun.RunAsync(["stock", "--sku", othersSku ?? "no-such-sku", .. common]);

        Assert.True(warehouse.ExitCode == 0, warehouse.Output + warehouse.Error);
        Assert.Equal(await ExpectedAsync(f.Db, 1, "f.warehouse_code = 'wh-bj'"), Actual(warehouse.Json().GetProperty("data")));
        Assert.Equal(await ExpectedAsync(f.Db, 1, $"p.sku = '{sku}'"), Actual(product.Json().GetProperty("data")));
        foreach (var (run, field) in new[] { (unknownWarehouse, "warehouse"), (unknownSku, "sku") })
        {
            Assert.Equal((2, "VALIDATION_ERROR"), (run.ExitCode, run.Json().GetProperty("error").GetProperty("code").GetString()));
        }
        var warehouses = await f.Db.ScalarAsync<string>("SELECT string_agg(DISTINCT warehouse_code, ', ' ORDER BY warehouse_code) FROM dw.fact_inventory WHERE merchant_id = 1");
        Assert.Contains("wh-bj", warehouses, StringComparison.Ordinal);
        Assert.Contains($"has no warehouse wh-szz; its warehouses: {warehouses}.", unknownWarehouse.Output, StringComparison.Ordinal);

        // The shipping warehouse is the merchant's even where nothing is stocked yet: an empty answer, not an error.
        await f.Db.ExecuteAsync("UPDATE dw.dim_merchants SET shipping_warehouse_code = 'wh-ship' WHERE merchant_id = 1");
        var shipping = await CliRun.RunAsync(["stock", "--warehouse", "wh-ship", .. common]);
        Assert.True(shipping.ExitCode == 0, shipping.Output + shipping.Error);
        Assert.Equal(0, shipping.Json().GetProperty("data").GetProperty("totals").GetProperty("positions").GetInt64());
    }
}
