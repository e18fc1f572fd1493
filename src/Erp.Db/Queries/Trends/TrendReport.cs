namespace Erp.Db.Queries.Trends;

/// <summary>A trend series and its direction.</summary>
/// <param name="Period">The period covered.</param>
/// <param name="Grain">Bucket size.</param>
/// <param name="Series">One point per bucket the period touches (at 0 without orders), oldest first; then, when asked for, the forecast points (<see cref="TrendPoint.Forecast"/> true).</param>
/// <param name="Direction">up, down or flat: revenue of the second half of the complete buckets against the first (5% band); the complete
/// buckets count from the first with sales (the buckets before it are no history, not zeros), as the forecast's do.</param>
/// <param name="ChangeRate">(second half - first half) / first half of revenue over the complete buckets; null when the first half had none.</param>
public sealed record TrendReport(Sales.PeriodInfo Period, Granularity Grain, IReadOnlyList<TrendPoint> Series, string Direction, decimal? ChangeRate)
{
    /// <summary>False when the last bucket the period touches is not complete: it ends after the period, or reaches today (whose data is still coming in).</summary>
    public bool LastBucketComplete { get; init; }

    /// <summary>How the forecast was made; null without one.</summary>
    public TrendForecast? Forecast { get; init; }
}

/// <summary>
/// How a trend forecast is made: an ordinary least-squares line through the complete buckets of the
/// period from the first with sales (empty buckets after it count as 0; buckets cut by the period's edges or reaching today are left out),
/// one line per figure (revenue, orders, net profit), extended over the next buckets. The band is the
/// 95% prediction interval of that line: value ± 1.96 × s × √(1 + 1/n + (x − x̄)² / Σ(x − x̄)²), s the
/// residual standard error. Values and lower bounds are not below 0 (net profit excepted).
/// </summary>
/// <param name="Method">Always <c>linear_regression</c>.</param>
/// <param name="Buckets">Buckets forecast.</param>
/// <param name="FittedBuckets">Complete buckets the lines were fitted to.</param>
/// <param name="FittedFrom">First day of the first fitted bucket.</param>
/// <param name="FittedTo">First day of the last fitted bucket.</param>
/// <param name="RevenueSlope">Revenue change per bucket of the fitted line, CNY.</param>
/// <param name="Band">The band: <c>prediction_interval_95</c>.</param>
public sealed record TrendForecast(string Method, int Buckets, int FittedBuckets, DateOnly FittedFrom, DateOnly FittedTo, decimal RevenueSlope, string Band);

/// <summary>One bucket of a trend.</summary>
public sealed record TrendPoint
{
    /// <summary>First day of the bucket.</summary>
    public DateOnly Bucket { get; init; }

    /// <summary>Revenue, CNY.</summary>
    public decimal Revenue { get; init; }

    /// <summary>Valid orders.</summary>
    public long Orders { get; init; }

    /// <summary>Revenue per order; null without orders (there is no average of nothing).</summary>
    public decimal? Aov { get; init; }

    /// <summary>Net profit, CNY.</summary>
    public decimal NetProfit { get; init; }

    /// <summary>
    /// Revenue change against the previous bucket; null for the first or after a bucket without orders (no denominator), -1 for a
    /// bucket without orders after one with; null too unless both buckets are <see cref="Complete"/> (a bucket with fewer days is no
    /// measure of the next).
    /// </summary>
    public decimal? RevenueChange { get; init; }

    /// <summary>Change of the valid orders against the previous bucket, as <see cref="RevenueChange"/>; null for forecast points.</summary>
    public decimal? OrdersChange { get; init; }

    /// <summary>Change of the average order value against the previous bucket, as <see cref="RevenueChange"/> but null into or out of a bucket without orders (no AOV); null for forecast points.</summary>
    public decimal? AovChange { get; init; }

    /// <summary>True when the bucket's whole range lies in the period and before today; false for a bucket cut by the period's edges or still running.</summary>
    public bool Complete { get; init; }

    /// <summary>True for a forecast point (not data): its figures come from <see cref="TrendReport.Forecast"/>.</summary>
    public bool Forecast { get; init; }

    /// <summary>Forecast points: lower end of the revenue band; null for data.</summary>
    public decimal? RevenueLower { get; init; }

    /// <summary>Forecast points: upper end of the revenue band; null for data.</summary>
    public decimal? RevenueUpper { get; init; }

    /// <summary>Forecast points: lower end of the orders band; null for data.</summary>
    public decimal? OrdersLower { get; init; }

    /// <summary>Forecast points: upper end of the orders band; null for data.</summary>
    public decimal? OrdersUpper { get; init; }
}
