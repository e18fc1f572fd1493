using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>purchases: CSV columns of <see cref="PurchaseRow"/>.</summary>
internal static class PurchasesCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<PurchaseRow>("purchases", "dw.fact_inventory_transactions",
    [
        .. KeyColumns.Merchant,
        new("reference_no", true, "receipt line number, unique per merchant among purchases (the key)"),
        new("sku", true, "the merchant's SKU"),
        new("quantity", true, "units received, more than 0"),
        new("unit_cost", true, "cost of one unit in CNY"),
        new("received_date", true, "day, yyyy-mm-dd"),
        new("warehouse_code", false, "default the merchant's shipping warehouse ('default' unless set)"),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertPurchasesAsync(rows, ct));

    private static PurchaseRow Map(CsvRecord r)
    {
        var row = new PurchaseRow(r.LongOrNull("merchant_id") ?? 0, r.Text("reference_no"), r.Text("sku"), r.Int("quantity"), r.Decimal("unit_cost"), r.Date("received_date"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            WarehouseCode = r.TextOrNull("warehouse_code"),
        };
    }
}
