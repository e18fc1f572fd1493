namespace Erp.Db.Ingest;

/// <summary>
/// One sales target (A-class configuration) for <see cref="Ingestor.UpsertSalesTargetsAsync(IEnumerable{SalesTargetRow},
/// CancellationToken)"/> (table <c>dw.cfg_sales_targets</c>), keyed by (merchant, shop or none, metric, period type, period start).
/// Writing it recomputes the merchant's target achievement.
/// </summary>
/// <param name="MerchantId">The merchant; 0 when <see cref="MerchantCode"/> names it.</param>
/// <param name="Metric">gmv_cny, orders, units, gross_profit_cny, net_profit_cny or new_customers.</param>
/// <param name="PeriodType">day, week, month, quarter or year.</param>
/// <param name="PeriodStart">First day of the period.</param>
/// <param name="PeriodEnd">Last day of the period (inclusive).</param>
/// <param name="TargetValue">The target in the metric's unit; not negative.</param>
public sealed record SalesTargetRow(long MerchantId, string Metric, string PeriodType, DateOnly PeriodStart, DateOnly PeriodEnd, decimal TargetValue)
{
    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }

    /// <summary>The shop; null (default) for the whole merchant.</summary>
    public long? ShopId { get; init; }

    /// <summary>The shop's code within the merchant (dw.dim_shops.platform_shop_code), instead of ShopId or with it.</summary>
    public string? ShopCode { get; init; }

    /// <summary>Free text, or null.</summary>
    public string? Note { get; init; }
}
