using Erp.Db.Queries.Sales;

namespace Erp.Db.Queries.Shops;

/// <summary>The shops of one period with their health and ranks.</summary>
/// <param name="PeriodType">day, week or month (as <see cref="Targets.TargetRow.PeriodType"/> names a target's).</param>
/// <param name="Start">First day of the period.</param>
/// <param name="End">Last day of the period.</param>
/// <param name="Shops">The page of shops.</param>
public sealed record ShopReport(string PeriodType, DateOnly Start, DateOnly End, PagedResult<ShopHealthRow> Shops)
{
    /// <summary>
    /// What the shops' sales growth compares with, as the results were computed (<see cref="ShopHealthRow.ComputedAt"/>): the period
    /// before, or, when the period included today then, its same days with the last, today's counterpart, counted only up to the
    /// time of day of that computation (<see cref="PeriodInfo.Through"/>, docs/metrics.md). Null without results.
    /// </summary>
    public PeriodInfo? ComparedTo { get; init; }
}

/// <summary>One shop's health score, components and ranks in a period (docs/business-flows.md, Shop health score).</summary>
public sealed record ShopHealthRow
{
    /// <summary>Shop id.</summary>
    public long ShopId { get; init; }

    /// <summary>The shop's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Platform code.</summary>
    public string Platform { get; init; } = "";

    /// <summary>Health score 0-100; null when no component has a value.</summary>
    public decimal? Score { get; init; }

    /// <summary>Rank by health among the merchant's shops with a score (1 = best); ties share a rank.</summary>
    public int? HealthRank { get; init; }

    /// <summary>Rank by revenue (1 = largest).</summary>
    public int RevenueRank { get; init; }

    /// <summary>Rank by gross profit (1 = largest).</summary>
    public int ProfitRank { get; init; }

    /// <summary>Valid orders.</summary>
    public long Orders { get; init; }

    /// <summary>GMV of valid orders, CNY.</summary>
    public decimal Revenue { get; init; }

    /// <summary>Gross profit, CNY.</summary>
    public decimal GrossProfit { get; init; }

    /// <summary>GMV of the period compared with (<see cref="ShopReport.ComparedTo"/>), CNY.</summary>
    public decimal PreviousRevenue { get; init; }

    /// <summary>The components: raw value, score and weight each.</summary>
    public ShopHealthComponents Components { get; init; } = new();

    /// <summary>The performance configuration applied; null = the defaults.</summary>
    public long? ConfigId { get; init; }

    /// <summary>When the row was computed.</summary>
    public DateTimeOffset ComputedAt { get; init; }
}

/// <summary>The five components of the health score.</summary>
public sealed record ShopHealthComponents
{
    /// <summary>(revenue - previous revenue) / previous revenue: like with like (<see cref="ShopReport.ComparedTo"/>).</summary>
    public HealthComponent SalesGrowth { get; init; } = new(null, null, 0);

    /// <summary>Gross profit / revenue.</summary>
    public HealthComponent GrossMargin { get; init; } = new(null, null, 0);

    /// <summary>Average hours from order to shipping.</summary>
    public HealthComponent FulfilmentHours { get; init; } = new(null, null, 0);

    /// <summary>Refunded or returned orders / orders not cancelled.</summary>
    public HealthComponent ReturnRate { get; init; } = new(null, null, 0);

    /// <summary>Share of listing-days out of stock.</summary>
    public HealthComponent StockOutRate { get; init; } = new(null, null, 0);
}

/// <summary>One health component.</summary>
/// <param name="Value">The raw value; null without data.</param>
/// <param name="Score">Its score 0-100; null without a value.</param>
/// <param name="Weight">Its weight in the total.</param>
public sealed record HealthComponent(decimal? Value, decimal? Score, decimal Weight);
