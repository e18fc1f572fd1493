using System.Globalization;
using System.Text.Json;
using Erp.Db.Tests.Infrastructure;
using MiniExcelLibs;

namespace Erp.Db.Tests.Cli;

/// <summary>A new merchant built from files only, by natural keys, through erpdb import; then answered by erpdb sales and inventory.</summary>
public class WholeMerchantImportTests
{
    private static readonly string Today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_merchant_imported_from_files_answers_sales_and_inventory_and_a_second_import_changes_nothing()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var dir = Directory.CreateTempSubdirectory("erpdb-merchant-").FullName;
        var d1 = Day(-1);
        var d2 = Day(-2);
        var files = new List<(string Entity, string File)>
        {
            ("merchants", Csv(dir, "merchants.csv", "merchant_code,merchant_name,timezone", "acme,Acme 数码,Asia/Shanghai")),
            ("shops", Csv(dir, "shops.csv", "merchant_code,shop_code,shop_name,platform,currency_code,settlement_days",
                "acme,acme-shopee,Acme Shopee,shopee,CNY,7", "acme,acme-site,Acme Site,own_site,CNY,0")),
            ("categories", Xlsx(dir, "categories.xlsx",
                new Dictionary<string, object> { ["merchant_code"] = "acme", ["category_path"] = "Electronics/Phones" },
                new Dictionary<string, object> { ["merchant_code"] = "acme", ["category_path"] = "Electronics" },
                new Dictionary<string, object> { ["merchant_code"] = "acme", ["category_path"] = "Home" })),
            ("products", Csv(dir, "products.csv", "merchant_code,sku,product_name,category_path,unit_cost,safety_stock",
                "acme,P-1,Phone,Electronics/Phones,40,2", "acme,P-2,Lamp,Home,30.5,1")),
            ("customers", Csv(dir, "customers.csv", "merchant_code,customer_code,customer_name,channel", "acme,c1,王小明,app", "acme,c2,Ann,pc")),
            ("purchases", Csv(dir, "purchases.csv", "merchant_code,reference_no,sku,quantity,unit_cost,received_date",
                $"acme,PO-1,P-1,10,40,{Day(-5)}", $"acme,PO-2,P-2,5,30.5,{Day(-5)}")),
            ("orders", Csv(dir, "orders.csv", "merchant_code,shop_code,customer_code,order_no,order_date,ordered_at,gmv,status,is_invoiced,invoice_id",
                $"acme,acme-shopee,c1,O-1,{d2},{d2}T12:00:00+08:00,300.00,completed,true,INV-1",
                $"acme,acme-shopee,c2,O-2,{d1},{d1}T12:00:00+08:00,150.50,shipped,false,",
                $"acme,acme-site,,O-3,{d1},{d1}T13:00:00+08:00,80,cancelled,false,")),
            ("order-items", Csv(dir, "order-items.csv", "merchant_code,shop_code,order_no,order_date,line_no,sku,quantity,unit_price",
                $"acme,acme-shopee,O-1,{d2},1,P-1,2,100", $"acme,acme-shopee,O-1,{d2},2,P-2,1,100",
                $"acme,acme-shopee,O-2,{d1},1,P-1,1,150.50", $"acme,acme-site,O-3,{d1},1,P-2,1,80")),
            ("payments", Csv(dir, "payments.csv", "merchant_code,reference_no,receipt_date,received_at,amount,invoice_no",
                $"acme,PAY-1,{d1},{d1}T09:00:00+08:00,300,INV-1")),
        };

        foreach (var (entity, file) in files)
        {
            var run = await CliRun.RunAsync("import", entity, file, "--connection", db.ConnectionString, "--format", "json");
            Assert.True(run.ExitCode == 0, $"{entity}: {run.Output}{run.Error}");
            Assert.Equal(0, run.Json().GetProperty("data").GetProperty("updated").GetInt64());
        }
        Assert.Equal(0, (await CliRun.RunAsync("post", "--connection", db.ConnectionString, "--format", "json")).ExitCode);
        Assert.Equal(0, (await CliRun.RunAsync("refresh", "--all", "--connection", db.ConnectionString, "--format", "json")).ExitCode);
        var merchant = (await db.ScalarAsync<long>("SELECT merchant_id FROM dw.dim_merchants WHERE merchant_code = 'acme'")).ToString(CultureInfo.InvariantCulture);

        var sales = await CliRun.RunAsync("sales", "--merchant", merchant, "--days", "7", "--format", "json", "--connection", db.ConnectionString);
        var inventory = await CliRun.RunAsync("inventory", "--merchant", merchant, "--format", "json", "--connection", db.ConnectionString);

        Assert.True(sales.ExitCode == 0, sales.Output + sales.Error);
        var metrics = sales.Json().GetProperty("data").GetProperty("metrics");
        Assert.Equal(450.50m, metrics.GetProperty("revenue").GetDecimal());
        Assert.Equal(2, metrics.GetProperty("orders").GetInt64());
        Assert.Equal(
            await db.ScalarAsync<decimal>($"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE merchant_id = {merchant} AND order_date >= CURRENT_DATE - 6 AND dw.is_valid_sale(status)"),
            metrics.GetProperty("revenue").GetDecimal());
        Assert.True(inventory.ExitCode == 0, inventory.Output + inventory.Error);
        var stock = inventory.Json().GetProperty("data").GetProperty("products").GetProperty("items").EnumerateArray()
            .ToDictionary(p => p.GetProperty("sku").GetString()!, p => p.GetProperty("currentStock").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["P-1"] = 7, ["P-2"] = 4 }, stock);
        Assert.Equal(2, inventory.Json().GetProperty("data").GetProperty("summary").GetProperty("totalProducts").GetInt64());
        Assert.Equal("Electronics/Phones|2|Electronics", await db.ScalarAsync<string>("""
            SELECT c.path || '|' || c.level || '|' || p.path FROM dw.dim_categories AS c JOIN dw.dim_categories AS p ON p.category_id = c.parent_id
            """));
        Assert.Equal("paid|0.00", await db.ScalarAsync<string>("SELECT status || '|' || outstanding_amount FROM dw.fact_accounts_receivable WHERE invoice_no = 'INV-1'"));
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders AS o JOIN dw.dim_customers AS c USING (merchant_id, customer_id)"));

        // The same files again: every row unchanged.
        foreach (var (entity, file) in files)
        {
            var again = (await CliRun.RunAsync("import", entity, file, "--connection", db.ConnectionString, "--format", "json")).Json().GetProperty("data");
            Assert.Equal((entity, 0L, 0L), (entity, again.GetProperty("inserted").GetInt64(), again.GetProperty("updated").GetInt64()));
        }
        Directory.Delete(dir, recursive: true);
    }

    private static string Day(int offset) =>
        DateOnly.ParseExact(Today, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Csv(string dir, string name, params string[] lines)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static string Xlsx(string dir, string name, params Dictionary<string, object>[] rows)
    {
        var path = Path.Combine(dir, name);
        MiniExcel.SaveAs(path, rows);
        return path;
    }
}
