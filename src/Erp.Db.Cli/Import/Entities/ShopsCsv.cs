using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>shops: file columns of <see cref="ShopRow"/>.</summary>
internal static class ShopsCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<ShopRow>("shops", "dw.dim_shops",
    [
        .. KeyColumns.Merchant,
        new("shop_code", true, "the shop's code within the merchant (the key)"),
        new("shop_name", true, "display name"),
        new("platform", true, "platform code: shopee, tiktok, amazon, lazada, shopify, own_site, other"),
        new("currency_code", false, "default CNY"),
        new("timezone", false, "IANA zone; empty = the merchant's"),
        new("settlement_days", false, "days to settlement, default 14"),
        new("site_country_code", false, "site country, e.g. SG"),
        new("status", false, "active (default), paused, closed"),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertShopsAsync(rows, ct));

    private static ShopRow Map(CsvRecord r)
    {
        var row = new ShopRow(r.LongOrNull("merchant_id") ?? 0, r.Text("shop_code"), r.Text("shop_name"), r.Text("platform"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            CurrencyCode = r.TextOrNull("currency_code") ?? row.CurrencyCode,
            Timezone = r.TextOrNull("timezone"),
            SettlementDays = r.IntOrNull("settlement_days") ?? row.SettlementDays,
            SiteCountryCode = r.TextOrNull("site_country_code"),
            Status = r.TextOrNull("status") ?? row.Status,
        };
    }
}
