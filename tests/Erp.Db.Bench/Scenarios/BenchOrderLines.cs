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

    /// <summary>The floor: binary COPY of the orders (with explicit ids) and of their lines straight into the indexed tables.</summary>
    public static async Task CopyAsync(NpgsqlDataSource dataSource, IReadOnlyList<OrderRow> orders)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var products = new Dictionary<string, long>();
        await using (var command = new NpgsqlCommand("SELECT sku, product_id FROM dw.dim_products", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                products[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY dw.fact_sales_orders (merchant_id, order_id, shop_id, order_no, order_date, ordered_at, gmv, status, item_count, platform_commission) FROM STDIN (FORMAT BINARY)"))
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
            }
            await importer.CompleteAsync();
        }

        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY dw.fact_order_items (merchant_id, order_date, order_id, line_no, product_id, quantity, unit_price) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < orders.Count; i++)
            {
                var o = orders[i];
                for (var line = 1; line <= o.ItemCount; line++)
                {
                    await importer.StartRowAsync();
                    await importer.WriteAsync(o.MerchantId, NpgsqlDbType.Bigint);
                    await importer.WriteAsync(o.OrderDate, NpgsqlDbType.Date);
                    await importer.WriteAsync((long)i + 1, NpgsqlDbType.Bigint);
                    await importer.WriteAsync(line, NpgsqlDbType.Integer);
                    await importer.WriteAsync(products[Sku(i + line)], NpgsqlDbType.Bigint);
                    await importer.WriteAsync(1, NpgsqlDbType.Integer);
                    await importer.WriteAsync(UnitPrice(o), NpgsqlDbType.Numeric);
                }
            }
            await importer.CompleteAsync();
        }
    }

    private static string Sku(int n) => $"SKU-{1 + n % Products}";
}
