namespace Erp.Db.Queries.Targets;

/// <summary>One sales target and its achievement, as last recomputed (after each due refresh and on every change of the targets).</summary>
public sealed record TargetRow
{
    /// <summary>Target id.</summary>
    public long TargetId { get; init; }

    /// <summary>The shop it is for; null for the whole merchant.</summary>
    public long? ShopId { get; init; }

    /// <summary>The shop's name; null for the whole merchant.</summary>
    public string? ShopName { get; init; }

    /// <summary>gmv_cny, orders, units, gross_profit_cny, net_profit_cny or new_customers.</summary>
    public string Metric { get; init; } = "";

    /// <summary>day, week, month, quarter or year.</summary>
    public string PeriodType { get; init; } = "";

    /// <summary>First day of the period.</summary>
    public DateOnly Start { get; init; }

    /// <summary>Last day of the period.</summary>
    public DateOnly End { get; init; }

    /// <summary>The target, in the metric's unit.</summary>
    public decimal TargetValue { get; init; }

    /// <summary>The metric from the period's start to today (or its end), valid sales only.</summary>
    public decimal ActualValue { get; init; }

    /// <summary>Actual / target; null for a zero target.</summary>
    public decimal? AchievementRate { get; init; }

    /// <summary>Share of the period's time gone by when computed, in the merchant's time zone: today counts its hours so far (0 before it starts, 1 once it ended).</summary>
    public decimal ElapsedShare { get; init; }

    /// <summary>not_started, achieved, on_track (rate at least the elapsed share), behind or missed.</summary>
    public string Status { get; init; } = "";

    /// <summary>When it was computed.</summary>
    public DateTimeOffset ComputedAt { get; init; }
}
