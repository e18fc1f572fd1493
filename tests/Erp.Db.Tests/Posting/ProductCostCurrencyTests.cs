using Erp.Db.Ingest;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Ingest;
using Npgsql;
using static Erp.Db.Tests.Posting.PostingSample;

namespace Erp.Db.Tests.Posting;

/// <summary>
/// A product's unit_cost is in its cost_currency: wherever the books take it (a line without cost, a position's opening cost, stock
/// imported without cost) it is converted to CNY at the rate of the relevant day, and without a rate the row is rejected.
/// </summary>
public class ProductCostCurrencyTests
{
    private const long Merchant = IngestSample.Merchant;

    private static async Task<(TestDatabase Db, Ingestor Ingest)> UsdProductAsync()
    {
        var db = await IngestSample.CreateAsync();
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_exchange_rates (currency_code, rate_date, rate_to_cny)
            VALUES ('USD', '2026-03-03', 7.0), ('USD', '2026-03-05', 7.2), ('USD', '2026-03-06', 7.3)
            """);
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertProductsAsync([
            new ProductMasterRow(Merchant, "U-1", "Lamp") { UnitCost = 2.5m, CostCurrency = "USD" },
            new ProductMasterRow(Merchant, "G-1", "Kettle") { UnitCost = 4m, CostCurrency = "GBP" },
            new ProductMasterRow(Merchant, "Z-1", "Sample") { UnitCost = 0m, CostCurrency = "GBP" },
        ]);
        return (db, ingest);
    }

    [Fact]
    public async Task A_line_without_cost_takes_the_usd_cost_at_the_rate_of_its_order_date()
    {
        var (db, ingest) = await UsdProductAsync();
        await using var _ = db;

        await ingest.UpsertOrdersAsync([Order("S-1", "paid")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 3, sku: "U-1")]);

        // 2.5 USD x 7.2 (the rate of 2026-03-05) = 18 CNY a unit; 3 units = 54.
        Assert.Equal("18.0000 54.00", await db.ScalarAsync<string>("SELECT unit_cost || ' ' || cost_amount FROM dw.fact_order_items"));
        Assert.Equal(54.00m, await db.ScalarAsync<decimal>("SELECT cost_amount_cny FROM dw.fact_sales_orders WHERE order_no = 'S-1'"));
        // The reservation opened the default position, at the same CNY cost.
        Assert.Equal("0 18.0000", await CostAsync(db, "U-1"));
    }

    [Fact]
    public async Task A_position_opens_at_the_usd_cost_at_the_rate_of_its_first_movement_and_averages_in_cny()
    {
        var (db, ingest) = await UsdProductAsync();
        await using var _ = db;

        await ingest.UpsertStockCountsAsync([new StockCountRow(Merchant, "U-1", 10, new DateTimeOffset(2026, 3, 4, 9, 0, 0, TimeSpan.FromHours(8)))]);
        var counted = await CostAsync(db, "U-1");
        await ingest.UpsertPurchasesAsync([new PurchaseRow(Merchant, "PO-1/1", "U-1", 10, 20m, Day)]);

        // Counted on 2026-03-04: the latest rate on or before it is 7.0 (2026-03-03): 2.5 x 7 = 17.5.
        Assert.Equal("10 17.5000", counted);
        // (10 x 17.5 + 10 x 20) / 20 = 18.75: the weighted average of CNY values, never of USD and CNY.
        Assert.Equal("20 18.7500", await CostAsync(db, "U-1"));
        Assert.Equal(375.00m, await db.ScalarAsync<decimal>(
            "SELECT round(quantity_on_hand * average_unit_cost, 2) FROM dw.fact_inventory AS f JOIN dw.dim_products AS p USING (merchant_id, product_id) WHERE p.sku = 'U-1'"));
    }

    [Fact]
    public async Task Stock_imported_without_a_cost_takes_the_usd_cost_at_the_latest_rate()
    {
        var (db, ingest) = await UsdProductAsync();
        await using var _ = db;

        // The rates of March are too old for today's stock (dw.exchange_rate_oldest_day): one of 30 days ago is not.
        var stale = await Assert.ThrowsAsync<IngestException>(() => ingest.UpsertInventoryAsync([new InventoryRow(Merchant, "U-1", 4)]));
        await db.ExecuteAsync("INSERT INTO dw.fact_exchange_rates (currency_code, rate_date, rate_to_cny) VALUES ('USD', CURRENT_DATE - 30, 7.4)");
        await ingest.UpsertInventoryAsync([new InventoryRow(Merchant, "U-1", 4), new InventoryRow(Merchant, "Z-1", 1)]);

        Assert.Equal((1L, "average_unit_cost"), (stale.RowNumber, stale.Field));
        // Imported today, at the latest rate (30 days ago, 7.4): 2.5 x 7.4 = 18.50. A cost of 0 needs no rate.
        Assert.Equal("4 18.5000", await CostAsync(db, "U-1"));
        Assert.Equal("1 0.0000", await CostAsync(db, "Z-1"));
    }

    [Fact]
    public async Task Without_a_rate_for_the_cost_currency_the_row_is_rejected_or_the_posting_fails()
    {
        var (db, ingest) = await UsdProductAsync();
        await using var _ = db;
        await ingest.UpsertOrdersAsync([Order("S-1", "pending")]);

        var line = await Assert.ThrowsAsync<IngestException>(() => ingest.UpsertOrderItemsAsync([Line("S-1", 1, 1, sku: "U-1"), Line("S-1", 2, 1, sku: "G-1")]));
        var purchase = await Assert.ThrowsAsync<IngestException>(() => ingest.UpsertPurchasesAsync([new PurchaseRow(Merchant, "PO-1/1", "G-1", 5, 9m, Day)]));
        var stock = await Assert.ThrowsAsync<IngestException>(() => ingest.UpsertInventoryAsync([new InventoryRow(Merchant, "G-1", 5)]));
        var count = await Assert.ThrowsAsync<PostgresException>(() => ingest.UpsertStockCountsAsync([new StockCountRow(Merchant, "G-1", 3, Morning)]));
        await ingest.UpsertOrderItemsAsync([Line("S-1", 2, 1, sku: "G-1", unitCost: 30m)]);
        await ingest.UpsertInventoryAsync([new InventoryRow(Merchant, "G-1", 5) { AverageUnitCost = 36m }]);

        Assert.Equal((2L, "unit_cost"), (line.RowNumber, line.Field));
        Assert.Contains("sku G-1 costs in GBP and dw.fact_exchange_rates has no GBP rate from 2026-02-02 to 2026-03-05 (it has none before)", line.Message, StringComparison.Ordinal);
        Assert.Equal((1L, "sku"), (purchase.RowNumber, purchase.Field));
        Assert.Equal((1L, "average_unit_cost"), (stock.RowNumber, stock.Field));
        Assert.Contains("its new stock position G-1@default cannot be valued in CNY", count.MessageText, StringComparison.Ordinal);
        // With a cost of their own they need no rate.
        Assert.Equal("30.0000", await db.ScalarAsync<string>("SELECT unit_cost::text FROM dw.fact_order_items WHERE line_no = 2"));
        Assert.Equal("5 36.0000", await CostAsync(db, "G-1"));
    }

    private static Task<string?> CostAsync(TestDatabase db, string sku) => db.ScalarAsync<string>($"""
        SELECT f.quantity_on_hand || ' ' || f.average_unit_cost
        FROM dw.fact_inventory AS f JOIN dw.dim_products AS p USING (merchant_id, product_id)
        WHERE f.merchant_id = 1 AND p.sku = '{sku}' AND f.warehouse_code = 'default'
        """);
}
