namespace Erp.Db.Queries.Customers;

/// <summary>Customer segments (<c>erpdb customers</c>): segment counts and a sorted list of customers.</summary>
public sealed record CustomerQuery
{
    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>Which customers to list.</summary>
    public CustomerSegment Segment { get; init; } = CustomerSegment.All;

    /// <summary>Sort key.</summary>
    public CustomerSort SortBy { get; init; } = CustomerSort.Revenue;

    /// <summary>How many customers to list (1..max page size).</summary>
    public int Limit { get; init; } = 100;

    /// <summary>The window, in days, for "active customers" in the summary (1..3660): the last PeriodDays days, today included, unless <see cref="ActivePeriod"/> is set.</summary>
    public int PeriodDays { get; init; } = 30;

    /// <summary>
    /// The days "active customers" counts the customers who ordered on (a report's period); null, the default: the last
    /// <see cref="PeriodDays"/> days, the warehouse's today included (<see cref="QueryResult{T}.AsOf"/>).
    /// </summary>
    public Period? ActivePeriod { get; init; }
}
