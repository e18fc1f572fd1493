using Erp.Db.Ingest;
using Erp.Db.Tests.Ingest;

namespace Erp.Db.Tests.Posting;

/// <summary>What a stock position takes from its product: its safety stock (and later changes of it), and its cost when it opens.</summary>
public class PositionDefaultsTests
{
    private const long Merchant = IngestSample.Merchant;

    [Fact]
    public async Task Positions_at_the_products_safety_stock_follow_its_change_and_a_warehouses_own_stays()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertProductsAsync([new ProductMasterRow(Merchant, "P-1", "Pen") { SafetyStock = 5 }]);
        await ingest.UpsertInventoryAsync([
            new InventoryRow(Merchant, "P-1", 20),
            new InventoryRow(Merchant, "P-1", 20) { WarehouseCode = "w2", SafetyStock = 9 },
        ]);
        var before = await SafetyStocksAsync(db);

        await ingest.UpsertProductsAsync([new ProductMasterRow(Merchant, "P-1", "Pen") { SafetyStock = 8 }]);

        Assert.Equal("default 5|w2 9", before);
        Assert.Equal("default 8|w2 9", await SafetyStocksAsync(db));
    }

    [Fact]
    public async Task A_position_a_count_opens_is_valued_at_the_products_cost_and_a_purchase_averages_with_it()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertProductsAsync([new ProductMasterRow(Merchant, "P-1", "Pen") { UnitCost = 4m }]);
        await ingest.UpsertStockCountsAsync([new StockCountRow(Merchant, "P-1", 100, new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero))]);
        var counted = await CostAsync(db);

        await ingest.UpsertPurchasesAsync([new PurchaseRow(Merchant, "PO-1", "P-1", 100, 6m, new DateOnly(2026, 3, 2))]);

        Assert.Equal("100 4.0000", counted);
        Assert.Equal("200 5.0000", await CostAsync(db));
    }

    [Fact]
    public async Task Stock_imported_without_a_cost_is_valued_at_the_products_cost()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertProductsAsync([new ProductMasterRow(Merchant, "P-1", "Pen") { UnitCost = 4m }]);

        await ingest.UpsertInventoryAsync([new InventoryRow(Merchant, "P-1", 100)]);

        Assert.Equal("100 4.0000", await CostAsync(db));
    }

    private static Task<string?> SafetyStocksAsync(Infrastructure.TestDatabase db) => db.ScalarAsync<string>("""
        SELECT string_agg(f.warehouse_code || ' ' || f.safety_stock, '|' ORDER BY f.warehouse_code)
        FROM dw.fact_inventory AS f JOIN dw.dim_products AS p USING (merchant_id, product_id) WHERE p.sku = 'P-1'
        """);

    private static Task<string?> CostAsync(Infrastructure.TestDatabase db) => db.ScalarAsync<string>("""
        SELECT f.quantity_on_hand || ' ' || f.average_unit_cost
        FROM dw.fact_inventory AS f JOIN dw.dim_products AS p USING (merchant_id, product_id) WHERE p.sku = 'P-1' AND f.warehouse_code = 'default'
        """);
}
