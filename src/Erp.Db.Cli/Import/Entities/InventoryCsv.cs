using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>inventory: CSV columns of <see cref="InventoryRow"/>.</summary>
internal static class InventoryCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<InventoryRow>("inventory", "dw.fact_inventory",
    [
        .. KeyColumns.Merchant,
        new("sku", true, "merchant SKU of the product"),
        new("quantity_on_hand", true, "units in the warehouse"),
        new("warehouse_code", false, "default the merchant's shipping warehouse ('default' unless set)"),
        new("quantity_reserved", false, "default 0, at most on hand"),
        new("quantity_incoming", false, "default 0"),
        new("safety_stock", false, "default the product's safety_stock"),
        new("average_unit_cost", false, "CNY; empty or 0: unknown, the product's unit_cost is stored (in CNY at today's rate of its cost_currency)"),
        new("last_counted_at", false, "timestamp"),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertInventoryAsync(rows, ct));

    private static InventoryRow Map(CsvRecord r)
    {
        var row = new InventoryRow(r.LongOrNull("merchant_id") ?? 0, r.Text("sku"), r.Int("quantity_on_hand"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            WarehouseCode = r.TextOrNull("warehouse_code"),
            QuantityReserved = r.IntOrNull("quantity_reserved") ?? row.QuantityReserved,
            QuantityIncoming = r.IntOrNull("quantity_incoming") ?? row.QuantityIncoming,
            SafetyStock = r.IntOrNull("safety_stock"),
            AverageUnitCost = r.DecimalOrNull("average_unit_cost") ?? row.AverageUnitCost,
            LastCountedAt = r.TimestampOrNull("last_counted_at"),
        };
    }
}
