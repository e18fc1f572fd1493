namespace Erp.Db.Queries.Trends;

/// <summary>Trends (<c>erpdb trends</c>): revenue, orders and profit over time.</summary>
public sealed record TrendQuery
{
    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>The days to cover.</summary>
    public required Period Period { get; init; }

    /// <summary>Bucket size.</summary>
    public Granularity Grain { get; init; } = Granularity.Day;

    /// <summary>Buckets to forecast after the last bucket of the period (0 = none; at most <see cref="MaxForecast"/> of the granularity).
    /// Method: <see cref="TrendForecast"/>.</summary>
    public int Forecast { get; init; }

    /// <summary>The last day whose data is complete is the day before this one; default the warehouse's today (<see cref="QueryResult{T}.AsOf"/>, docs/today.md). A bucket that reaches it is incomplete.</summary>
    public DateOnly? Today { get; init; }

    /// <summary>The most buckets a forecast may extend a series by: 90 days, 26 weeks or 12 months.</summary>
    public static int MaxForecast(Granularity granularity) => granularity switch
    {
        Granularity.Week => 26,
        Granularity.Month => 12,
        _ => 90,
    };
}
