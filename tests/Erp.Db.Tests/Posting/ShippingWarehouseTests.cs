using Erp.Db.Ingest;
using Erp.Db.Tests.Ingest;
using Npgsql;
using static Erp.Db.Tests.Posting.PostingSample;

namespace Erp.Db.Tests.Posting;

/// <summary>The warehouse a merchant's orders ship from: where their movements go, where lines take their cost, where rows naming none go.</summary>
public class ShippingWarehouseTests
{
    private const long Merchant = IngestSample.Merchant;

    /// <summary>Each position of A-1 as warehouse on_hand/reserved/shortage_on_hand at average cost.</summary>
    private static Task<string?> PositionsAsync(Infrastructure.TestDatabase db) => db.ScalarAsync<string>("""
        SELECT string_agg(f.warehouse_code || ' ' || f.quantity_on_hand || '/' || f.quantity_reserved || '/' || f.shortage_on_hand || ' @' || f.average_unit_cost, '|' ORDER BY f.warehouse_code)
        FROM dw.fact_inventory AS f JOIN dw.dim_products AS p USING (merchant_id, product_id) WHERE p.sku = 'A-1'
        """);

    [Fact]
    public async Task Orders_of_a_merchant_shipping_from_its_own_warehouse_move_and_cost_their_stock_there()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertMerchantsAsync([new MerchantRow("m-a", "Merchant A") { ShippingWarehouseCode = "Main" }]);

        // Goods bought and counted without a warehouse go where the orders ship from.
        await ingest.UpsertPurchasesAsync([new PurchaseRow(Merchant, "PO-1", "A-1", 10, 6m, new DateOnly(2026, 3, 2))]);
        await ingest.UpsertOrdersWithItemsAsync([Order("S-1", "shipped"), Order("S-2", "paid")], [Line("S-1", 1, 3), Line("S-2", 1, 2)]);

        Assert.Equal("main 7/2/0 @6.0000", await PositionsAsync(db));
        // The line without a cost took the average cost where it shipped from, not the product's list cost.
        Assert.Equal(6.0000m, await db.ScalarAsync<decimal>("SELECT i.unit_cost FROM dw.fact_order_items AS i JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) WHERE o.order_no = 'S-1'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_inventory_transactions WHERE warehouse_code <> 'main'"));

        // Cancelled, the shipped goods come back where they went out.
        await ingest.UpsertOrdersAsync([Order("S-1", "cancelled")]);
        Assert.Equal("main 10/2/0 @6.0000", await PositionsAsync(db));
    }

    [Fact]
    public async Task A_line_posted_before_the_merchant_changes_warehouse_takes_back_where_it_moved_and_new_lines_move_in_the_new_one()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertMerchantsAsync([new MerchantRow("m-a", "Merchant A") { ShippingWarehouseCode = "wh-1" }]);
        await ingest.UpsertPurchasesAsync([new PurchaseRow(Merchant, "PO-1", "A-1", 10, 6m, new DateOnly(2026, 3, 2))]);
        await ingest.UpsertOrdersWithItemsAsync([Order("S-1", "paid"), Order("S-2", "shipped")], [Line("S-1", 1, 2), Line("S-2", 1, 3)]);

        await ingest.UpsertMerchantsAsync([new MerchantRow("m-a", "Merchant A") { ShippingWarehouseCode = "wh-2" }]);
        // Not given, it is kept.
        await ingest.UpsertMerchantsAsync([new MerchantRow("m-a", "Merchant A")]);
        await ingest.UpsertPurchasesAsync([new PurchaseRow(Merchant, "PO-2", "A-1", 10, 8m, new DateOnly(2026, 3, 3))]);
        // S-1 is released and S-2 comes back where they moved; S-3, new, ships from wh-2.
        await ingest.UpsertOrdersAsync([Order("S-1", "cancelled"), Order("S-2", "returned")]);
        await ingest.UpsertOrdersWithItemsAsync([Order("S-3", "shipped")], [Line("S-3", 1, 4)]);

        Assert.Equal("wh-2", await db.ScalarAsync<string>("SELECT shipping_warehouse_code FROM dw.dim_merchants WHERE merchant_code = 'm-a'"));
        Assert.Equal("wh-1 10/0/0 @6.0000|wh-2 6/0/0 @8.0000", await PositionsAsync(db));
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT order_id, line_no FROM dw.fact_inventory_transactions WHERE order_id IS NOT NULL
                                  GROUP BY order_id, line_no HAVING count(DISTINCT warehouse_code) > 1) AS split
            """));
        // Merchant B was never given one: it ships from default. A code in capitals is not stored as such.
        Assert.Equal("default", await db.ScalarAsync<string>("SELECT shipping_warehouse_code FROM dw.dim_merchants WHERE merchant_code = 'm-b'"));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("UPDATE dw.dim_merchants SET shipping_warehouse_code = 'Main' WHERE merchant_code = 'm-b'"));
        Assert.Equal("dim_merchants_shipping_warehouse_code_check", refused.ConstraintName);
    }
}
