using Erp.Db.Queries.Sales;
using Erp.Db.Queries.Trends;

namespace Erp.Db.Queries.Users;

/// <summary>User activity per bucket and the LTV of the first-order cohorts of a period.</summary>
/// <param name="Period">The period covered.</param>
/// <param name="Grain">Bucket size.</param>
/// <param name="Buckets">
/// One row per day, ISO week or month the period touches, oldest first; a bucket without data has its counts, DAU and revenue 0 and
/// its session length, retention, ARPU and ARPPU null (its MAU still counts the 30 days ending its last day).
/// </param>
/// <param name="Cohorts">One row per first-order month the period touches, oldest first.</param>
public sealed record UserReport(PeriodInfo Period, Granularity Grain, IReadOnlyList<UserBucket> Buckets, IReadOnlyList<CustomerCohort> Cohorts);

/// <summary>One bucket of user activity (definitions in <see cref="MetricDefinitions.Users"/>).</summary>
public sealed record UserBucket
{
    /// <summary>First day of the day, ISO week or month.</summary>
    public DateOnly Bucket { get; init; }

    /// <summary>First day of the bucket inside the period.</summary>
    public DateOnly FirstDay { get; init; }

    /// <summary>Last day of the bucket inside the period.</summary>
    public DateOnly LastDay { get; init; }

    /// <summary>Daily active users, averaged over the bucket's days in the period.</summary>
    public decimal Dau { get; init; }

    /// <summary>Users active in the 30 days ending <see cref="LastDay"/> (a lower bound estimated from daily counts).</summary>
    public long Mau { get; init; }

    /// <summary>New users, summed over the bucket's days.</summary>
    public long NewUsers { get; init; }

    /// <summary>Returning users, summed over the bucket's days.</summary>
    public long ReturningUsers { get; init; }

    /// <summary>Paying users, summed over the bucket's days.</summary>
    public long PayingUsers { get; init; }

    /// <summary>Average session length in seconds; null without timed sessions.</summary>
    public decimal? AvgSessionSeconds { get; init; }

    /// <summary>Share (0..1) of the bucket's new users active again 1 day later; null while no such day is past.</summary>
    public decimal? RetentionD1 { get; init; }

    /// <summary>The same 7 days later.</summary>
    public decimal? RetentionD7 { get; init; }

    /// <summary>The same 30 days later.</summary>
    public decimal? RetentionD30 { get; init; }

    /// <summary>GMV of valid orders, CNY.</summary>
    public decimal Revenue { get; init; }

    /// <summary>Revenue per daily active user (revenue / DAU summed over the bucket's days); null without active users.</summary>
    public decimal? Arpu { get; init; }

    /// <summary>Revenue per paying user (revenue / paying users summed over the bucket's days); null without paying users.</summary>
    public decimal? Arppu { get; init; }
}

/// <summary>The customers whose first valid order fell in one month, and their lifetime value.</summary>
public sealed record CustomerCohort
{
    /// <summary>First day of the first-order month.</summary>
    public DateOnly CohortMonth { get; init; }

    /// <summary>Customers in the cohort.</summary>
    public long Customers { get; init; }

    /// <summary>Revenue per customer within 30 days of their first order, CNY; null until 30 days have passed after the month.</summary>
    public decimal? Ltv30 { get; init; }

    /// <summary>The same within 90 days.</summary>
    public decimal? Ltv90 { get; init; }

    /// <summary>The same within 365 days.</summary>
    public decimal? Ltv365 { get; init; }
}
