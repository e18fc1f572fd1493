using Erp.Db.Ingest;
using Npgsql;

namespace Erp.Db.Bench.Scenarios;

/// <summary>
/// ingest.single: one new order with its lines per call, as an application that posts each order as it arrives, through the
/// ingest API (checked and posted), against the floor: the same order and lines written by two hand-written INSERTs in one
/// transaction (no checks, no posting). Each call is a pooled connection's new use, as in an application. What a small batch
/// costs is fixed: planning its statements and the posting's, creating its temp tables, the round trips.
/// </summary>
internal static class BenchSingleOrder
{
    /// <summary>The first order number, past those of the other ingest steps.</summary>
    private const int FirstOrder = 50_000_000;

    public static async Task<(LatencyStats Library, LatencyStats Floor)> MeasureAsync(BenchContext context, int calls, CancellationToken cancellationToken)
    {
        await using var dataSource = await BenchDatabase.CreateAsync(context, "ing_single");
        try
        {
            await Admin.ExecuteAsync(dataSource, BenchOrderLines.Catalog, cancellationToken);
            var products = await ProductsAsync(dataSource, cancellationToken);
            var ingestor = new Ingestor(dataSource);
            var next = FirstOrder;
            (OrderRow Order, List<OrderItemRow> Lines) Next()
            {
                var order = BenchOrders.Generate(next++, 1).Single();
                return (order, BenchOrderLines.Generate([order]).ToList());
            }
            Task Library()
            {
                var (order, lines) = Next();
                return ingestor.UpsertOrdersWithItemsAsync([order], lines, cancellationToken);
            }
            Task Floor()
            {
                var (order, lines) = Next();
                return InsertAsync(dataSource, products, order, lines, cancellationToken);
            }
            await context.QuietAsync();
            var floor = await LatencyStats.MeasureAsync(1, calls, Floor, warmUps: 5);
            var library = await LatencyStats.MeasureAsync(1, calls, Library, warmUps: 5);
            // One more call, statement by statement: where a small batch's fixed costs go.
            IReadOnlyList<StatementTimer.Statement> statements;
            using (var timer = new StatementTimer())
            {
                await Library();
                statements = timer.Statements;
            }
            StatementTimer.Log(context.Log, "ingest.single (one call)", statements);
            return (library, floor);
        }
        finally
        {
            await context.DropDatabaseAsync(dataSource);
        }
    }

    private static async Task<Dictionary<string, (long Id, decimal UnitCost)>> ProductsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var products = new Dictionary<string, (long Id, decimal UnitCost)>();
        await using var command = dataSource.CreateCommand("SELECT sku, product_id, unit_cost FROM dw.dim_products");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            products[reader.GetString(0)] = (reader.GetInt64(1), reader.GetDecimal(2));
        }
        return products;
    }

    /// <summary>The floor: the order with its cost and units, then its lines with their cost, in one transaction.</summary>
    private static async Task InsertAsync(NpgsqlDataSource dataSource, Dictionary<string, (long Id, decimal UnitCost)> products, OrderRow order,
        List<OrderItemRow> lines, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var insertOrder = new NpgsqlCommand("""
            INSERT INTO dw.fact_sales_orders (merchant_id, shop_id, order_no, order_date, ordered_at, gmv, status, item_count, platform_commission, cost_amount_cny)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING order_id
            """, connection, transaction);
        foreach (var value in new object[] { order.MerchantId, order.ShopId, order.OrderNo, order.OrderDate, order.OrderedAt, order.Gmv, order.Status,
                     lines.Sum(l => l.Quantity), order.PlatformCommission, lines.Sum(l => l.Quantity * products[l.Sku].UnitCost) })
        {
            insertOrder.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        var orderId = (long)(await insertOrder.ExecuteScalarAsync(cancellationToken))!;
        await using var insertLines = new NpgsqlCommand("""
            INSERT INTO dw.fact_order_items (merchant_id, order_id, order_date, line_no, product_id, quantity, unit_price, unit_cost)
            SELECT $1, $2, $3, l.line_no, l.product_id, l.quantity, l.unit_price, l.unit_cost
            FROM unnest($4::int[], $5::bigint[], $6::int[], $7::numeric[], $8::numeric[]) AS l (line_no, product_id, quantity, unit_price, unit_cost)
            """, connection, transaction);
        foreach (var value in new object[] { order.MerchantId, orderId, order.OrderDate, lines.Select(l => l.LineNo).ToArray(),
                     lines.Select(l => products[l.Sku].Id).ToArray(), lines.Select(l => l.Quantity).ToArray(), lines.Select(l => l.UnitPrice).ToArray(),
                     lines.Select(l => products[l.Sku].UnitCost).ToArray() })
        {
            insertLines.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        await insertLines.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
