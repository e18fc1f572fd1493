namespace Erp.Db.Queries.Customers;

/// <summary>Customer segments (<c>erpdb customers</c>): segment counts and a sorted list of customers.</summary>
/// <param name="MerchantId">The merchant; isolation is enforced by the database.</param>
/// <param name="Segment">Which customers to list.</param>
/// <param name="SortBy">Sort key.</param>
/// <param name="Limit">How many customers to list (1..max page size).</param>
/// <param name="PeriodDays">The window, in days, for "active customers" in the summary (1..3660): the last PeriodDays days, today included, unless <see cref="ActivePeriod"/> is set.</param>
public sealed record CustomerQuery(long MerchantId, CustomerSegment Segment = CustomerSegment.All, CustomerSort SortBy = CustomerSort.Revenue, int Limit = 100, int PeriodDays = 30)
{
    /// <summary>
    /// The days "active customers" counts the customers who ordered on (a report's period); null, the default: the last
    /// <see cref="PeriodDays"/> days, the warehouse's today included (<see cref="QueryResult{T}.AsOf"/>).
    /// </summary>
    public Period? ActivePeriod { get; init; }
}
