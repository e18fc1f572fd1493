namespace Erp.Db.Queries.Shops;

/// <summary>A merchant's shops with their health score, its components and their ranks (<c>erpdb shops</c>) over <c>mart.shop_health</c>.</summary>
public sealed record ShopQuery
{
    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>Day, ISO week or month.</summary>
    public ShopPeriod Period { get; init; } = ShopPeriod.Month;

    /// <summary>A day of the period to report; the warehouse's today when null (<see cref="QueryResult{T}.AsOf"/>, docs/today.md). Results exist for the last 90 days, 26 weeks and 24 months.</summary>
    public DateOnly? Date { get; init; }

    /// <summary>Sort key (each sorts by its rank, best first).</summary>
    public ShopSort SortBy { get; init; } = ShopSort.Health;

    /// <summary>Which page.</summary>
    public Paging Paging { get; init; } = new(1, 50);
}
