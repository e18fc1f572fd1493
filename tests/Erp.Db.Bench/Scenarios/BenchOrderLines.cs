using Erp.Db.Ingest;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Bench.Scenarios;

/// <summary>
/// Orders with lines for ingest.posted: 1-3 lines per order (the order's item count, one unit
/// each) over a catalog of products with a unit cost, so posting has cost, units and stock to book.
/// </summary>
internal static class BenchOrderLines
{
    public const int Products = 100;

    public static readonly string Catalog = $"""
        INSERT INTO dw.dim_products (merchant_id, sku, product_name, unit_cost)
        SELECT {BenchDatabase.Merchant}, 'SKU-' || p, 'Product ' || p, 5 + p % 20 FROM generate_series(1, {Products}) AS p;
        """;

    public static IEnumerable<OrderItemRow> Generate(IEnumerable<OrderRow> orders) =>
        orders.SelectMany((o, i) => Enumerable.Range(1, o.ItemCount).Select(line =>
            new OrderItemRow(o.MerchantId, o.ShopId, o.OrderNo, o.OrderDate, line, Sku(i + line), 1, UnitPrice(o))));

    /// <summary>A line's price: the order's GMV spread over its lines, at the 4 decimals unit_price keeps (the ingest refuses more).</summary>
    private static decimal UnitPrice(OrderRow o) => Math.Round(o.Gmv / o.ItemCount, 4);

    /// <summary>The baseline: binary COPY of the orders (with explicit ids) and of their lines straight into the indexed tables.</summary>
    public static Task CopyAsync(NpgsqlDataSource dataSource, IReadOnlyList<OrderRow> orders) => CopyAsync(dataSource, orders, posted: false);

    /// <summary>
    /// The floor of the posted load: the rows it writes, by hand. Binary COPY of the orders with their cost and
    /// <c>inventory_deducted</c>, of their lines with the product's cost, and of one <c>sale_out</c> movement per line (every bench
    /// order is completed, so each line ships), then the positions and their shortage alerts (a row per product) in one INSERT
    /// each. No checks, no look-ups, no triggers' work beyond the tables' own.
    /// </summary>
    public static async Task CopyPostedAsync(NpgsqlDataSource dataSource, IReadOnlyList<OrderRow> orders)
    {
        await CopyAsync(dataSource, orders, posted: true);
        await Admin.ExecuteAsync(dataSource, """
            INSERT INTO dw.fact_inventory (merchant_id, product_id, warehouse_code, shortage_on_hand, average_unit_cost)
            SELECT t.merchant_id, t.product_id, 'default', -sum(t.quantity_change), min(p.unit_cost)
            FROM dw.fact_inventory_transactions AS t JOIN dw.dim_products AS p USING (merchant_id, product_id)
            GROUP BY t.merchant_id, t.product_id;
            INSERT INTO dw.alerts (kind, merchant_id, subject, details)
            SELECT 'stock_shortage', f.merchant_id, p.sku || '@default',
                   jsonb_build_object('sku', p.sku, 'product_id', p.product_id, 'warehouse', 'default', 'quantity_on_hand', 0,
                                      'shortage_on_hand', f.shortage_on_hand, 'shortage_reserved', 0)
            FROM dw.fact_inventory AS f JOIN dw.dim_products AS p USING (merchant_id, product_id);
            """);
    }

    private static async Task CopyAsync(NpgsqlDataSource dataSource, IReadOnlyList<OrderRow> orders, bool posted)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var products = new Dictionary<string, (long Id, decimal UnitCost)>();
        await using (var command = new NpgsqlCommand("SELECT sku, product_id, unit_cost FROM dw.dim_products", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                products[reader.GetString(0)] = (reader.GetInt64(1), reader.GetDecimal(2));
            }
        }
        (long Id, decimal UnitCost) Product(int order, int line) => products[Sku(order + line)];

        var orderColumns = "merchant_id, order_id, shop_id, order_no, order_date, ordered_at, gmv, status, item_count, platform_commission"
            + (posted ? ", cost_amount_cny, inventory_deducted" : "");
        await using (var importer = await connection.BeginBinaryImportAsync($"COPY dw.fact_sales_orders ({orderColumns}) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < orders.Count; i++)
            {
                var o = orders[i];
                await importer.StartRowAsync();
                await importer.WriteAsync(o.MerchantId, NpgsqlDbType.Bigint);
                await importer.WriteAsync((long)i + 1, NpgsqlDbType.Bigint);
                await importer.WriteAsync(o.ShopId, NpgsqlDbType.Bigint);
                await importer.WriteAsync(o.OrderNo, NpgsqlDbType.Text);
                await importer.WriteAsync(o.OrderDate, NpgsqlDbType.Date);
                await importer.WriteAsync(o.OrderedAt, NpgsqlDbType.TimestampTz);
                await importer.WriteAsync(o.Gmv, NpgsqlDbType.Numeric);
                await importer.WriteAsync(o.Status, NpgsqlDbType.Text);
                await importer.WriteAsync(o.ItemCount, NpgsqlDbType.Integer);
                await importer.WriteAsync(o.PlatformCommission, NpgsqlDbType.Numeric);
                if (posted)
                {
                    var order = i;
                    await importer.WriteAsync(Enumerable.Range(1, o.ItemCount).Sum(line => Product(order, line).UnitCost), NpgsqlDbType.Numeric);
                    await importer.WriteAsync(true, NpgsqlDbType.Boolean);
                }
            }
            await importer.CompleteAsync();
        }

        var lineColumns = "merchant_id, order_date, order_id, line_no, product_id, quantity, unit_price" + (posted ? ", unit_cost" : "");
        await CopyPerLineAsync(connection, $"COPY dw.fact_order_items ({lineColumns}) FROM STDIN (FORMAT BINARY)", orders, async (importer, i, o, line) =>
        {
            await importer.WriteAsync(o.MerchantId, NpgsqlDbType.Bigint);
            await importer.WriteAsync(o.OrderDate, NpgsqlDbType.Date);
            await importer.WriteAsync((long)i + 1, NpgsqlDbType.Bigint);
            await importer.WriteAsync(line, NpgsqlDbType.Integer);
            await importer.WriteAsync(Product(i, line).Id, NpgsqlDbType.Bigint);
            await importer.WriteAsync(1, NpgsqlDbType.Integer);
            await importer.WriteAsync(UnitPrice(o), NpgsqlDbType.Numeric);
            if (posted)
            {
                await importer.WriteAsync(Product(i, line).UnitCost, NpgsqlDbType.Numeric);
            }
        });
        if (!posted)
        {
            return;
        }

        const string Movements = "COPY dw.fact_inventory_transactions (merchant_id, transaction_date, product_id, transaction_type, quantity_change, "
            + "unit_cost, order_id, order_date, line_no, reference_no, note, occurred_at, quantity_posted) FROM STDIN (FORMAT BINARY)";
        await CopyPerLineAsync(connection, Movements, orders, async (importer, i, o, line) =>
        {
            await importer.WriteAsync(o.MerchantId, NpgsqlDbType.Bigint);
            await importer.WriteAsync(o.OrderDate, NpgsqlDbType.Date);
            await importer.WriteAsync(Product(i, line).Id, NpgsqlDbType.Bigint);
            await importer.WriteAsync("sale_out", NpgsqlDbType.Text);
            await importer.WriteAsync(-1, NpgsqlDbType.Integer);
            await importer.WriteAsync(Product(i, line).UnitCost, NpgsqlDbType.Numeric);
            await importer.WriteAsync((long)i + 1, NpgsqlDbType.Bigint);
            await importer.WriteAsync(o.OrderDate, NpgsqlDbType.Date);
            await importer.WriteAsync(line, NpgsqlDbType.Integer);
            await importer.WriteAsync($"order:{i + 1}:{line}:sale_out:1", NpgsqlDbType.Text);
            await importer.WriteAsync($"order {o.OrderNo} line {line}", NpgsqlDbType.Text);
            await importer.WriteAsync(o.OrderedAt, NpgsqlDbType.TimestampTz);
            await importer.WriteAsync(-1, NpgsqlDbType.Integer);
        });
    }

    /// <summary>One binary COPY with a row per order line (order index, order, line number), written by <paramref name="writeRow"/>.</summary>
    private static async Task CopyPerLineAsync(NpgsqlConnection connection, string copy, IReadOnlyList<OrderRow> orders,
        Func<NpgsqlBinaryImporter, int, OrderRow, int, Task> writeRow)
    {
        await using var importer = await connection.BeginBinaryImportAsync(copy);
        for (var i = 0; i < orders.Count; i++)
        {
            for (var line = 1; line <= orders[i].ItemCount; line++)
            {
                await importer.StartRowAsync();
                await writeRow(importer, i, orders[i], line);
            }
        }
        await importer.CompleteAsync();
    }

    private static string Sku(int n) => $"SKU-{1 + n % Products}";
}
