namespace Erp.Db.Queries.Trends;

/// <summary>A trend series and its direction.</summary>
/// <param name="Period">The period covered.</param>
/// <param name="Granularity">Bucket size.</param>
/// <param name="Series">One point per bucket with sales, oldest first.</param>
/// <param name="Direction">up, down or flat: revenue of the second half of the series against the first (5% band).</param>
/// <param name="ChangeRate">(second half - first half) / first half of revenue; null when the first half had none.</param>
public sealed record TrendReport(Sales.PeriodInfo Period, Granularity Granularity, IReadOnlyList<TrendPoint> Series, string Direction, decimal? ChangeRate);

/// <summary>One bucket of a trend.</summary>
public sealed record TrendPoint
{
    /// <summary>First day of the bucket.</summary>
    public DateOnly Bucket { get; init; }

    /// <summary>Revenue, CNY.</summary>
    public decimal Revenue { get; init; }

    /// <summary>Valid orders.</summary>
    public long Orders { get; init; }

    /// <summary>Revenue per order.</summary>
    public decimal Aov { get; init; }

    /// <summary>Net profit, CNY.</summary>
    public decimal NetProfit { get; init; }

    /// <summary>Revenue change against the previous bucket; null for the first or after an empty bucket.</summary>
    public decimal? RevenueChange { get; init; }
}
