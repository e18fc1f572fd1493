using Erp.Db.Ingest;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Ingest;
using static Erp.Db.Tests.Posting.PostingSample;

namespace Erp.Db.Tests.Posting;

/// <summary>
/// A purchase re-imported with another SKU, warehouse or unit cost (same reference_no): its units are taken back where they
/// were posted and posted where the purchase now is, and the weighted-average cost follows the corrected value.
/// </summary>
public class PurchaseCorrectionTests
{
    private const long Merchant = IngestSample.Merchant;

    [Fact]
    public async Task A_purchase_reimported_with_another_sku_or_warehouse_moves_its_units_there()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertProductsAsync([new ProductMasterRow(Merchant, "A-2", "Cup") { UnitCost = 3m }]);
        await ingest.UpsertInventoryAsync([new(Merchant, "A-1", 10), new(Merchant, "A-2", 5)]);
        PurchaseRow purchase = new(Merchant, "PO-1/1", "A-1", 20, 10m, Day);

        await ingest.UpsertPurchasesAsync([purchase]);
        var bought = await PositionsAsync(db);
        await ingest.UpsertPurchasesAsync([purchase with { Sku = "A-2" }]);
        var otherSku = await PositionsAsync(db);
        await ingest.UpsertPurchasesAsync([purchase with { Sku = "A-2", WarehouseCode = "w2", Quantity = 15 }]);
        var otherWarehouse = await PositionsAsync(db);
        var reposted = await new ErpDatabase(db.DataSource).PostAsync(merchantId: Merchant);

        Assert.Equal("A-1@default 30|A-2@default 5", bought);
        Assert.Equal("A-1@default 10|A-2@default 25", otherSku);
        Assert.Equal("A-1@default 10|A-2@default 5|A-2@w2 15", otherWarehouse);
        Assert.True(reposted.NothingChanged, reposted.ToString());
        // Book balance = opening (the inventory file) + every applied movement, per product and warehouse.
        Assert.Equal(0L, await UnreconciledAsync(db, "('A-1', 'default', 10), ('A-2', 'default', 5)"));
        Assert.Equal("A-2@w2 15 posted 15", await db.ScalarAsync<string>("""
            SELECT p.sku || '@' || t.posted_warehouse_code || ' ' || t.quantity_change || ' posted ' || t.quantity_posted
            FROM dw.fact_inventory_transactions AS t JOIN dw.dim_products AS p ON p.merchant_id = t.merchant_id AND p.product_id = t.posted_product_id
            WHERE t.reference_no = 'PO-1/1'
            """));
    }

    [Fact]
    public async Task A_purchase_moved_after_part_of_it_shipped_leaves_the_old_position_short()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertProductsAsync([new ProductMasterRow(Merchant, "A-2", "Cup") { UnitCost = 3m }]);
        PurchaseRow purchase = new(Merchant, "PO-1/1", "A-1", 10, 10m, Day);
        await ingest.UpsertPurchasesAsync([purchase]);
        await ingest.UpsertOrdersAsync([Order("S-1", "shipped")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 4)]);

        await ingest.UpsertPurchasesAsync([purchase with { Sku = "A-2" }]);

        // 10 bought - 4 shipped - 10 taken back = -4, recorded as a shortage; A-2 got the 10.
        Assert.Equal("0|0|4|0", await PositionAsync(db));
        Assert.Equal("A-1@default 0|A-2@default 10", await PositionsAsync(db));
        Assert.Equal(0L, await UnreconciledAsync(db, "('A-1', 'default', 0)"));
        Assert.Equal("stock_shortage|A-1@default|4", await db.ScalarAsync<string>(
            "SELECT kind || '|' || subject || '|' || (details->>'shortage_on_hand') FROM dw.alerts WHERE resolved_at IS NULL"));
    }

    [Fact]
    public async Task A_corrected_unit_cost_moves_the_average_by_the_value_difference()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertInventoryAsync([new(Merchant, "A-1", 10)]);
        PurchaseRow purchase = new(Merchant, "PO-1/1", "A-1", 10, 10m, Day);
        await ingest.UpsertPurchasesAsync([purchase]);
        var bought = await CostAsync(db);

        await ingest.UpsertPurchasesAsync([purchase with { UnitCost = 14m }]);

        // 10 opening units at the product's 12.5 + 10 bought at 10: 225 / 20 = 11.25.
        Assert.Equal("20 11.2500", bought);
        // + 10 x (14 - 10) = 40: 265 / 20 = 13.25, as if the purchase had come at 14.
        Assert.Equal("20 13.2500", await CostAsync(db));
        Assert.Equal("14.0000 14.0000", await db.ScalarAsync<string>(
            "SELECT unit_cost || ' ' || posted_unit_cost FROM dw.fact_inventory_transactions WHERE reference_no = 'PO-1/1'"));
    }

    [Fact]
    public async Task A_corrected_unit_cost_after_sales_reprices_only_the_units_still_on_hand()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertInventoryAsync([new(Merchant, "A-1", 10)]);
        PurchaseRow purchase = new(Merchant, "PO-1/1", "A-1", 10, 10m, Day);
        await ingest.UpsertPurchasesAsync([purchase]);
        await ingest.UpsertOrdersAsync([Order("S-1", "shipped")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 15)]);
        var shipped = await CostAsync(db);

        await ingest.UpsertPurchasesAsync([purchase with { UnitCost = 14m }]);

        Assert.Equal("5 11.2500", shipped);
        // 5 units left worth 56.25; at most 5 of the purchase's 10 can be among them: + 5 x 4 = 20, 76.25 / 5 = 15.25.
        // The other 5 x 4 belongs to units shipped, whose line cost (11.25) is not re-posted.
        Assert.Equal("5 15.2500", await CostAsync(db));
        Assert.Equal(11.25m, await db.ScalarAsync<decimal>("SELECT unit_cost FROM dw.fact_order_items"));
    }

    [Fact]
    public async Task A_lowered_quantity_or_another_sku_takes_the_units_back_at_their_purchase_cost()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertProductsAsync([new ProductMasterRow(Merchant, "A-2", "Cup") { UnitCost = 3m }]);
        await ingest.UpsertInventoryAsync([new(Merchant, "A-1", 10)]);
        PurchaseRow purchase = new(Merchant, "PO-1/1", "A-1", 10, 10m, Day);
        await ingest.UpsertPurchasesAsync([purchase]);

        await ingest.UpsertPurchasesAsync([purchase with { Quantity = 6, UnitCost = 14m }]);
        var lowered = await CostAsync(db);
        await ingest.UpsertPurchasesAsync([purchase with { Quantity = 6, UnitCost = 14m, Sku = "A-2" }]);

        // 225 - 4 taken back at 10 = 185 over 16, + 6 re-priced by 4 = 209 / 16 = 13.0625 (= (125 + 6 x 14) / 16).
        Assert.Equal("16 13.0625", lowered);
        // 209 - 6 x 14 = 125 over 10: the opening stock at 12.5 again; A-2 opens at 3 with none and takes 6 at 14.
        Assert.Equal("10 12.5000", await CostAsync(db));
        Assert.Equal("6 14.0000", await CostAsync(db, "A-2"));
        Assert.Equal(0L, await UnreconciledAsync(db, "('A-1', 'default', 10)"));
    }

    private static Task<string?> CostAsync(TestDatabase db, string sku = "A-1") => db.ScalarAsync<string>($"""
        SELECT f.quantity_on_hand || ' ' || f.average_unit_cost
        FROM dw.fact_inventory AS f JOIN dw.dim_products AS p USING (merchant_id, product_id)
        WHERE f.merchant_id = 1 AND p.sku = '{sku}' AND f.warehouse_code = 'default'
        """);

    /// <summary>sku@warehouse on_hand|... of merchant 1, every position.</summary>
    internal static Task<string?> PositionsAsync(TestDatabase db) => db.ScalarAsync<string>("""
        SELECT string_agg(p.sku || '@' || f.warehouse_code || ' ' || f.quantity_on_hand, '|' ORDER BY p.sku, f.warehouse_code)
        FROM dw.fact_inventory AS f JOIN dw.dim_products AS p USING (merchant_id, product_id) WHERE f.merchant_id = 1
        """);

    /// <summary>
    /// Positions of merchant 1 whose book balance is not their opening (<paramref name="openings"/>: sku, warehouse, units;
    /// none = 0) plus the sum of their applied on-hand movements.
    /// </summary>
    internal static Task<long> UnreconciledAsync(TestDatabase db, string openings) => db.ScalarAsync<long>($"""
        WITH opening (sku, warehouse_code, units) AS (VALUES {openings}),
        moved AS (
            SELECT t.product_id, t.warehouse_code, sum(t.quantity_change) AS units
            FROM dw.fact_inventory_transactions AS t
            WHERE t.merchant_id = 1 AND t.quantity_posted IS NOT NULL AND t.transaction_type NOT IN ('reserve', 'release')
            GROUP BY t.product_id, t.warehouse_code
        )
        SELECT count(*)
        FROM dw.fact_inventory AS f
        JOIN dw.dim_products AS p USING (merchant_id, product_id)
        LEFT JOIN opening AS o ON o.sku = p.sku AND o.warehouse_code = f.warehouse_code
        LEFT JOIN moved AS m ON m.product_id = f.product_id AND m.warehouse_code = f.warehouse_code
        WHERE f.merchant_id = 1
          AND f.quantity_on_hand - f.shortage_on_hand <> coalesce(o.units, 0) + coalesce(m.units, 0)
        """);
}
