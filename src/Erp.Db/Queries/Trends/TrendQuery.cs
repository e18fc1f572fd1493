namespace Erp.Db.Queries.Trends;

/// <summary>Trends (<c>erpdb trends</c>): revenue, orders and profit over time.</summary>
/// <param name="MerchantId">The merchant; isolation is enforced by the database.</param>
/// <param name="Period">The days to cover.</param>
/// <param name="Grain">Bucket size.</param>
public sealed record TrendQuery(long MerchantId, Period Period, Granularity Grain = Granularity.Day)
{
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
