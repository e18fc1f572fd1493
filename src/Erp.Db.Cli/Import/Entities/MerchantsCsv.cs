using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>merchants: file columns of <see cref="MerchantRow"/>.</summary>
internal static class MerchantsCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<MerchantRow>("merchants", "dw.dim_merchants",
    [
        new("merchant_code", true, "the merchant's code (the key)"),
        new("merchant_name", true, "display name"),
        new("base_currency", false, "default CNY"),
        new("timezone", false, "IANA zone, default Asia/Shanghai"),
        new("status", false, "active (default), suspended, closed"),
        new("shipping_warehouse_code", false, "the warehouse its orders ship from (lines already posted keep theirs), and where rows naming none go; default 'default'"),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertMerchantsAsync(rows, ct));

    private static MerchantRow Map(CsvRecord r)
    {
        var row = new MerchantRow(r.Text("merchant_code"), r.Text("merchant_name"));
        return row with
        {
            BaseCurrency = r.TextOrNull("base_currency") ?? row.BaseCurrency,
            Timezone = r.TextOrNull("timezone") ?? row.Timezone,
            Status = r.TextOrNull("status") ?? row.Status,
            ShippingWarehouseCode = r.TextOrNull("shipping_warehouse_code"),
        };
    }
}
