using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>sales-targets: file columns of <see cref="SalesTargetRow"/>.</summary>
internal static class SalesTargetsCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<SalesTargetRow>("sales-targets", "dw.cfg_sales_targets",
    [
        .. KeyColumns.Merchant,
        new("metric", true, "gmv_cny, orders, units, gross_profit_cny, net_profit_cny, new_customers"),
        new("period_type", true, "day, week, month, quarter, year"),
        new("period_start", true, "yyyy-mm-dd"),
        new("period_end", true, "yyyy-mm-dd"),
        new("target_value", true, "not negative"),
        .. KeyColumns.OptionalShop,
        new("note", false, ""),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertSalesTargetsAsync(rows, ct));

    private static SalesTargetRow Map(CsvRecord r)
    {
        var row = new SalesTargetRow(r.LongOrNull("merchant_id") ?? 0, r.Text("metric"), r.Text("period_type"), r.Date("period_start"), r.Date("period_end"), r.Decimal("target_value"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            ShopId = r.LongOrNull("shop_id"),
            ShopCode = r.TextOrNull("shop_code"),
            Note = r.TextOrNull("note"),
        };
    }
}
