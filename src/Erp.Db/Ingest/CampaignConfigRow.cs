namespace Erp.Db.Ingest;

/// <summary>
/// One sales campaign (A-class configuration) for <see cref="Ingestor.UpsertCampaignsAsync(IEnumerable{CampaignConfigRow},
/// CancellationToken)"/> (table <c>dw.cfg_sales_campaigns</c>), keyed by (merchant, <paramref name="CampaignCode"/>). Writing it
/// recomputes the merchant's campaign results.
/// </summary>
/// <param name="MerchantId">The merchant; 0 when <see cref="MerchantCode"/> names it.</param>
/// <param name="CampaignCode">The campaign's code, unique per merchant; the key.</param>
/// <param name="CampaignName">Display name.</param>
/// <param name="StartDate">First day.</param>
/// <param name="EndDate">Last day (inclusive), not before the first.</param>
public sealed record CampaignConfigRow(long MerchantId, string CampaignCode, string CampaignName, DateOnly StartDate, DateOnly EndDate)
{
    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }

    /// <summary>promotion (default), flash_sale, festival, clearance, new_launch, livestream or other.</summary>
    public string CampaignType { get; init; } = "promotion";

    /// <summary>Platform code it runs on; null (default) = all.</summary>
    public string? Platform { get; init; }

    /// <summary>The shop it runs in; null (default) = all.</summary>
    public long? ShopId { get; init; }

    /// <summary>The shop's code within the merchant (dw.dim_shops.platform_shop_code), instead of ShopId or with it.</summary>
    public string? ShopCode { get; init; }

    /// <summary>GMV target in CNY, or null.</summary>
    public decimal? TargetGmvCny { get; init; }

    /// <summary>Budget in CNY, or null.</summary>
    public decimal? BudgetCny { get; init; }

    /// <summary>Typical discount, 0..1, or null.</summary>
    public decimal? DiscountRate { get; init; }

    /// <summary>planned (default), active, finished or cancelled.</summary>
    public string Status { get; init; } = "planned";
}
