using System.Reflection;
using Erp.Db.Cli.Import;
using Erp.Db.Ingest;
using Erp.Db.Ingest.Entities;
using Erp.Db.Tests.Faults;
using Erp.Db.Tests.Ingest;

namespace Erp.Db.Tests.Cli;

/// <summary>
/// A file that lacks some optional columns updates only the columns it has (IngestOptions.SuppliedFields): a stored row keeps
/// the rest, a new row takes their defaults. Before, a price list of sku and name reset every product's cost to 0.
/// </summary>
public class PartialImportTests
{
    [Fact]
    public async Task Products_reimported_without_cost_columns_keep_their_cost_and_safety_stock()
    {
        await using var db = await IngestSample.CreateAsync();
        var full = await WriteAsync("merchant_code,sku,product_name,unit_cost,safety_stock", "m-a,P-1,Pen,3.5,7");
        var names = await WriteAsync("merchant_code,sku,product_name", "m-a,P-1,Pen blue", "m-a,P-2,Pad");

        Assert.Equal(0, (await CliRun.RunAsync("import", "products", full, "--connection", db.ConnectionString, "--format", "json")).ExitCode);
        var run = await CliRun.RunAsync("import", "products", names, "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(0, run.ExitCode);
        var data = run.Json().GetProperty("data");
        Assert.Equal((1, 1), (data.GetProperty("inserted").GetInt32(), data.GetProperty("updated").GetInt32()));
        Assert.Equal("Pen blue 3.5000 7|Pad 0.0000 0", await db.ScalarAsync<string>($"""
            SELECT string_agg(concat_ws(' ', product_name, unit_cost, safety_stock), '|' ORDER BY sku)
            FROM dw.dim_products WHERE merchant_id = {IngestSample.Merchant} AND sku IN ('P-1', 'P-2')
            """));
        File.Delete(full);
        File.Delete(names);
    }

    [Fact]
    public async Task Orders_reimported_without_a_status_column_keep_their_status_and_stock()
    {
        await using var db = await IngestSample.CreateAsync();
        var orders = await WriteAsync("merchant_code,shop_code,order_no,order_date,ordered_at,gmv,status,shipped_at",
            "m-a,a-shopee,S-1,2026-03-05,2026-03-05T10:00:00+08:00,10,shipped,2026-03-05T12:00:00+08:00");
        var lines = await WriteAsync("merchant_code,shop_code,order_no,order_date,line_no,sku,quantity,unit_price",
            $"m-a,a-shopee,S-1,2026-03-05,1,{IngestSample.Sku},2,5");
        var corrected = await WriteAsync("merchant_code,shop_code,order_no,order_date,ordered_at,gmv",
            "m-a,a-shopee,S-1,2026-03-05,2026-03-05T10:00:00+08:00,12");
        foreach (var (entity, file) in new[] { ("orders", orders), ("order-items", lines) })
        {
            Assert.Equal(0, (await CliRun.RunAsync("import", entity, file, "--connection", db.ConnectionString, "--format", "json")).ExitCode);
        }
        const string Stock = "SELECT string_agg(concat_ws(' ', product_id, warehouse_code, quantity_on_hand, quantity_reserved), '|' ORDER BY product_id, warehouse_code) FROM dw.fact_inventory";
        const string Movements = "SELECT count(*) FROM dw.fact_inventory_transactions";
        var stockBefore = (await db.ScalarAsync<string>(Stock), await db.ScalarAsync<long>(Movements));

        var run = await CliRun.RunAsync("import", "orders", corrected, "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, run.Json().GetProperty("data").GetProperty("updated").GetInt32());
        Assert.Equal("shipped 12.00 t 2", await db.ScalarAsync<string>(
            "SELECT concat_ws(' ', status, gmv, inventory_deducted, item_count) FROM dw.fact_sales_orders WHERE order_no = 'S-1'"));
        Assert.Equal(stockBefore, (await db.ScalarAsync<string>(Stock), await db.ScalarAsync<long>(Movements)));
        foreach (var file in new[] { orders, lines, corrected })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_line_reimported_without_unit_cost_keeps_its_cost_while_its_sku_stays_and_takes_the_new_products_when_it_changes()
    {
        await using var db = await IngestSample.CreateAsync();
        var files = new[]
        {
            ("products", await WriteAsync("merchant_code,sku,product_name,unit_cost", "m-a,P-1,Pen,3", "m-a,P-2,Pad,8")),
            ("orders", await WriteAsync("merchant_code,shop_code,order_no,order_date,ordered_at,gmv,status",
                "m-a,a-shopee,S-1,2026-03-05,2026-03-05T10:00:00+08:00,40,paid")),
            ("order-items", await WriteAsync("merchant_code,shop_code,order_no,order_date,line_no,sku,quantity,unit_price",
                "m-a,a-shopee,S-1,2026-03-05,1,P-1,2,10", "m-a,a-shopee,S-1,2026-03-05,2,P-1,2,10")),
            ("products", await WriteAsync("merchant_code,sku,product_name,unit_cost", "m-a,P-1,Pen,5")),
            ("order-items", await WriteAsync("merchant_code,shop_code,order_no,order_date,line_no,sku,quantity,unit_price",
                "m-a,a-shopee,S-1,2026-03-05,1,P-1,2,10", "m-a,a-shopee,S-1,2026-03-05,2,P-2,2,10")),
        };
        foreach (var (entity, file) in files)
        {
            var run = await CliRun.RunAsync("import", entity, file, "--connection", db.ConnectionString, "--format", "json");
            Assert.True(run.ExitCode == 0, run.Output + run.Error);
            File.Delete(file);
        }

        // Line 1 kept the cost it was posted at (P-1's 3, not its new 5); line 2 moved to P-2 and takes P-2's 8.
        Assert.Equal("1 P-1 3.0000|2 P-2 8.0000", await db.ScalarAsync<string>("""
            SELECT string_agg(concat_ws(' ', i.line_no, p.sku, i.unit_cost), '|' ORDER BY i.line_no)
            FROM dw.fact_order_items AS i JOIN dw.fact_sales_orders AS o USING (order_id) JOIN dw.dim_products AS p USING (product_id)
            WHERE o.order_no = 'S-1'
            """));
        Assert.Equal(2 * 3m + 2 * 8m, await db.ScalarAsync<decimal>("SELECT cost_amount_cny FROM dw.fact_sales_orders WHERE order_no = 'S-1'"));
    }

    [Fact]
    public async Task A_supplied_field_the_entity_does_not_have_is_refused_and_nothing_is_saved()
    {
        await using var db = await IngestSample.CreateAsync();
        var before = await DatabaseChecksum.ReadAsync(db);
        var ingestor = new Ingestor(db.DataSource).With(new IngestOptions { SuppliedFields = new HashSet<string> { "sku", "colour" } });

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ingestor.UpsertProductsAsync([new ProductMasterRow(IngestSample.Merchant, "P-9", "Pin")]));

        Assert.Contains("'colour' is not a field of products", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseChecksum.ReadAsync(db));
    }

    /// <summary>erpdb import passes a file's header as the supplied fields: every column of every entity must be a field of its plan.</summary>
    [Fact]
    public void Every_import_column_is_a_field_of_its_entitys_ingest_plan()
    {
        var plans = typeof(OrdersEntity).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(OrdersEntity).Namespace)
            .Select(t => t.GetField("Plan", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
            .OfType<object>()
            .ToDictionary(plan => (string)plan.GetType().GetProperty("Entity")!.GetValue(plan)!);

        Assert.Equal(ImportEntities.All.Select(e => e.Name).Order(), plans.Keys.Order());
        foreach (var entity in ImportEntities.All)
        {
            // Supplying throws ArgumentException (wrapped by Invoke) for a name that is not a field.
            var plan = plans[entity.Name];
            plan.GetType().GetMethod("Supplying")!.Invoke(plan, [entity.Columns.Select(c => c.Name).ToHashSet()]);
        }
    }

    private static async Task<string> WriteAsync(params string[] lines)
    {
        var path = Path.Combine(Path.GetTempPath(), $"erpdb-import-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }
}
