namespace Erp.Db.Ingest;

/// <summary>
/// One shop for <see cref="Ingestor.UpsertShopsAsync(IEnumerable{ShopRow}, CancellationToken)"/> (table <c>dw.dim_shops</c>), keyed
/// by (merchant, <paramref name="ShopCode"/>).
/// </summary>
/// <param name="MerchantId">The merchant; 0 when <see cref="MerchantCode"/> names it.</param>
/// <param name="ShopCode">The shop's code, unique per merchant (stored as platform_shop_code); required.</param>
/// <param name="ShopName">Display name; required.</param>
/// <param name="Platform">The platform's code (dw.dim_platforms: shopee, tiktok, amazon, lazada, shopify, own_site, other).</param>
public sealed record ShopRow(long MerchantId, string ShopCode, string ShopName, string Platform)
{
    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }

    /// <summary>Currency the platform reports the shop's orders in; default CNY.</summary>
    public string CurrencyCode { get; init; } = "CNY";

    /// <summary>IANA time zone of the shop's business day; null (default) = the merchant's.</summary>
    public string? Timezone { get; init; }

    /// <summary>Days after the invoice in which the platform pays (the receivables' due date); default 14.</summary>
    public int SettlementDays { get; init; } = 14;

    /// <summary>Marketplace site country (ISO 3166-1 alpha-2), or null.</summary>
    public string? SiteCountryCode { get; init; }

    /// <summary>active (default), paused or closed.</summary>
    public string Status { get; init; } = "active";
}
