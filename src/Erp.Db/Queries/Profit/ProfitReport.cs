using Erp.Db.Queries.Sales;
using Erp.Db.Queries.Trends;

namespace Erp.Db.Queries.Profit;

/// <summary>The profit of a period: totals, a page of rows, and the ROI of the campaigns that overlap it.</summary>
/// <param name="Period">The period covered.</param>
/// <param name="By">What the rows are.</param>
/// <param name="Grain">Bucket size of period rows.</param>
/// <param name="Totals">The whole merchant over the period (key <c>total</c>).</param>
/// <param name="Rows">The page of rows.</param>
/// <param name="Campaigns">The campaigns that overlap the period, oldest first.</param>
public sealed record ProfitReport(PeriodInfo Period, ProfitGrouping By, Granularity Grain, ProfitRow Totals, PagedResult<ProfitRow> Rows, IReadOnlyList<CampaignRoi> Campaigns);

/// <summary>One group's profit, CNY (definitions in <see cref="MetricDefinitions.Profit"/>); ratios are 0..1 and null without a denominator.</summary>
public sealed record ProfitRow
{
    /// <summary>The group when it is not a time bucket: a shop id, platform code, product id or category id; "shared" for expenses of no shop (by shop or platform: their own row, so the rows add up to the totals); "total" in the totals. Null for a day, week or month (see <see cref="Bucket"/>).</summary>
    public string? Key { get; init; }

    /// <summary>The time bucket when grouped by day, week or month: its first day (a week's Monday, a month's 1st, also when the period starts later
    /// in it, as <c>mart.period_buckets</c> names it). Null for the other groupings.</summary>
    public DateOnly? Bucket { get; init; }

    /// <summary>A readable name of the group.</summary>
    public string Label { get; init; } = "";

    /// <summary>GMV of valid orders (by product and category: their lines' amounts).</summary>
    public decimal Revenue { get; init; }

    /// <summary>Cost of goods.</summary>
    public decimal Cost { get; init; }

    /// <summary>Platform commission, payment fee and shipping; null by product and category.</summary>
    public decimal? Fees { get; init; }

    /// <summary>Revenue - cost.</summary>
    public decimal GrossProfit { get; init; }

    /// <summary>Gross profit - fees; null by product and category.</summary>
    public decimal? NetProfit { get; init; }

    /// <summary>Gross profit / revenue.</summary>
    public decimal? GrossMargin { get; init; }

    /// <summary>Net profit / revenue.</summary>
    public decimal? NetMargin { get; init; }

    /// <summary>Expenses without the order fees; null by product and category.</summary>
    public decimal? Expenses { get; init; }

    /// <summary>Net profit - expenses; null by product and category.</summary>
    public decimal? OperatingProfit { get; init; }

    /// <summary>Gross profit / expenses (ROI of expenses).</summary>
    public decimal? ExpenseRoi { get; init; }
}

/// <summary>A campaign's results as computed after each refresh.</summary>
public sealed record CampaignRoi
{
    /// <summary>Campaign id.</summary>
    public long CampaignId { get; init; }

    /// <summary>Campaign code.</summary>
    public string Code { get; init; } = "";

    /// <summary>Campaign name.</summary>
    public string Name { get; init; } = "";

    /// <summary>First day.</summary>
    public DateOnly Start { get; init; }

    /// <summary>Last day.</summary>
    public DateOnly End { get; init; }

    /// <summary>Budget, CNY.</summary>
    public decimal? Budget { get; init; }

    /// <summary>GMV in the campaign's window and scope, CNY.</summary>
    public decimal Revenue { get; init; }

    /// <summary>Gross profit in the campaign's window and scope, CNY.</summary>
    public decimal GrossProfit { get; init; }

    /// <summary>(Gross profit - budget) / budget; null without a positive budget.</summary>
    public decimal? Roi { get; init; }
}
