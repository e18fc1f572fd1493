namespace Erp.Db.Ingest;

/// <summary>
/// One day of a shop's user activity for <see cref="Ingestor.UpsertUserActivityAsync(IEnumerable{UserActivityRow},
/// CancellationToken)"/> (table <c>dw.fact_user_activity</c>), keyed by (merchant, shop, <paramref name="ActivityDate"/>).
/// </summary>
/// <param name="MerchantId">The merchant; 0 when <see cref="MerchantCode"/> names it.</param>
/// <param name="ShopId">The shop; 0 when <see cref="ShopCode"/> names it.</param>
/// <param name="ActivityDate">The business day.</param>
public sealed record UserActivityRow(long MerchantId, long ShopId, DateOnly ActivityDate)
{
    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }

    /// <summary>The shop's code within the merchant (dw.dim_shops.platform_shop_code), instead of ShopId or with it.</summary>
    public string? ShopCode { get; init; }

    /// <summary>Daily active users; default 0.</summary>
    public int ActiveUsers { get; init; }

    /// <summary>New users; default 0.</summary>
    public int NewUsers { get; init; }

    /// <summary>Returning users; new plus returning at most active; default 0.</summary>
    public int ReturningUsers { get; init; }

    /// <summary>Users who paid; at most active; default 0.</summary>
    public int PayingUsers { get; init; }

    /// <summary>Sessions; default 0.</summary>
    public int Sessions { get; init; }

    /// <summary>Average session length in seconds, or null.</summary>
    public decimal? AvgSessionSeconds { get; init; }

    /// <summary>Page views; default 0.</summary>
    public int PageViews { get; init; }

    /// <summary>Share (0..1) of the day's new users active 1 day later, or null.</summary>
    public decimal? RetentionD1 { get; init; }

    /// <summary>Share (0..1) active 7 days later, or null.</summary>
    public decimal? RetentionD7 { get; init; }

    /// <summary>Share (0..1) active 30 days later, or null.</summary>
    public decimal? RetentionD30 { get; init; }
}
