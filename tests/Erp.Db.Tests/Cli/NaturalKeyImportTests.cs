using Erp.Db.Tests.Faults;
using Erp.Db.Tests.Ingest;

namespace Erp.Db.Tests.Cli;

/// <summary>erpdb import by codes instead of ids, the new entities, and A-class configuration that recomputes what it implies.</summary>
public class NaturalKeyImportTests
{
    [Fact]
    public async Task Unknown_codes_are_reported_with_line_and_column_and_nothing_is_saved()
    {
        await using var db = await IngestSample.CreateAsync();
        var file = await WriteAsync(
            "merchant_code,shop_code,customer_code,order_no,order_date,ordered_at,gmv",
            "m-a,a-shopee,ca,K-1,2026-03-05,2026-03-05T10:00:00+08:00,10",
            "nobody,a-shopee,,K-2,2026-03-05,2026-03-05T10:00:00+08:00,10",
            "m-a,b-amazon,,K-3,2026-03-05,2026-03-05T10:00:00+08:00,10",
            "m-a,a-shopee,cb,K-4,2026-03-05,2026-03-05T10:00:00+08:00,10",
            "M-A,a-shopee,,K-5,2026-03-05,2026-03-05T10:00:00+08:00,10",
            "m-a,A-Shopee,,K-6,2026-03-05,2026-03-05T10:00:00+08:00,10");
        var items = await WriteAsync("merchant_code,shop_code,order_no,order_date,line_no,sku,quantity,unit_price",
            "m-a,a-shopee,K-1,2026-03-05,1,a-1,1,10");
        var before = await DatabaseChecksum.ReadAsync(db);

        var run = await CliRun.RunAsync("import", "orders", file, "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        var details = run.Json().GetProperty("error").GetProperty("details").GetProperty("problems").EnumerateArray()
            .Select(d => (d.GetProperty("line").GetInt64(), d.GetProperty("column").GetString(), d.GetProperty("reason").GetString())).ToList();
        Assert.Contains((3L, "merchant_code", "merchant_code nobody is not a merchant"), details);
        // b-amazon is a shop of merchant m-b, not of m-a; cb is m-b's customer.
        Assert.Contains((4L, "shop_code", "shop_code b-amazon is not a shop of merchant m-a"), details);
        Assert.Contains((5L, "customer_code", "customer_code cb is not a customer of merchant m-a"), details);
        Assert.DoesNotContain(details, d => d.Item1 == 2);
        // Codes are compared as written; one that differs from a stored code in case only names it.
        Assert.Contains((6L, "merchant_code", "merchant_code M-A is not a merchant (did you mean m-a?)"), details);
        Assert.Contains((7L, "shop_code", "shop_code A-Shopee is not a shop of merchant m-a (did you mean a-shopee?)"), details);
        var itemRun = await CliRun.RunAsync("import", "order-items", items, "--connection", db.ConnectionString, "--format", "json");
        Assert.Contains("Line 2: sku a-1 is not a product of merchant m-a (did you mean A-1?)", itemRun.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseChecksum.ReadAsync(db));
        File.Delete(file);
        File.Delete(items);
    }

    [Fact]
    public async Task Messages_name_the_merchant_and_shop_by_the_codes_the_file_used()
    {
        await using var db = await IngestSample.CreateAsync();
        var items = await WriteAsync("merchant_code,shop_code,order_no,order_date,line_no,sku,quantity,unit_price",
            "m-a,a-shopee,NOPE-1,2026-03-05,1,NO-SKU,1,10");
        var payments = await WriteAsync("merchant_code,reference_no,receipt_date,received_at,amount,invoice_no",
            "m-a,BANK-9,2026-03-05,2026-03-05T10:00:00+08:00,10,NO-INVOICE");

        var repeated = await WriteAsync("merchant_code,shop_code,order_no,order_date,ordered_at,gmv",
            "m-a,a-shopee,R-1,2026-03-05,2026-03-05T10:00:00+08:00,10", "m-a,a-shopee,R-1,2026-03-05,2026-03-05T10:00:00+08:00,10");
        var itemRun = await CliRun.RunAsync("import", "order-items", items, "--connection", db.ConnectionString, "--format", "json");
        var repeatedRun = await CliRun.RunAsync("import", "orders", repeated, "--connection", db.ConnectionString, "--format", "json");
        var paymentRun = await CliRun.RunAsync("import", "payments", payments, "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal((2, 2), (itemRun.ExitCode, paymentRun.ExitCode));
        var reasons = new[] { itemRun, paymentRun }.SelectMany(r => r.Json().GetProperty("error").GetProperty("details").GetProperty("problems").EnumerateArray())
            .Select(d => d.GetProperty("reason").GetString()).ToList();
        Assert.Equal([
            "order_no NOPE-1 (shop_code a-shopee, order_date 2026-03-05) is not an order of merchant m-a",
            "sku NO-SKU is not a product of merchant m-a",
            "invoice_no NO-INVOICE is not a receivable of merchant m-a"], reasons);
        Assert.Equal(2, repeatedRun.ExitCode);
        var detail = repeatedRun.Json().GetProperty("error").GetProperty("details").GetProperty("problems")[0];
        Assert.Equal("merchant_code, shop_code, order_no, order_date", detail.GetProperty("column").GetString());
        Assert.StartsWith("the key (merchant_code, shop_code, order_no, order_date) is the same as line 2's", detail.GetProperty("reason").GetString(), StringComparison.Ordinal);
        File.Delete(repeated);
        File.Delete(items);
        File.Delete(payments);
    }

    [Fact]
    public async Task A_file_without_merchant_id_or_merchant_code_is_refused_on_line_1()
    {
        await using var db = await IngestSample.CreateAsync();
        var file = await WriteAsync("shop_code,order_no,order_date,ordered_at,gmv", "a-shopee,K-1,2026-03-05,2026-03-05T10:00:00+08:00,10");

        var run = await CliRun.RunAsync("import", "orders", file, "--connection", db.ConnectionString, "--format", "table");
        var json = await CliRun.RunAsync("import", "orders", file, "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Line 1: missing required column(s) merchant_code (or merchant_id)", run.Error);
        // The problem's column is a column's name, as in every other problem; the reason names its alternative.
        var problem = json.Json().GetProperty("error").GetProperty("details").GetProperty("problems")[0];
        Assert.Equal(("merchant_code", "missing required column(s) merchant_code (or merchant_id)"),
            (problem.GetProperty("column").GetString(), problem.GetProperty("reason").GetString()));
        File.Delete(file);
    }

    [Fact]
    public async Task An_order_date_is_cut_in_the_shops_own_time_zone_when_it_has_one()
    {
        await using var db = await IngestSample.CreateAsync();
        var shops = await WriteAsync("merchant_code,shop_code,shop_name,platform,timezone", "m-a,a-us,US shop,amazon,America/New_York");
        // 2026-03-06 02:00 in Shanghai is still 2026-03-05 in New York.
        var orders = await WriteAsync(
            "merchant_code,shop_code,order_no,order_date,ordered_at,gmv",
            "m-a,a-us,US-1,2026-03-05,2026-03-06T02:00:00+08:00,10",
            "m-a,a-us,US-2,2026-03-06,2026-03-06T02:00:00+08:00,10");

        var shop = await CliRun.RunAsync("import", "shops", shops, "--connection", db.ConnectionString);
        var run = await CliRun.RunAsync("import", "orders", orders, "--connection", db.ConnectionString, "--format", "table");

        Assert.Equal(0, shop.ExitCode);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Line 3: order_date 2026-03-06 does not match ordered_at", run.Error);
        Assert.Contains("which is 2026-03-05 in the shop's time zone America/New_York", run.Error);
        Assert.DoesNotContain("Line 2:", run.Error);
        File.Delete(shops);
        File.Delete(orders);
    }

    [Fact]
    public async Task A_category_whose_parent_is_nowhere_is_refused_and_a_product_takes_its_category_by_path()
    {
        await using var db = await IngestSample.CreateAsync();
        var bad = await WriteAsync("merchant_code,category_path", "m-a,Garden/Tools");
        var good = await WriteAsync("merchant_code,category_path,category_name", "m-a,Garden/Tools,", "m-a,Garden,花园");
        var products = await WriteAsync("merchant_code,sku,product_name,category_path,unit_cost", "m-a,G-1,Rake,Garden/Tools,3.5");

        var refused = await CliRun.RunAsync("import", "categories", bad, "--connection", db.ConnectionString, "--format", "table");
        var imported = await CliRun.RunAsync("import", "categories", good, "--connection", db.ConnectionString);
        var product = await CliRun.RunAsync("import", "products", products, "--connection", db.ConnectionString);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("Line 2: the parent Garden of category_path Garden/Tools is neither stored nor in the file", refused.Error);
        Assert.Equal(0, imported.ExitCode);
        Assert.Equal(0, product.ExitCode);
        Assert.Equal("Rake|Tools|2|花园|3.5000", await db.ScalarAsync<string>("""
            SELECT p.product_name || '|' || c.category_name || '|' || c.level || '|' || parent.category_name || '|' || p.unit_cost
            FROM dw.dim_products AS p JOIN dw.dim_categories AS c USING (merchant_id, category_id)
            JOIN dw.dim_categories AS parent ON parent.merchant_id = c.merchant_id AND parent.category_id = c.parent_id
            WHERE p.sku = 'G-1'
            """));
        File.Delete(bad);
        File.Delete(good);
        File.Delete(products);
    }

    [Fact]
    public async Task Traffic_user_activity_and_receivables_import_by_codes_and_a_second_run_is_unchanged()
    {
        await using var db = await IngestSample.CreateAsync();
        var traffic = await WriteAsync("merchant_code,shop_code,traffic_date,visitors,unique_visitors,add_to_cart,orders",
            "m-a,a-shopee,2026-03-01,200,150,40,10", "m-a,a-shopee,2026-03-02,100,90,10,5");
        var activity = await WriteAsync("merchant_code,shop_code,activity_date,active_users,new_users,returning_users,paying_users,retention_d1",
            "m-a,a-shopee,2026-03-01,50,20,30,10,0.25");
        var receivables = await WriteAsync("merchant_code,invoice_no,invoice_date,due_date,amount,shop_code,customer_code",
            "m-a,R-1,2026-03-01,2026-03-31,500,a-shopee,ca");
        var payments = await WriteAsync("merchant_code,reference_no,receipt_date,received_at,amount,invoice_no", "m-a,P-1,2026-03-10,2026-03-10T10:00:00+08:00,200,R-1");

        foreach (var (entity, file) in new[] { ("traffic", traffic), ("user-activity", activity), ("receivables", receivables), ("payments", payments) })
        {
            var first = await CliRun.RunAsync("import", entity, file, "--connection", db.ConnectionString, "--format", "json");
            var second = await CliRun.RunAsync("import", entity, file, "--connection", db.ConnectionString, "--format", "json");
            Assert.True(first.ExitCode == 0, first.Output + first.Error);
            var data = second.Json().GetProperty("data");
            Assert.Equal((entity, 0L, 0L), (entity, data.GetProperty("inserted").GetInt64(), data.GetProperty("updated").GetInt64()));
        }

        Assert.Equal("0.200000|0.050000", await db.ScalarAsync<string>(
            "SELECT cart_rate || '|' || order_rate FROM dw.fact_traffic_funnel WHERE shop_id = 10 AND traffic_date = '2026-03-01'"));
        Assert.Equal(0.25m, await db.ScalarAsync<decimal>("SELECT retention_d1 FROM dw.fact_user_activity WHERE shop_id = 10"));
        Assert.Equal("partially_paid|300.00|1000", await db.ScalarAsync<string>(
            "SELECT status || '|' || outstanding_amount || '|' || customer_id FROM dw.fact_accounts_receivable WHERE invoice_no = 'R-1'"));
        foreach (var file in new[] { traffic, activity, receivables, payments })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_campaign_of_a_shop_on_another_platform_than_its_own_is_refused()
    {
        await using var db = await IngestSample.CreateAsync();
        var campaigns = await WriteAsync("merchant_code,campaign_code,campaign_name,start_date,end_date,platform,shop_code",
            "m-a,WRONG,Never sells,2026-03-01,2026-03-02,amazon,a-shopee");

        var run = await CliRun.RunAsync("import", "campaigns", campaigns, "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("platform amazon is not the platform of shop a-shopee, shopee: leave platform empty for a shop's campaign",
            run.Json().GetProperty("error").GetProperty("details").GetProperty("problems")[0].GetProperty("reason").GetString());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.cfg_sales_campaigns WHERE campaign_code = 'WRONG'"));
        File.Delete(campaigns);
    }

    [Fact]
    public async Task Importing_targets_campaigns_and_performance_configs_recomputes_the_merchants_results_once()
    {
        await using var db = await IngestSample.CreateAsync();
        var targets = await WriteAsync("merchant_code,shop_code,metric,period_type,period_start,period_end,target_value",
            "m-a,a-shopee,orders,month,2026-03-01,2026-03-31,10", "m-a,,gmv_cny,month,2026-03-01,2026-03-31,1000");
        var campaigns = await WriteAsync("merchant_code,campaign_code,campaign_name,start_date,end_date,platform,shop_code,target_gmv_cny",
            "m-a,SPRING,Spring sale,2026-03-01,2026-03-02,shopee,a-shopee,300");
        var configs = await WriteAsync("merchant_code,config_code,config_name,effective_from,weights",
            "m-a,shop_health_score,Health,2026-01-01,\"{\"\"gmv_achievement\"\": 0.5, \"\"net_margin\"\": 0.5}\"");

        foreach (var (entity, file, table) in new[]
        {
            ("sales-targets", targets, "cfg_sales_targets"), ("campaigns", campaigns, "cfg_sales_campaigns"), ("performance-configs", configs, "cfg_performance_configs"),
        })
        {
            var logged = $"SELECT count(*) FROM ops.mv_refresh_log WHERE refresh_trigger = 'config:{table}'";
            var first = await CliRun.RunAsync("import", entity, file, "--connection", db.ConnectionString);
            var afterFirst = await db.ScalarAsync<long>(logged);
            var second = await CliRun.RunAsync("import", entity, file, "--connection", db.ConnectionString);

            Assert.True(first.ExitCode == 0, first.Output + first.Error);
            Assert.Equal(0, second.ExitCode);
            Assert.True(afterFirst >= 1, $"{entity}: no recompute logged");
            Assert.Equal(afterFirst, await db.ScalarAsync<long>(logged));
        }

        Assert.Equal("10.00|gmv_cny:1000.00", await db.ScalarAsync<string>("""
            SELECT max(target_value) FILTER (WHERE metric = 'orders') || '|' || string_agg(metric || ':' || target_value, ',') FILTER (WHERE shop_id IS NULL)
            FROM mart.target_achievement WHERE merchant_id = 1
            """));
        Assert.Equal("SPRING|300.00", await db.ScalarAsync<string>("SELECT campaign_code || '|' || target_gmv_cny FROM mart.campaign_results WHERE merchant_id = 1"));
        Assert.Equal(0.5m, await db.ScalarAsync<decimal>("SELECT (weights ->> 'net_margin')::numeric FROM dw.cfg_performance_configs WHERE merchant_id = 1"));
        File.Delete(targets);
        File.Delete(campaigns);
        File.Delete(configs);
    }

    private static async Task<string> WriteAsync(params string[] lines)
    {
        var path = Path.Combine(Path.GetTempPath(), $"erpdb-import-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }
}
