namespace Erp.Db.Ingest;

/// <summary>
/// One day of a shop's conversion funnel for <see cref="Ingestor.UpsertTrafficAsync(IEnumerable{TrafficRow}, CancellationToken)"/>
/// (table <c>dw.fact_traffic_funnel</c>), keyed by (merchant, shop, <paramref name="TrafficDate"/>).
/// </summary>
/// <param name="MerchantId">The merchant; 0 when <see cref="MerchantCode"/> names it.</param>
/// <param name="ShopId">The shop; 0 when <see cref="ShopCode"/> names it.</param>
/// <param name="TrafficDate">The business day.</param>
public sealed record TrafficRow(long MerchantId, long ShopId, DateOnly TrafficDate)
{
    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }

    /// <summary>The shop's code within the merchant (dw.dim_shops.platform_shop_code), instead of ShopId or with it.</summary>
    public string? ShopCode { get; init; }

    /// <summary>Visits that day; default 0.</summary>
    public int Visitors { get; init; }

    /// <summary>Distinct visitors, at most <see cref="Visitors"/>; default 0.</summary>
    public int UniqueVisitors { get; init; }

    /// <summary>Page views; default 0.</summary>
    public int PageViews { get; init; }

    /// <summary>Visits with an add-to-cart; default 0.</summary>
    public int AddToCart { get; init; }

    /// <summary>Visits that started checkout; default 0.</summary>
    public int Checkout { get; init; }

    /// <summary>Orders as the traffic report counts them; default 0.</summary>
    public int Orders { get; init; }
}
