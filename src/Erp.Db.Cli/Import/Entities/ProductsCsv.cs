using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>products: file columns of <see cref="ProductMasterRow"/>.</summary>
internal static class ProductsCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<ProductMasterRow>("products", "dw.dim_products",
    [
        .. KeyColumns.Merchant,
        new("sku", true, "the SKU (the key)"),
        new("product_name", true, "display name"),
        new("category_path", false, "a category's path"),
        new("brand", false, ""),
        new("unit_cost", false, "default 0"),
        new("cost_currency", false, "default CNY"),
        new("safety_stock", false, "default 0"),
        new("status", false, "draft, active (default), inactive, archived"),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertProductsAsync(rows, ct));

    private static ProductMasterRow Map(CsvRecord r)
    {
        var row = new ProductMasterRow(r.LongOrNull("merchant_id") ?? 0, r.Text("sku"), r.Text("product_name"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            CategoryPath = r.TextOrNull("category_path"),
            Brand = r.TextOrNull("brand"),
            UnitCost = r.DecimalOrNull("unit_cost") ?? row.UnitCost,
            CostCurrency = r.TextOrNull("cost_currency") ?? row.CostCurrency,
            SafetyStock = r.IntOrNull("safety_stock") ?? row.SafetyStock,
            Status = r.TextOrNull("status") ?? row.Status,
        };
    }
}
