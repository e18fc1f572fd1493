using System.Globalization;
using System.Text.Json;
using Erp.Db.Queries;
using Erp.Db.Queries.StockMovements;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Queries;

namespace Erp.Db.Tests.Cli;

/// <summary>
/// erpdb movements (<see cref="WarehouseQueries.StockMovementsAsync"/>): the stock movements that posting the dataset's orders wrote,
/// each answer equal to the same question asked of dw.fact_inventory_transactions, and each balance equal to the one a window over
/// the movements gives.
/// </summary>
public class MovementsCommandTests
{
    /// <summary>Posts both merchants' orders, so each product sold has reserve, release and sale movements over its opening position.</summary>
    private static async Task PostAsync(TestDatabase db)
    {
        foreach (var merchant in new[] { "1", "2" })
        {
            var run = await CliRun.RunAsync("post", "--merchant", merchant, "--connection", db.ConnectionString, "--format", "json");
            Assert.True(run.ExitCode == 0, run.Output + run.Error);
        }
    }

    /// <summary>
    /// The merchant's movements from the facts, newest first, one string per movement, with the balance after each counted by a window:
    /// the position's book balance now minus the on-hand movements that came after it.
    /// </summary>
    private static string Expected(long merchant, string where = "true") => $"""
        WITH m AS (
            SELECT t.*, p.sku, o.order_no,
                   coalesce(f.quantity_on_hand - f.shortage_on_hand, 0)
                   - coalesce(sum(t.quantity_change) FILTER (WHERE t.transaction_type NOT IN ('reserve', 'release'))
                              OVER (PARTITION BY t.product_id, t.warehouse_code ORDER BY t.occurred_at DESC, t.transaction_id DESC
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS after
            FROM dw.fact_inventory_transactions AS t
            JOIN dw.dim_products AS p USING (merchant_id, product_id)
            LEFT JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date)
            LEFT JOIN dw.fact_inventory AS f USING (merchant_id, product_id, warehouse_code)
            WHERE t.merchant_id = {merchant})
        SELECT coalesce(string_agg(concat_ws('|', transaction_id, sku, warehouse_code, transaction_type, quantity_change, coalesce(order_no, '-'),
                   coalesce(line_no::text, '-'), after), ',' ORDER BY occurred_at DESC, transaction_id DESC), '')
        FROM m WHERE {where}
        """;

    private static string ExpectedTotals(long merchant, string where = "true") => $"""
        SELECT concat_ws('|', count(*),
                         coalesce(sum(quantity_change) FILTER (WHERE transaction_type NOT IN ('reserve', 'release') AND quantity_change > 0), 0),
                         coalesce(-sum(quantity_change) FILTER (WHERE transaction_type NOT IN ('reserve', 'release') AND quantity_change < 0), 0),
                         coalesce(sum(quantity_change) FILTER (WHERE transaction_type IN ('reserve', 'release')), 0))
        FROM dw.fact_inventory_transactions AS t
        JOIN dw.dim_products AS p USING (merchant_id, product_id)
        LEFT JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date)
        WHERE t.merchant_id = {merchant} AND ({where})
        """;

    private static string Actual(JsonElement data) => string.Join(",", data.GetProperty("movements").GetProperty("items").EnumerateArray()
        .Select(m => string.Join("|", m.GetProperty("transactionId").GetInt64(), m.GetProperty("sku").GetString(), m.GetProperty("warehouse").GetString(),
            m.GetProperty("type").GetString(), m.GetProperty("quantityChange").GetInt32(), Text(m, "orderNo") ?? "-",
            m.GetProperty("lineNo").ValueKind == JsonValueKind.Null ? "-" : m.GetProperty("lineNo").GetInt32().ToString(CultureInfo.InvariantCulture),
            m.GetProperty("onHandAfter").GetInt64())));

    private static string Totals(JsonElement data)
    {
        var t = data.GetProperty("totals");
        return string.Join("|", t.GetProperty("count").GetInt64(), t.GetProperty("onHandIn").GetInt64(), t.GetProperty("onHandOut").GetInt64(),
            t.GetProperty("reservedChange").GetInt64());
    }

    private static string? Text(JsonElement row, string name) => row.GetProperty(name).ValueKind == JsonValueKind.Null ? null : row.GetProperty(name).GetString();

    [Fact]
    public async Task Movements_list_every_movement_newest_first_with_its_order_and_the_book_balance_after_it_as_the_facts_have_them()
    {
        await using var f = await QueryFixture.CreateAsync();
        var opening = await f.Db.ScalarAsync<string>("""
            SELECT string_agg(p.sku || '@' || i.warehouse_code || '=' || i.quantity_on_hand, ',' ORDER BY p.sku, i.warehouse_code)
            FROM dw.fact_inventory AS i JOIN dw.dim_products AS p USING (merchant_id, product_id) WHERE i.merchant_id = 1
            """);
        await PostAsync(f.Db);
        string[] common = ["--merchant", "1", "--page-size", "500", "--format", "json", "--connection", f.Db.ConnectionString];

        var all = await CliRun.RunAsync(["movements", .. common]);

        Assert.True(all.ExitCode == 0, all.Output + all.Error);
        var data = all.Json().GetProperty("data");
        var rows = data.GetProperty("movements").GetProperty("items").EnumerateArray().ToList();
        Assert.True(rows.Count > 20, "the dataset's orders must post movements");
        Assert.Equal(await f.Db.ScalarAsync<string>(Expected(1)), Actual(data));
        Assert.Equal(await f.Db.ScalarAsync<string>(ExpectedTotals(1)), Totals(data));
        Assert.Contains(rows, r => Text(r, "orderNo") is not null && r.GetProperty("type").GetString() == "sale_out");
        // Counted back to the oldest movement of each product, the balance before it is the position the dataset opened with
        // (positions that never moved keep theirs).
        var before = rows.GroupBy(r => r.GetProperty("sku").GetString() + "@" + r.GetProperty("warehouse").GetString())
            .ToDictionary(g => g.Key, g =>
            {
                var oldest = g.Last();
                var change = oldest.GetProperty("type").GetString() is "reserve" or "release" ? 0 : oldest.GetProperty("quantityChange").GetInt32();
                return oldest.GetProperty("onHandAfter").GetInt64() - change;
            });
        Assert.True(before.Count >= 2, "two positions of merchant 1 must move");
        Assert.All(opening!.Split(','), o =>
        {
            var (position, quantity) = (o.Split('=')[0], long.Parse(o.Split('=')[1], CultureInfo.InvariantCulture));
            if (before.TryGetValue(position, out var counted))
            {
                Assert.Equal(quantity, counted);
            }
        });
        Assert.Equal(0, all.Json().GetProperty("meta").GetProperty("freshness").GetArrayLength());
    }

    [Fact]
    public async Task Filters_narrow_the_list_and_its_totals_and_a_bad_sku_or_type_is_a_validation_error()
    {
        await using var f = await QueryFixture.CreateAsync();
        await PostAsync(f.Db);
        var first = (await f.Db.ScalarAsync<string>("""
            SELECT concat_ws(',', p.sku, o.order_no, t.transaction_date)
            FROM dw.fact_inventory_transactions AS t JOIN dw.dim_products AS p USING (merchant_id, product_id)
            JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date)
            WHERE t.merchant_id = 1 AND t.transaction_type = 'sale_out' ORDER BY t.transaction_id LIMIT 1
            """))!.Split(',');
        var (sku, orderNo, date) = (first[0], first[1], first[2]);
        string[] common = ["--merchant", "1", "--page-size", "500", "--format", "json", "--connection", f.Db.ConnectionString];

        var bySku = await CliRun.RunAsync(["movements", "--sku", sku, .. common]);
        var byType = await CliRun.RunAsync(["movements", "--type", "sale_out,release", .. common]);
        var byOrder = await CliRun.RunAsync(["movements", "--order-no", orderNo, .. common]);
        var byDay = await CliRun.RunAsync(["movements", "--from", date, "--to", date, .. common]);
        var second = await CliRun.RunAsync(["movements", "--merchant", "1", "--page-size", "3", "--page", "2", "--format", "json", "--connection", f.Db.ConnectionString]);
        var unknownSku = await CliRun.RunAsync(["movements", "--sku", "no-such-sku", .. common]);
        var unknownType = await CliRun.RunAsync(["movements", "--type", "sale_out,stolen", .. common]);

        foreach (var (run, where) in new[]
        {
            (bySku, $"sku = '{sku}'"), (byType, "transaction_type IN ('sale_out', 'release')"), (byOrder, $"order_no = '{orderNo}'"),
            (byDay, $"transaction_date = DATE '{date}'"),
        })
        {
            Assert.True(run.ExitCode == 0, run.Output + run.Error);
            Assert.Equal(await f.Db.ScalarAsync<string>(Expected(1, where)), Actual(run.Json().GetProperty("data")));
            Assert.Equal(await f.Db.ScalarAsync<string>(ExpectedTotals(1, where)), Totals(run.Json().GetProperty("data")));
        }
        Assert.NotEmpty(byOrder.Json().GetProperty("data").GetProperty("movements").GetProperty("items").EnumerateArray());
        // Page 2 of 3-row pages is the fourth to sixth movement of the whole list.
        var whole = (await f.Db.ScalarAsync<string>(Expected(1)))!.Split(',');
        Assert.Equal(string.Join(",", whole.Skip(3).Take(3)), Actual(second.Json().GetProperty("data")));
        Assert.Equal((2, "VALIDATION_ERROR", "--sku"), (unknownSku.ExitCode, unknownSku.Json().GetProperty("error").GetProperty("code").GetString(),
            unknownSku.Json().GetProperty("error").GetProperty("details").GetProperty("field").GetString()));
        Assert.Contains("no-such-sku is not a SKU of merchant 1", unknownSku.Output, StringComparison.Ordinal);
        Assert.Equal((2, "--type"), (unknownType.ExitCode, unknownType.Json().GetProperty("error").GetProperty("details").GetProperty("field").GetString()));
        Assert.Contains("'stolen' is not a transaction type", unknownType.Output, StringComparison.Ordinal);
        // The types the library accepts are the ones the table's CHECK constraint allows, no more and no fewer.
        Assert.Equal(await f.Db.ScalarAsync<string>("""
                SELECT string_agg(t, ',' ORDER BY t COLLATE "C")
                FROM regexp_matches(pg_get_constraintdef((SELECT oid FROM pg_constraint WHERE conname = 'fact_inventory_transactions_type_known')),
                                    '''(\w+)''', 'g') AS m(v), unnest(m.v) AS t
                """), string.Join(",", StockMovementQuery.Types.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task An_order_number_or_warehouse_the_merchant_does_not_have_is_a_validation_error_not_an_empty_list()
    {
        await using var f = await QueryFixture.CreateAsync();
        await PostAsync(f.Db);
        string[] common = ["--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString];
        var otherOrder = await f.Db.ScalarAsync<string>("SELECT min(order_no) FROM dw.fact_sales_orders WHERE merchant_id = 2");
        var quietOrder = await f.Db.ScalarAsync<string>("""
            SELECT min(o.order_no) FROM dw.fact_sales_orders AS o WHERE o.merchant_id = 1
               AND NOT EXISTS (SELECT FROM dw.fact_inventory_transactions AS t WHERE t.merchant_id = 1 AND t.order_id = o.order_id)
            """);
        var warehouses = await f.Db.ScalarAsync<string>(
            "SELECT string_agg(DISTINCT warehouse_code, ', ' ORDER BY warehouse_code) FROM dw.fact_inventory WHERE merchant_id = 1");

        var unknownOrder = await CliRun.RunAsync(["movements", "--order-no", "no-such-order", .. common]);
        var othersOrder = await CliRun.RunAsync(["movements", "--order-no", otherOrder!, .. common]);
        var unknownWarehouse = await CliRun.RunAsync(["movements", "--warehouse", "no-such-warehouse", .. common]);
        var known = await CliRun.RunAsync(["movements", "--warehouse", warehouses!.Split(", ")[0], .. common]);

        foreach (var (run, option) in new[] { (unknownOrder, "--order-no"), (othersOrder, "--order-no"), (unknownWarehouse, "--warehouse") })
        {
            Assert.Equal((2, "VALIDATION_ERROR", option), (run.ExitCode, run.Json().GetProperty("error").GetProperty("code").GetString(),
                run.Json().GetProperty("error").GetProperty("details").GetProperty("field").GetString()));
        }
        Assert.Contains("no-such-order is not an order number of merchant 1", unknownOrder.Output, StringComparison.Ordinal);
        Assert.Contains($"no-such-warehouse is not a warehouse of merchant 1; its warehouses: {warehouses}.", unknownWarehouse.Output,
            StringComparison.Ordinal);
        Assert.True(known.ExitCode == 0, known.Output + known.Error);
        // Imports fold warehouse codes to lower case; the filter compares without case, so a capitalised code is the same warehouse.
        var shouted = await CliRun.RunAsync(["movements", "--warehouse", warehouses.Split(", ")[0].ToUpperInvariant(), .. common]);
        Assert.True(shouted.ExitCode == 0, shouted.Output + shouted.Error);
        Assert.Equal(Totals(known.Json().GetProperty("data")), Totals(shouted.Json().GetProperty("data")));
        Assert.NotEqual(0, known.Json().GetProperty("data").GetProperty("totals").GetProperty("count").GetInt64());
        if (quietOrder is not null)
        {
            // An order of the merchant that moved no stock (pending, or cancelled before it was paid) is an empty answer, not an error.
            var quiet = await CliRun.RunAsync(["movements", "--order-no", quietOrder, .. common]);
            Assert.True(quiet.ExitCode == 0, quiet.Output + quiet.Error);
            Assert.Equal(0, quiet.Json().GetProperty("data").GetProperty("totals").GetProperty("count").GetInt64());
        }
    }

    [Fact]
    public async Task A_reader_scoped_to_one_merchant_never_sees_the_others_movements()
    {
        await using var f = await QueryFixture.CreateAsync();
        await PostAsync(f.Db);
        await using var reader = await TestLogin.CreateAsync(f.Db, "erp_reader");
        await using var unscoped = await TestLogin.CreateAsync(f.Db, "erp_reader");
        await f.Db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 1)");
        var otherSku = await f.Db.ScalarAsync<string>("""
            SELECT p.sku FROM dw.fact_inventory_transactions AS t JOIN dw.dim_products AS p USING (merchant_id, product_id)
            WHERE t.merchant_id = 2 LIMIT 1
            """);
        string[] common = ["--page-size", "500", "--format", "json", "--connection", reader.ConnectionString];

        var own = await CliRun.RunAsync(["movements", .. common]);
        var other = await CliRun.RunAsync(["movements", "--merchant", "2", .. common]);
        var otherSkuAsked = await CliRun.RunAsync(["movements", "--sku", otherSku!, .. common]);

        Assert.True(own.ExitCode == 0, own.Output + own.Error);
        Assert.Equal(await f.Db.ScalarAsync<string>(Expected(1)), Actual(own.Json().GetProperty("data")));
        Assert.Equal((7, "FORBIDDEN"), (other.ExitCode, other.Json().GetProperty("error").GetProperty("code").GetString()));
        // Another merchant's SKU is not one of this merchant's: the same answer as a SKU no product has.
        Assert.Equal(2, otherSkuAsked.ExitCode);
        Assert.Equal(0L, await reader.ScalarAsync<long>("SELECT count(*) FROM mart.stock_movements WHERE merchant_id <> 1"));
        Assert.True(await reader.ScalarAsync<long>("SELECT count(*) FROM mart.stock_movements") > 0);
        Assert.Equal(0L, await unscoped.ScalarAsync<long>("SELECT count(*) FROM mart.stock_movements"));
        Assert.Equal(0L, await f.Db.ScalarAsync<long>("SELECT count(*) FROM ops.merchant_isolation_problems()"));
        // The library as the owner, scoped per transaction: merchant 2's movements only.
        var owner = await f.Erp.Queries.StockMovementsAsync(new StockMovementQuery { MerchantId = 2, Paging = new Paging(1, 500) });
        Assert.Equal(await f.Db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_inventory_transactions WHERE merchant_id = 2"), owner.Data.Totals.Count);
        Assert.Equal(await f.Db.ScalarAsync<string>("""
            SELECT string_agg(DISTINCT p.sku COLLATE "C", ',' ORDER BY p.sku COLLATE "C") FROM dw.fact_inventory_transactions AS t JOIN dw.dim_products AS p USING (merchant_id, product_id)
            WHERE t.merchant_id = 2
            """), string.Join(",", owner.Data.Movements.Items.Select(m => m.Sku).Distinct().Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Inventory_sku_shows_that_product_alone_beside_the_book_its_movements_leave_and_refuses_an_unknown_sku()
    {
        await using var f = await QueryFixture.CreateAsync();
        await PostAsync(f.Db);
        await f.Db.ExecuteAsync("CALL ops.refresh_all()");
        string[] common = ["--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString];

        var inventory = await CliRun.RunAsync(["inventory", "--sku", "SKU-102", .. common]);
        var movements = await CliRun.RunAsync(["movements", "--sku", "SKU-102", "--warehouse", "default", "--page-size", "1", .. common]);
        var unknown = await CliRun.RunAsync(["inventory", "--sku", "SKU-999", .. common]);

        Assert.True(inventory.ExitCode == 0, inventory.Output + inventory.Error);
        var data = inventory.Json().GetProperty("data");
        var product = Assert.Single(data.GetProperty("products").GetProperty("items").EnumerateArray());
        Assert.Equal(("SKU-102", 1L), (product.GetProperty("sku").GetString(), data.GetProperty("summary").GetProperty("totalProducts").GetInt64()));
        // Inventory's stock is what is available (on hand less reserved, all warehouses); the newest movement's balance is the
        // default warehouse's book (on hand less any shortage: SKU-102 ships more than it has).
        Assert.Equal(await f.Db.ScalarAsync<long>("SELECT sum(quantity_available) FROM dw.fact_inventory WHERE merchant_id = 1 AND product_id = 102"),
            product.GetProperty("currentStock").GetInt64());
        var newest = Assert.Single(movements.Json().GetProperty("data").GetProperty("movements").GetProperty("items").EnumerateArray());
        Assert.Equal(await f.Db.ScalarAsync<long>("SELECT (quantity_on_hand - shortage_on_hand)::bigint FROM dw.fact_inventory WHERE merchant_id = 1 AND product_id = 102 AND warehouse_code = 'default'"),
            newest.GetProperty("onHandAfter").GetInt64());
        Assert.Equal((2, "--sku"), (unknown.ExitCode, unknown.Json().GetProperty("error").GetProperty("details").GetProperty("field").GetString()));
        Assert.Contains("SKU-999 is not a SKU of merchant 1", unknown.Output, StringComparison.Ordinal);
    }
}
