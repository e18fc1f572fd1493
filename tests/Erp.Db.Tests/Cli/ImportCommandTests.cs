using Erp.Db.Ingest;
using Erp.Db.Tests.Ingest;

namespace Erp.Db.Tests.Cli;

public class ImportCommandTests
{
    private const string OrdersHeader = "merchant_id,shop_id,order_no,order_date,ordered_at,gmv,status,currency_code,exchange_rate";

    [Fact]
    public async Task Import_orders_inserts_then_reports_unchanged_on_the_second_run()
    {
        await using var db = await IngestSample.CreateAsync();
        var file = await WriteAsync(
            OrdersHeader,
            "1,10,C-1,2026-03-05,2026-03-05T09:30:00+08:00,100.50,paid,USD,7.1",
            "1,10,C-2,2026-03-05,2026-03-05 10:00:00,20,,,",
            "1,10,\"C-3\",2026-03-06,2026-03-06T08:00:00Z,30,completed,CNY,1");

        var first = await CliRun.RunAsync("import", "orders", file, "--connection", db.ConnectionString, "--format", "json");
        var second = await CliRun.RunAsync("import", "orders", file, "--connection", db.ConnectionString, "--format", "table");

        Assert.Equal(0, first.ExitCode);
        var data = first.Json().GetProperty("data");
        Assert.Equal(3, data.GetProperty("inserted").GetInt64());
        Assert.Equal(0, data.GetProperty("updated").GetInt64());
        Assert.Equal(0, data.GetProperty("unchanged").GetInt64());
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("Imported 3 row(s)", second.Output);
        Assert.Matches(@"orders\s+0\s+0\s+3\s+3", second.Output);
        Assert.Equal(713.55m, await db.ScalarAsync<decimal>("SELECT gmv_cny FROM dw.fact_sales_orders WHERE order_no = 'C-1'"));
        Assert.Equal("pending|CNY", await db.ScalarAsync<string>("SELECT status || '|' || currency_code FROM dw.fact_sales_orders WHERE order_no = 'C-2'"));
        File.Delete(file);
    }

    [Fact]
    public async Task A_bad_value_on_line_4_exits_2_naming_line_4_and_saves_nothing()
    {
        await using var db = await IngestSample.CreateAsync();
        var file = await WriteAsync(
            OrdersHeader,
            "1,10,C-1,2026-03-05,2026-03-05T09:30:00+08:00,100,paid,CNY,1",
            "1,10,C-2,2026-03-05,2026-03-05T09:30:00+08:00,100,paid,CNY,1",
            "1,10,C-3,2026-03-05,2026-03-05T09:30:00+08:00,lots,paid,CNY,1",
            "1,10,C-4,2026-03-05,2026-03-05T09:30:00+08:00,100,paid,CNY,1");

        var run = await CliRun.RunAsync("import", "orders", file, "--connection", db.ConnectionString, "--format", "table");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("VALIDATION_ERROR", run.Error);
        Assert.Contains("Line 4: gmv 'lots' is not a number", run.Error);
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
        File.Delete(file);
    }

    [Fact]
    public async Task A_rule_the_database_enforces_is_reported_with_the_values_the_row_writes_not_the_cells_it_left_blank()
    {
        await using var db = await IngestSample.CreateAsync();
        // HOME, without a code, takes its path as code: the code of the category Home.
        var categories = await WriteAsync("merchant_code,category_path,category_code", "m-a,Home,HOME", "m-a,HOME,");
        var orders = await WriteAsync("merchant_code,shop_code,order_no,order_date,ordered_at,gmv,status,paid_at",
            "m-a,a-shopee,K-1,2026-03-05,2026-03-05T09:00:00+08:00,10,paid,2026-03-05T09:30:00+08:00");
        // Without paid_at the stored payment time stays, and the new order time is after it.
        var later = await WriteAsync("merchant_code,shop_code,order_no,order_date,ordered_at,gmv,status",
            "m-a,a-shopee,K-1,2026-03-05,2026-03-05T10:00:00+08:00,10,paid");
        Assert.Equal(0, (await CliRun.RunAsync("import", "orders", orders, "--connection", db.ConnectionString, "--format", "json")).ExitCode);
        var before = await Faults.DatabaseChecksum.ReadAsync(db);

        var category = await CliRun.RunAsync("import", "categories", categories, "--connection", db.ConnectionString, "--format", "json");
        var order = await CliRun.RunAsync("import", "orders", later, "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(2, category.ExitCode);
        Assert.Contains("category_code HOME violates UNIQUE", category.Json().GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(2, order.ExitCode);
        Assert.Matches(@"paid_at 2026-03-05 \S+ \(stored, kept\), ordered_at 2026-03-05 \S+ violates CHECK", order.Json().GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(before, await Faults.DatabaseChecksum.ReadAsync(db));
        foreach (var file in new[] { categories, orders, later })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_row_the_database_rejects_names_its_line_in_the_json_envelope()
    {
        await using var db = await IngestSample.CreateAsync();
        var file = await WriteAsync(
            OrdersHeader,
            "1,10,C-1,2026-03-05,2026-03-05T09:30:00+08:00,100,paid,CNY,1",
            "1,10,C-2,2026-03-05,2026-03-05T09:30:00+08:00,100,paid,CNY,1",
            "1,99,C-3,2026-03-05,2026-03-05T09:30:00+08:00,100,paid,CNY,1");

        var run = await CliRun.RunAsync("import", "orders", file, "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        var json = run.Json();
        Assert.False(json.GetProperty("success").GetBoolean());
        var error = json.GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
        Assert.StartsWith("Line 4: shop_id 99 is not a shop of merchant 1 (fact_sales_orders_shop_fkey).", error.GetProperty("message").GetString());
        Assert.Equal(4, error.GetProperty("details").GetProperty("problems")[0].GetProperty("line").GetInt64());
        Assert.Equal("shop_id", error.GetProperty("details").GetProperty("problems")[0].GetProperty("column").GetString());
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
        File.Delete(file);
    }

    [Fact]
    public async Task Order_items_and_inventory_import_through_the_same_command()
    {
        await using var db = await IngestSample.CreateAsync();
        var orders = await WriteAsync(OrdersHeader, "1,10,C-1,2026-03-05,2026-03-05T09:30:00+08:00,100,paid,CNY,1");
        var items = await WriteAsync("merchant_id,shop_id,order_no,order_date,line_no,sku,quantity,unit_price", "1,10,C-1,2026-03-05,1,A-1,2,50", "1,10,C-1,2026-03-05,2,A-1,1,0");
        var inventory = await WriteAsync("sku,merchant_id,quantity_on_hand,warehouse_code", "A-1,1,40,", "A-1,1,3,sz");

        var runs = new[]
        {
            await CliRun.RunAsync("import", "orders", orders, "--connection", db.ConnectionString),
            await CliRun.RunAsync("import", "order-items", items, "--connection", db.ConnectionString),
            await CliRun.RunAsync("import", "inventory", inventory, "--new-warehouse", "sz", "--connection", db.ConnectionString),
        };

        Assert.All(runs, r => Assert.Equal(0, r.ExitCode));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_order_items"));
        Assert.Equal(43L, await db.ScalarAsync<long>("SELECT sum(quantity_on_hand) FROM dw.fact_inventory"));
    }

    /// <summary>
    /// A warehouse code is compared without case: a count in Default counts the position default instead of opening a second one
    /// beside it (the SKU's stock then counted twice), and a purchase into wh-sz goes to the position the merchant spells WH-SZ.
    /// </summary>
    [Fact]
    public async Task A_warehouse_code_in_another_case_names_the_same_position()
    {
        await using var db = await IngestSample.CreateAsync();
        var inventory = await WriteAsync("sku,merchant_id,quantity_on_hand,warehouse_code", "A-1,1,40,default");
        var count = await WriteAsync("merchant_id,sku,counted_quantity,counted_at,warehouse_code", "1,A-1,35,2026-03-05T09:30:00+08:00,Default");
        var purchase = await WriteAsync("merchant_id,reference_no,sku,quantity,unit_cost,received_date,warehouse_code", "1,PO-CASE,A-1,5,12.5,2026-03-05,wh-sz");

        var inventoryRun = await CliRun.RunAsync("import", "inventory", inventory, "--connection", db.ConnectionString);
        await db.ExecuteAsync("INSERT INTO dw.fact_inventory (merchant_id, product_id, warehouse_code, quantity_on_hand, average_unit_cost) VALUES (1, 100, 'WH-SZ', 7, 12.5)");
        var countRun = await CliRun.RunAsync("import", "stock-counts", count, "--connection", db.ConnectionString);
        var purchaseRun = await CliRun.RunAsync("import", "purchases", purchase, "--connection", db.ConnectionString);

        Assert.True(inventoryRun.ExitCode == 0, inventoryRun.Output + inventoryRun.Error);
        Assert.True(countRun.ExitCode == 0, countRun.Output + countRun.Error);
        Assert.True(purchaseRun.ExitCode == 0, purchaseRun.Output + purchaseRun.Error);
        Assert.Equal("WH-SZ=12|default=35", await db.ScalarAsync<string>(
            "SELECT string_agg(warehouse_code || '=' || quantity_on_hand, '|' ORDER BY warehouse_code COLLATE \"C\") FROM dw.fact_inventory WHERE product_id = 100"));
        Assert.Equal("default", await db.ScalarAsync<string>("SELECT string_agg(warehouse_code, '|') FROM dw.fact_stock_counts"));
    }

    /// <summary>
    /// A warehouse code the merchant has no stock in and does not ship from is a typo until the import is told it is a new
    /// warehouse: refused with the merchant's warehouses listed and nothing written, in purchases, counts and inventory alike;
    /// named with --new-warehouse (without case) it opens the position, and from then on it is one of the merchant's. The
    /// library opens any code unless its options name the new ones.
    /// </summary>
    [Fact]
    public async Task A_warehouse_the_merchant_does_not_have_is_refused_until_named_new()
    {
        await using var db = await IngestSample.CreateAsync();
        var inventory = await WriteAsync("sku,merchant_id,quantity_on_hand,warehouse_code", "A-1,1,40,default", "A-1,1,4,wh-szz");
        var count = await WriteAsync("merchant_id,sku,counted_quantity,counted_at,warehouse_code", "1,A-1,5,2026-03-05,WH-SZZ");
        var purchase = await WriteAsync("merchant_id,reference_no,sku,quantity,unit_cost,received_date,warehouse_code", "1,PO-1,A-1,5,12.5,2026-03-05,wh-szz");
        const string Books = "SELECT concat_ws('/', (SELECT string_agg(warehouse_code || '=' || quantity_on_hand, '|' ORDER BY warehouse_code) FROM dw.fact_inventory), "
            + "(SELECT count(*) FROM dw.fact_stock_counts), (SELECT count(*) FROM dw.fact_inventory_transactions))";
        var empty = await db.ScalarAsync<string>(Books);

        var refused = new[]
        {
            await CliRun.RunAsync("import", "inventory", inventory, "--connection", db.ConnectionString),
            await CliRun.RunAsync("import", "stock-counts", count, "--connection", db.ConnectionString),
            await CliRun.RunAsync("import", "purchases", purchase, "--new-warehouse", "wh-sz", "--new-warehouse", "wh-bj", "--connection", db.ConnectionString),
        };

        foreach (var (run, line) in refused.Zip(new[] { 3, 2, 2 }))
        {
            Assert.True(run.ExitCode == 2, run.Output + run.Error);
            Assert.Contains($"Line {line}: warehouse_code wh-szz is not a warehouse of merchant m-a (its warehouses: default): check the code, "
                + "or name it as a new warehouse to open it (erpdb import --new-warehouse wh-szz)", run.Output + run.Error);
        }
        Assert.Equal(empty, await db.ScalarAsync<string>(Books));

        var opened = await CliRun.RunAsync("import", "inventory", inventory, "--new-warehouse", "WH-SZZ", "--connection", db.ConnectionString);
        var counted = await CliRun.RunAsync("import", "stock-counts", count, "--connection", db.ConnectionString);
        Assert.True(opened.ExitCode == 0, opened.Output + opened.Error);
        Assert.True(counted.ExitCode == 0, counted.Output + counted.Error);
        Assert.Equal("default=40|wh-szz=5/1/1", await db.ScalarAsync<string>(Books));

        // Only the entities whose rows name a warehouse take the option.
        var products = await WriteAsync("merchant_id,sku,product_name", "1,A-9,Cup");
        var misplaced = await CliRun.RunAsync("import", "products", products, "--new-warehouse", "wh-x", "--connection", db.ConnectionString);
        Assert.Equal(2, misplaced.ExitCode);
        Assert.Contains("--new-warehouse goes with entity purchases, stock-counts or inventory", misplaced.Output + misplaced.Error);

        await new Ingestor(db.DataSource).UpsertPurchasesAsync([new PurchaseRow(1, "PO-LIB", "A-1", 3, 10m, new DateOnly(2026, 3, 5)) { WarehouseCode = "wh-lib" }]);
        Assert.Equal(3, await db.ScalarAsync<int>("SELECT quantity_on_hand FROM dw.fact_inventory WHERE warehouse_code = 'wh-lib'"));
    }

    /// <summary>
    /// --merchant restricts a file to one merchant: a row naming another by code or id is refused and nothing of the file is
    /// written; blank merchant cells, or a file without merchant columns, are that merchant's rows (an id is read as a number);
    /// an entity without a merchant takes no --merchant.
    /// </summary>
    [Fact]
    public async Task A_file_imported_for_one_merchant_may_not_write_another_merchants_rows()
    {
        await using var db = await IngestSample.CreateAsync();
        var mixed = await WriteAsync("merchant_code,reference_no,sku,quantity,unit_cost,received_date", "m-a,PO-1,A-1,5,10,2026-03-05", "m-b,PO-2,B-1,5,10,2026-03-05");
        var byId = await WriteAsync("merchant_id,reference_no,sku,quantity,unit_cost,received_date", "1,PO-1,A-1,5,10,2026-03-05", "2,PO-2,B-1,5,10,2026-03-05");
        var bare = await WriteAsync("merchant_id,reference_no,sku,quantity,unit_cost,received_date", ",PO-3,A-1,5,10,2026-03-05", "01,PO-4,A-1,5,10,2026-03-05");
        var noMerchantColumns = await WriteAsync("reference_no,sku,quantity,unit_cost,received_date", "PO-5,A-1,5,10,2026-03-05");
        var merchants = await WriteAsync("merchant_code,merchant_name", "m-c,Merchant C");
        const string Purchases = "SELECT coalesce(string_agg(merchant_id || ':' || reference_no, '|' ORDER BY reference_no), '') FROM dw.fact_inventory_transactions";

        var refused = await CliRun.RunAsync("import", "purchases", mixed, "--merchant", "m-a", "--connection", db.ConnectionString);
        var refusedById = await CliRun.RunAsync("import", "purchases", byId, "--merchant", "1", "--connection", db.ConnectionString);
        var nothing = await db.ScalarAsync<string>(Purchases);
        var withoutColumns = await CliRun.RunAsync("import", "purchases", bare, "--merchant", "m-a", "--connection", db.ConnectionString);
        var noColumns = await CliRun.RunAsync("import", "purchases", noMerchantColumns, "--merchant", "m-a", "--connection", db.ConnectionString);
        var noMerchantGiven = await CliRun.RunAsync("import", "purchases", noMerchantColumns, "--connection", db.ConnectionString);
        var notForMerchants = await CliRun.RunAsync("import", "merchants", merchants, "--merchant", "m-a", "--connection", db.ConnectionString);

        Assert.True(refused.ExitCode == 2, refused.Output + refused.Error);
        Assert.Contains("Line 3: merchant_code m-b is not merchant m-a (id 1), which --merchant names: the file may hold that merchant's rows only", refused.Output + refused.Error);
        Assert.True(refusedById.ExitCode == 2, refusedById.Output + refusedById.Error);
        Assert.Contains("Line 3: merchant_id 2 is not merchant m-a (id 1)", refusedById.Output + refusedById.Error);
        Assert.Equal("", nothing);
        Assert.True(withoutColumns.ExitCode == 0, withoutColumns.Output + withoutColumns.Error);
        Assert.True(noColumns.ExitCode == 0, noColumns.Output + noColumns.Error);
        Assert.Equal("1:PO-3|1:PO-4|1:PO-5", await db.ScalarAsync<string>(Purchases));
        Assert.Equal(2, noMerchantGiven.ExitCode);
        Assert.Contains("missing required column(s) merchant_code (or merchant_id)", noMerchantGiven.Output + noMerchantGiven.Error);
        Assert.Equal(2, notForMerchants.ExitCode);
        Assert.Contains("--merchant goes with an entity of a merchant's rows, not merchants.", notForMerchants.Output + notForMerchants.Error);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.dim_merchants"));
    }

    /// <summary>
    /// A count older than its position's latest posted count adjusts nothing (the newer one stands): the import refuses it,
    /// naming the latest count, rather than storing it without a word; --late-counts records it as history, and the book stays.
    /// The latest count imported again is unchanged, not late.
    /// </summary>
    [Fact]
    public async Task A_count_older_than_the_latest_posted_one_is_refused_unless_recorded_as_history()
    {
        await using var db = await IngestSample.CreateAsync();
        var latest = await WriteAsync("merchant_id,sku,counted_quantity,counted_at", "1,A-1,7,2026-03-09T10:00:00+08:00");
        var late = await WriteAsync("merchant_id,sku,counted_quantity,counted_at", "1,A-1,7,2026-03-09T10:00:00+08:00", "1,A-1,99,2026-03-08T10:00:00+08:00");
        const string Books = "SELECT concat_ws('/', (SELECT string_agg(quantity_on_hand::text, '|') FROM dw.fact_inventory), "
            + "(SELECT count(*) FROM dw.fact_stock_counts), (SELECT count(*) FROM dw.fact_inventory_transactions))";

        var first = await CliRun.RunAsync("import", "stock-counts", latest, "--connection", db.ConnectionString);
        var books = await db.ScalarAsync<string>(Books);
        var refused = await CliRun.RunAsync("import", "stock-counts", late, "--connection", db.ConnectionString);
        var afterRefused = await db.ScalarAsync<string>(Books);
        var again = await CliRun.RunAsync("import", "stock-counts", latest, "--connection", db.ConnectionString);
        var history = await CliRun.RunAsync("import", "stock-counts", late, "--late-counts", "--connection", db.ConnectionString);

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Equal("7/1/1", books);
        Assert.True(refused.ExitCode == 2, refused.Output + refused.Error);
        Assert.Contains("Line 3: counted_at 2026-03-08 10:00:00 is before the latest count of A-1 in default, at 2026-03-09 10:00:00 (7 counted): "
            + "a late count adjusts nothing, the newer one stands; count again, or record it as history with --late-counts", refused.Output + refused.Error);
        Assert.Equal(books, afterRefused);
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.True(history.ExitCode == 0, history.Output + history.Error);
        Assert.Equal("7/2/1", await db.ScalarAsync<string>(Books));
    }

    /// <summary>
    /// A count dated by its day alone is read as that day's last second in the file's zone (--time-zone), else in the merchant's,
    /// the zone its movements are dated in: it counts what the day left on the shelf. Before, a file without --time-zone read it in
    /// UTC, so a count of a New York day was dated 19:00 that day, before the evening's shipments.
    /// </summary>
    [Fact]
    public async Task A_count_dated_by_its_day_is_read_as_the_end_of_that_day()
    {
        await using var db = await IngestSample.CreateAsync();
        await db.ExecuteAsync("UPDATE dw.dim_merchants SET timezone = 'America/New_York' WHERE merchant_id = 1");
        var count = await WriteAsync("merchant_id,sku,counted_quantity,counted_at", "1,A-1,35,2026-03-05");
        var merchantsDay = await WriteAsync("merchant_id,sku,counted_quantity,counted_at", "1,A-1,30,2026-03-06");

        var run = await CliRun.RunAsync("import", "stock-counts", count, "--time-zone", "Asia/Shanghai", "--connection", db.ConnectionString);
        var merchantsRun = await CliRun.RunAsync("import", "stock-counts", merchantsDay, "--connection", db.ConnectionString);
        var again = await CliRun.RunAsync("import", "stock-counts", merchantsDay, "--connection", db.ConnectionString, "--format", "json");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.True(merchantsRun.ExitCode == 0, merchantsRun.Output + merchantsRun.Error);
        Assert.Equal(1, again.Json().GetProperty("data").GetProperty("unchanged").GetInt32());
        Assert.Equal("2026-03-05 15:59:59|2026-03-07 04:59:59", await db.ScalarAsync<string>(
            "SELECT string_agg(to_char(counted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), '|' ORDER BY counted_at) FROM dw.fact_stock_counts"));
        Assert.Equal("2026-03-06", await db.ScalarAsync<string>(
            "SELECT transaction_date::text FROM dw.fact_inventory_transactions WHERE transaction_type = 'adjustment' AND quantity_change = -5"));
    }

    /// <summary>A slow small import states its rate with a decimal, not as 0 rows/s; a large one in whole rows.</summary>
    [Theory]
    [InlineData(1, 2408, "0.4 rows/s", 0.42)]
    [InlineData(3, 1000, "3.0 rows/s", 3.0)]
    [InlineData(1, 60000, "under 0.1 rows/s", 0.02)]
    [InlineData(200000, 4000, "50000 rows/s", 50000.0)]
    public void The_rate_of_an_import_is_not_rounded_to_0(long rows, int milliseconds, string text, double value)
    {
        Assert.Equal(text, Erp.Db.Cli.Commands.ImportRate.Text(rows, TimeSpan.FromMilliseconds(milliseconds)));
        Assert.Equal(value, Erp.Db.Cli.Commands.ImportRate.Value(rows, TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public async Task Help_for_an_entity_shows_its_columns_with_their_notes_and_defaults()
    {
        var orders = await CliRun.RunAsync("import", "orders", "--help");
        var merchants = await CliRun.RunAsync("import", "merchants", "--help");
        var general = await CliRun.RunAsync("import", "--help");

        Assert.Equal((0, 0, 0), (orders.ExitCode, merchants.ExitCode, general.ExitCode));
        Assert.Contains("erpdb import orders FILE: loads dw.fact_sales_orders.", orders.Output, StringComparison.Ordinal);
        Assert.Matches(@"\n +order_no\* +order number on the platform\n", orders.Output);
        Assert.Matches(@"\n +shop_code \| shop_id\* +the shop's code within the merchant \(or shop_id\); shop_id: internal shop id", orders.Output);
        Assert.Matches(@"\n +exchange_rate +CNY per unit; default the order date's rate", orders.Output);
        Assert.Contains("in the shop's time zone", orders.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("in the merchant's time zone", general.Output, StringComparison.Ordinal);
        Assert.Matches(@"\n +timezone +IANA zone, default Asia/Shanghai\n", merchants.Output);
        Assert.DoesNotContain("order_no", merchants.Output, StringComparison.Ordinal);
        Assert.Contains("'erpdb import ENTITY --help' shows an entity's columns", general.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("invoices", "Unknown entity 'invoices'")]
    [InlineData("orders", "File not found")]
    public async Task Unknown_entity_or_missing_file_exits_2_with_an_envelope(string entity, string message)
    {
        await using var db = await IngestSample.CreateAsync();

        var run = await CliRun.RunAsync("import", entity, "/nonexistent/orders.csv", "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("VALIDATION_ERROR", run.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Contains(message, run.Json().GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_missing_required_column_or_an_unknown_one_is_reported_on_line_1()
    {
        await using var db = await IngestSample.CreateAsync();
        var missing = await WriteAsync("merchant_id,shop_id,order_date,ordered_at,gmv", "1,10,2026-03-05,2026-03-05T09:30:00Z,1");
        var unknown = await WriteAsync(OrdersHeader + ",colour", "1,10,C-1,2026-03-05,2026-03-05T09:30:00Z,1,paid,CNY,1,red");

        var first = await CliRun.RunAsync("import", "orders", missing, "--connection", db.ConnectionString, "--format", "table");
        var second = await CliRun.RunAsync("import", "orders", unknown, "--connection", db.ConnectionString, "--format", "table");

        Assert.Equal((2, 2), (first.ExitCode, second.ExitCode));
        Assert.Contains("Line 1: missing required column(s) order_no", first.Error);
        Assert.Contains("Line 1: unknown column(s) colour", second.Error);
    }

    [Fact]
    public async Task Header_names_in_any_case_or_words_apart_import_a_trailing_delimiter_names_no_column_and_another_delimiter_is_named()
    {
        await using var db = await IngestSample.CreateAsync();
        // As a spreadsheet's header may write them: capitals, words apart, a hyphen.
        var upper = await WriteAsync(OrdersHeader.ToUpperInvariant().Replace("ORDER_NO", "Order No", StringComparison.Ordinal).Replace("ORDER_DATE", "order-date", StringComparison.Ordinal),
            "1,10,U-1,2026-03-05,2026-03-05T09:30:00Z,1,paid,CNY,1");
        var tabs = await WriteAsync(OrdersHeader.Replace(',', '\t'), "1\t10\tU-2\t2026-03-05\t2026-03-05T09:30:00Z\t1\tpaid\tCNY\t1");
        var trailing = await WriteAsync(OrdersHeader + ",", "1,10,U-3,2026-03-05,2026-03-05T09:30:00Z,1,paid,CNY,1,");

        var upperRun = await CliRun.RunAsync("import", "orders", upper, "--connection", db.ConnectionString, "--format", "table");
        var tabsRun = await CliRun.RunAsync("import", "orders", tabs, "--connection", db.ConnectionString, "--format", "table");
        var trailingRun = await CliRun.RunAsync("import", "orders", trailing, "--connection", db.ConnectionString, "--format", "table");
        var empty = await WriteAsync(OrdersHeader.Replace(",gmv,", ",,gmv,", StringComparison.Ordinal), "1,10,U-4,2026-03-05,2026-03-05T09:30:00Z,,1,paid,CNY,1");
        var emptyRun = await CliRun.RunAsync("import", "orders", empty, "--connection", db.ConnectionString, "--format", "table");

        Assert.True(upperRun.ExitCode == 0, upperRun.Error);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no = 'U-1'"));
        Assert.Equal(2, tabsRun.ExitCode);
        Assert.Contains("name it with --delimiter tab", tabsRun.Error, StringComparison.Ordinal);
        // A delimiter at the end of the header names no column, as a sheet's empty header cell: the file imports.
        Assert.True(trailingRun.ExitCode == 0, trailingRun.Error);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no = 'U-3'"));
        Assert.Equal(2, emptyRun.ExitCode);
        Assert.Contains("unknown column(s) '' (an empty name between two columns", emptyRun.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Orders_with_their_lines_file_import_in_one_transaction_with_the_lines_costs()
    {
        await using var db = await IngestSample.CreateAsync();
        var orders = await WriteAsync(OrdersHeader,
            "1,10,L-1,2026-03-05,2026-03-05T09:30:00+08:00,100,completed,CNY,1",
            "1,10,L-2,2026-03-05,2026-03-05T10:30:00+08:00,40,paid,CNY,1");
        var lines = await WriteAsync("merchant_id,shop_id,order_no,order_date,line_no,sku,quantity,unit_price,unit_cost",
            "1,10,L-1,2026-03-05,1,A-1,2,30,",
            "1,10,L-1,2026-03-05,2,A-1,1,40,6.5",
            "1,10,L-2,2026-03-05,1,A-1,4,10,");

        var run = await CliRun.RunAsync("import", "orders", orders, "--items", lines, "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(0, run.ExitCode);
        var data = run.Json().GetProperty("data");
        Assert.Equal(2, data.GetProperty("orders").GetProperty("inserted").GetInt64());
        Assert.Equal(3, data.GetProperty("orderItems").GetProperty("inserted").GetInt64());
        // L-1: 2 x the product's 12.50 + 6.50, 3 units, shipped; L-2: 4 x 12.50, reserved.
        Assert.Equal("L-1|3|31.50|t\nL-2|4|50.00|f", await db.ScalarAsync<string>("""
            SELECT string_agg(concat_ws('|', order_no, item_count, cost_amount_cny, inventory_deducted), E'\n' ORDER BY order_no)
            FROM dw.fact_sales_orders WHERE order_no LIKE 'L-%'
            """));
        File.Delete(orders);
        File.Delete(lines);
    }

    [Fact]
    public async Task A_bad_line_of_the_items_file_names_that_file_and_line_and_saves_neither_file()
    {
        await using var db = await IngestSample.CreateAsync();
        var orders = await WriteAsync(OrdersHeader, "1,10,L-1,2026-03-05,2026-03-05T09:30:00+08:00,100,completed,CNY,1");
        var lines = await WriteAsync("merchant_id,shop_id,order_no,order_date,line_no,sku,quantity,unit_price",
            "1,10,L-1,2026-03-05,1,A-1,2,30",
            "1,10,L-1,2026-03-05,2,NOPE,1,40");

        var run = await CliRun.RunAsync("import", "orders", orders, "--items", lines, "--connection", db.ConnectionString, "--format", "json");
        var wrongEntity = await CliRun.RunAsync("import", "shops", orders, "--items", lines, "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.StartsWith($"{lines} line 3: sku NOPE is not a product of merchant 1", error.GetProperty("message").GetString());
        Assert.EndsWith($"Nothing of {orders} or of {lines} was imported.", error.GetProperty("message").GetString());
        Assert.Equal(lines, error.GetProperty("details").GetProperty("problems")[0].GetProperty("file").GetString());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no = 'L-1'"));
        Assert.Equal(2, wrongEntity.ExitCode);
        Assert.Contains("--items goes with entity orders", wrongEntity.Json().GetProperty("error").GetProperty("message").GetString());
        File.Delete(orders);
        File.Delete(lines);
    }

    [Fact]
    public async Task Bad_lines_in_both_files_are_reported_at_once_each_naming_its_file_and_line()
    {
        await using var db = await IngestSample.CreateAsync();
        var orders = await WriteAsync(OrdersHeader,
            "1,10,L-1,2026-03-05,2026-03-05T09:30:00+08:00,100,completed,CNY,1",
            "1,10,L-2,2026-03-05,2026-03-05T10:30:00+08:00,lots,paid,CNY,1",
            "1,10,L-3,2026-03-05,2026-03-05T11:30:00+08:00,40,paid,CNY,1");
        var lines = await WriteAsync("merchant_id,shop_id,order_no,order_date,line_no,sku,quantity,unit_price",
            "1,10,L-1,2026-03-05,1,A-1,two,30",
            "1,10,L-3,2026-03-05,1,A-1,1,40");

        var json = await CliRun.RunAsync("import", "orders", orders, "--items", lines, "--connection", db.ConnectionString, "--format", "json");
        var table = await CliRun.RunAsync("import", "orders", orders, "--items", lines, "--connection", db.ConnectionString, "--format", "table");

        Assert.Equal(2, json.ExitCode);
        var error = json.Json().GetProperty("error");
        Assert.Equal([$"{orders}:3:gmv", $"{lines}:2:quantity"], error.GetProperty("details").GetProperty("problems").EnumerateArray()
            .Select(d => $"{d.GetProperty("file").GetString()}:{d.GetProperty("line").GetInt64()}:{d.GetProperty("column").GetString()}"));
        var message = error.GetProperty("message").GetString()!.Split('\n');
        Assert.Equal($"{orders} line 3: gmv 'lots' is not a number.", message[0]);
        Assert.StartsWith($"{lines} line 2: quantity 'two' ", message[1], StringComparison.Ordinal);
        Assert.Equal($"2 problems; nothing of {orders} or of {lines} was imported.", message[2]);
        Assert.Equal(2, table.ExitCode);
        Assert.Contains($"{orders} line 3: gmv 'lots' is not a number.", table.Error, StringComparison.Ordinal);
        Assert.Contains($"{lines} line 2: quantity 'two' ", table.Error, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no LIKE 'L-%'"));
        File.Delete(orders);
        File.Delete(lines);
    }

    [Fact]
    public async Task Header_problems_of_both_files_are_reported_at_once_each_naming_its_file()
    {
        await using var db = await IngestSample.CreateAsync();
        var orders = await WriteAsync(OrdersHeader + ",colour", "1,10,L-1,2026-03-05,2026-03-05T09:30:00+08:00,100,completed,CNY,1,red");
        var lines = await WriteAsync("merchant_id,shop_id,order_no,order_date,line_no,sku,unit_price", "1,10,L-1,2026-03-05,1,A-1,30");

        var run = await CliRun.RunAsync("import", "orders", orders, "--items", lines, "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal([$"{orders}:1:colour", $"{lines}:1:quantity"], error.GetProperty("details").GetProperty("problems").EnumerateArray()
            .Select(d => $"{d.GetProperty("file").GetString()}:{d.GetProperty("line").GetInt64()}:{d.GetProperty("column").GetString()}"));
        var message = error.GetProperty("message").GetString()!.Split('\n');
        Assert.StartsWith($"{orders} line 1: unknown column(s) colour", message[0], StringComparison.Ordinal);
        Assert.Equal($"{lines} line 1: missing required column(s) quantity.", message[1]);
        Assert.Equal($"2 problems; nothing of {orders} or of {lines} was imported.", message[2]);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no LIKE 'L-%'"));
        File.Delete(orders);
        File.Delete(lines);
    }

    [Fact]
    public async Task An_order_the_database_refuses_says_nothing_of_either_file_was_imported()
    {
        await using var db = await IngestSample.CreateAsync();
        var orders = await WriteAsync(OrdersHeader,
            "1,10,L-1,2026-03-05,2026-03-05T09:30:00+08:00,100,completed,CNY,1",
            "1,99,L-2,2026-03-05,2026-03-05T10:30:00+08:00,40,paid,CNY,1");
        var lines = await WriteAsync("merchant_id,shop_id,order_no,order_date,line_no,sku,quantity,unit_price",
            "1,10,L-1,2026-03-05,1,A-1,2,30");

        var run = await CliRun.RunAsync("import", "orders", orders, "--items", lines, "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.StartsWith($"{orders} line 3: shop_id 99 ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.EndsWith($" Nothing of {orders} or of {lines} was imported.", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal([(orders, 3L)], error.GetProperty("details").GetProperty("problems").EnumerateArray().Select(d => (d.GetProperty("file").GetString(), d.GetProperty("line").GetInt64())));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no LIKE 'L-%'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_order_items AS i JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) WHERE o.order_no LIKE 'L-%'"));
        File.Delete(orders);
        File.Delete(lines);
    }

    [Theory]
    [InlineData("The arguments <entity> and <file> are missing.")]
    [InlineData("The argument <file> is missing.", "orders")]
    public async Task Missing_arguments_are_named_once(string message, params string[] args)
    {
        var json = await CliRun.RunAsync(["import", .. args, "--format", "json"]);
        var table = await CliRun.RunAsync(["import", .. args, "--format", "table"]);

        Assert.Equal(2, json.ExitCode);
        var error = json.Json().GetProperty("error");
        Assert.Equal($"{message} Run 'erpdb import --help' for usage.", error.GetProperty("message").GetString());
        Assert.Equal([message], error.GetProperty("details").GetProperty("problems").EnumerateArray().Select(d => d.GetProperty("message").GetString()));
        Assert.Equal(2, table.ExitCode);
        Assert.Equal($"{message}\nRun 'erpdb import --help' for usage.\n", table.Error.ReplaceLineEndings("\n"));
    }

    private static async Task<string> WriteAsync(params string[] lines)
    {
        var path = Path.Combine(Path.GetTempPath(), $"erpdb-import-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }
}
