namespace Erp.Db.Ingest;

/// <summary>
/// One product's figures on one shop and day for <see cref="Ingestor.UpsertProductMetricsAsync(IEnumerable{ProductMetricRow}, CancellationToken)"/>
/// (table <c>dw.fact_product_metrics</c>). Key: (<paramref name="MerchantId"/>, <paramref name="ShopId"/>, product of
/// <paramref name="Sku"/>, <paramref name="MetricDate"/>).
/// </summary>
/// <param name="MerchantId">The merchant.</param>
/// <param name="ShopId">A shop of that merchant.</param>
/// <param name="Sku">The merchant's SKU of the product.</param>
/// <param name="MetricDate">The day the figures are for.</param>
public sealed record ProductMetricRow(long MerchantId, long ShopId, string Sku, DateOnly MetricDate)
{
    /// <summary>
    /// Currency of <see cref="Price"/> and <see cref="SalesAmount"/>; null (default) keeps a stored row's currency when the batch
    /// leaves currency_code out (<see cref="IngestOptions.SuppliedFields"/>), else takes the shop's currency (dw.dim_shops.currency_code).
    /// </summary>
    public string? CurrencyCode { get; init; }

    /// <summary>
    /// CNY per unit of <see cref="CurrencyCode"/>; null (default) takes the rate of <see cref="MetricDate"/> (or the latest in the 31 days before it)
    /// from <c>dw.fact_exchange_rates</c>, 1 for CNY.
    /// </summary>
    public decimal? ExchangeRate { get; init; }

    /// <summary>Listing price that day; default 0.</summary>
    public decimal Price { get; init; }

    /// <summary>Stock the platform showed; default 0.</summary>
    public int Stock { get; init; }

    /// <summary>Units sold that day; default 0.</summary>
    public int SalesVolume { get; init; }

    /// <summary>Sales that day in <see cref="CurrencyCode"/>; default 0.</summary>
    public decimal SalesAmount { get; init; }

    /// <summary>Page views; default 0.</summary>
    public int PageViews { get; init; }

    /// <summary>Unique visitors; default 0.</summary>
    public int Visitors { get; init; }

    /// <summary>Average rating 0..5, or null without reviews.</summary>
    public decimal? Rating { get; init; }

    /// <summary>Number of reviews; default 0.</summary>
    public int ReviewCount { get; init; }

    /// <summary>active (default), inactive, out_of_stock, banned or deleted.</summary>
    public string ListingStatus { get; init; } = "active";

    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }

    /// <summary>The shop's code within the merchant (dw.dim_shops.platform_shop_code), instead of ShopId (then 0 or null) or with it.</summary>
    public string? ShopCode { get; init; }
}
