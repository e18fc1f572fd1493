using System.Text.Json.Serialization;

namespace Erp.Db.Queries.Sales;

/// <summary>A merchant's sales over a period: totals with growth against the previous period, a breakdown and the best sellers.</summary>
public sealed record SalesReport
{
    /// <summary>The period covered.</summary>
    public required PeriodInfo Period { get; init; }

    /// <summary>The period the growth is measured against.</summary>
    public required PeriodInfo ComparedTo { get; init; }

    /// <summary>Totals and growth.</summary>
    public required SalesMetrics Metrics { get; init; }

    /// <summary>One row per day of the period, oldest first; a day without orders has revenue, orders and profit 0 (AOV and margins null).</summary>
    public required IReadOnlyList<SalesRow> Daily { get; init; }

    /// <summary>
    /// The breakdown asked for (the same as <see cref="Daily"/> when grouped by day). By day, week and month every bucket the period
    /// touches, and by hour all 24 hours, have a row (at 0 without orders); by shop, platform, product and category only those with sales.
    /// </summary>
    public required IReadOnlyList<SalesRow> Breakdown { get; init; }

    /// <summary>The best-selling products by revenue.</summary>
    public required IReadOnlyList<TopProduct> TopProducts { get; init; }

    /// <summary>False when the breakdown's last bucket is not complete: its day, week or month runs past the period's end or reaches today
    /// (whose data is still coming in); for groupings that are not by time, when the period reaches today.</summary>
    public bool LastBucketComplete { get; init; }
}

/// <summary>A period as reported: first and last day and its length.</summary>
public sealed record PeriodInfo(DateOnly Start, DateOnly End, int Days)
{
    /// <summary>
    /// Of a comparison period (<see cref="SalesReport.ComparedTo"/>) when the period compared includes today: the instant, in the
    /// merchant's time zone, up to which its last day (today's counterpart) is counted, the same time of day as now, to the minute
    /// (its hours before that whole, that hour prorated by the minutes elapsed: docs/metrics.md). Null, and left out of JSON, when
    /// every day counts whole.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? Through { get; init; }
}

/// <summary>Sales totals of a period, in CNY.</summary>
public sealed record SalesMetrics
{
    /// <summary>GMV of valid orders (<c>dw.is_valid_sale</c>: not cancelled, refunded or returned; see docs/metrics.md).</summary>
    public decimal Revenue { get; init; }

    /// <summary>Valid orders.</summary>
    public long Orders { get; init; }

    /// <summary>Revenue per order (<c>mart.aov</c>); null without orders (there is no average of nothing).</summary>
    public decimal? Aov { get; init; }

    /// <summary>Revenue minus cost of goods.</summary>
    public decimal GrossProfit { get; init; }

    /// <summary>Gross profit minus platform, payment and shipping fees.</summary>
    public decimal NetProfit { get; init; }

    /// <summary>
    /// Revenue of the period compared with (<see cref="SalesReport.ComparedTo"/>); when the period includes today, its last day only
    /// up to <see cref="PeriodInfo.Through"/>.
    /// </summary>
    public decimal PreviousRevenue { get; init; }

    /// <summary>Where the comparison's last day was cut (sales_totals.sql), for <see cref="PeriodInfo.Through"/>; not part of the metrics.</summary>
    [JsonIgnore]
    internal DateTime? PreviousThrough { get; init; }

    /// <summary>(revenue - previous) / previous, a rate (<c>mart.rate</c>: 6 decimal places); null when the previous period had no revenue.</summary>
    public decimal? GrowthRate { get; init; }
}

/// <summary>One row of a sales breakdown.</summary>
public sealed record SalesRow
{
    /// <summary>The group when it is not a time bucket: a shop id, platform code, product id (or "others"), category id or hour of the day ("00"-"23"). Null for a day, week or month (see <see cref="Bucket"/>).</summary>
    public string? Key { get; init; }

    /// <summary>The time bucket when grouped by day, week or month: its first day (a week's Monday, a month's 1st, also when the period starts later
    /// in it, as <c>mart.period_buckets</c> names it). Null for the other groupings.</summary>
    public DateOnly? Bucket { get; init; }

    /// <summary>A readable name of the group.</summary>
    public string Label { get; init; } = "";

    /// <summary>GMV in CNY.</summary>
    public decimal Revenue { get; init; }

    /// <summary>
    /// Valid orders (by product: the orders holding the product). Null by category and in the 'others' row of the products: they
    /// sum products, and an order holding two of them would count twice.
    /// </summary>
    public long? Orders { get; init; }

    /// <summary>Revenue per order; null where <see cref="Orders"/> is, and in a day, week, month or hour without orders.</summary>
    public decimal? Aov { get; init; }

    /// <summary>Revenue minus cost of goods, CNY; by product and category the order lines' (as <c>erpdb profit --by product</c>).</summary>
    public decimal? GrossProfit { get; init; }

    /// <summary>Gross profit minus fees, CNY; null by product and category (fees belong to orders, not lines).</summary>
    public decimal? NetProfit { get; init; }

    /// <summary>Gross profit / revenue (0.25 = 25 %); null without revenue.</summary>
    public decimal? GrossMargin { get; init; }

    /// <summary>Net profit / revenue; null without revenue, and by product and category.</summary>
    public decimal? NetMargin { get; init; }
}

/// <summary>A best-selling product.</summary>
public sealed record TopProduct
{
    /// <summary>The product's id.</summary>
    public long ProductId { get; init; }

    /// <summary>The merchant's SKU.</summary>
    public string Sku { get; init; } = "";

    /// <summary>The product's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Revenue in the period, CNY.</summary>
    public decimal Revenue { get; init; }

    /// <summary>Orders that contained it.</summary>
    public long Orders { get; init; }

    /// <summary>Units sold.</summary>
    public long Units { get; init; }
}
