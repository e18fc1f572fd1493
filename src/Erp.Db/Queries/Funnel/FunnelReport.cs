using Erp.Db.Queries.Sales;
using Erp.Db.Queries.Trends;

namespace Erp.Db.Queries.Funnel;

/// <summary>
/// The funnel of a period: a page of its rows and the totals. By period every day, ISO week or month of the period is a row (one without
/// traffic has its counts 0 and its rates null); by shop and platform only groups with traffic.
/// </summary>
/// <param name="Period">The period covered.</param>
/// <param name="Grain">Bucket size of period rows.</param>
/// <param name="By">What the rows are.</param>
/// <param name="Rows">The page of rows.</param>
/// <param name="Totals">The whole period (key <c>total</c>).</param>
public sealed record FunnelReport(PeriodInfo Period, Granularity Grain, FunnelGrouping By, PagedResult<FunnelRow> Rows, FunnelRow Totals);

/// <summary>One group of the funnel: visitors, carts, checkouts, orders and the rates between them (null when the denominator is 0).</summary>
public sealed record FunnelRow
{
    /// <summary>The group when it is not a time bucket: a shop id or a platform code; "total" in the totals. Null for a day, week or month (see <see cref="Bucket"/>).</summary>
    public string? Key { get; init; }

    /// <summary>The time bucket when grouped by day, week or month: its first day (a week's Monday, a month's 1st, also when the period starts later
    /// in it, as <c>mart.period_buckets</c> names it). Null for the other groupings.</summary>
    public DateOnly? Bucket { get; init; }

    /// <summary>A readable name of the group.</summary>
    public string Label { get; init; } = "";

    /// <summary>Visits (sessions).</summary>
    public long Visitors { get; init; }

    /// <summary>Distinct visitors per day, summed.</summary>
    public long UniqueVisitors { get; init; }

    /// <summary>Visits that added to cart.</summary>
    public long AddToCart { get; init; }

    /// <summary>Visits that started checkout.</summary>
    public long Checkout { get; init; }

    /// <summary>Orders as the traffic report counts them.</summary>
    public long Orders { get; init; }

    /// <summary>AddToCart / Visitors.</summary>
    public decimal? VisitorToCartRate { get; init; }

    /// <summary>Checkout / AddToCart.</summary>
    public decimal? CartToCheckoutRate { get; init; }

    /// <summary>Orders / Checkout.</summary>
    public decimal? CheckoutToOrderRate { get; init; }

    /// <summary>Orders / Visitors (overall conversion).</summary>
    public decimal? ConversionRate { get; init; }
}
