using Erp.Db.Bench;
using Erp.Db.Bench.Scenarios;
using Erp.Db.Ingest;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Bench;

/// <summary>
/// The floor of ingest.posted writes by hand the rows the posted load writes: if they drifted apart, the floorRatio would compare
/// different work. Each side loads the same orders into a database of its own; every written row, without ids and timestamps, must match.
/// </summary>
public class PostedFloorTests
{
    /// <summary>Every row the load writes, without ids and timestamps: orders, lines, movements, positions, alerts.</summary>
    private static Task<string?> BooksAsync(TestDatabase db) => db.ScalarAsync<string>("""
        SELECT concat_ws(E'\n',
            (SELECT string_agg(concat_ws('|', order_no, cost_amount_cny, item_count, inventory_deducted), E'\n' ORDER BY order_no)
             FROM dw.fact_sales_orders),
            (SELECT string_agg(concat_ws('|', o.order_no, i.line_no, p.sku, i.quantity, i.unit_price, i.unit_cost), E'\n' ORDER BY o.order_no, i.line_no)
             FROM dw.fact_order_items AS i JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) JOIN dw.dim_products AS p USING (merchant_id, product_id)),
            (SELECT string_agg(concat_ws('|', t.transaction_date, p.sku, t.warehouse_code, t.transaction_type, t.quantity_change, t.unit_cost, t.line_no,
                                         replace(t.reference_no, t.order_id::text, o.order_no), t.note, t.occurred_at, t.quantity_posted), E'\n' ORDER BY o.order_no, t.line_no)
             FROM dw.fact_inventory_transactions AS t JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) JOIN dw.dim_products AS p USING (merchant_id, product_id)),
            (SELECT string_agg(concat_ws('|', p.sku, f.warehouse_code, f.quantity_on_hand, f.quantity_reserved, f.shortage_on_hand, f.shortage_reserved, f.average_unit_cost),
                               E'\n' ORDER BY p.sku)
             FROM dw.fact_inventory AS f JOIN dw.dim_products AS p USING (merchant_id, product_id)),
            (SELECT string_agg(concat_ws('|', kind, subject, resolved_at, details), E'\n' ORDER BY subject) FROM dw.alerts))
        """);

    [Fact]
    public async Task The_posted_floor_writes_the_rows_the_posted_load_writes()
    {
        var orders = BenchOrders.Generate(0, 60).ToList();
        await using var loaded = await CreateAsync();
        await using var floor = await CreateAsync();

        await new Ingestor(loaded.DataSource).UpsertOrdersWithItemsAsync(orders, BenchOrderLines.Generate(orders));
        await BenchOrderLines.CopyPostedAsync(floor.DataSource, orders);

        Assert.Equal(120L, await loaded.ScalarAsync<long>("SELECT count(*) FROM dw.fact_inventory_transactions"));
        Assert.Equal(await BooksAsync(loaded), await BooksAsync(floor));
    }

    private static async Task<TestDatabase> CreateAsync()
    {
        var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync(BenchDatabase.Dimensions + BenchOrderLines.Catalog);
        return db;
    }
}
