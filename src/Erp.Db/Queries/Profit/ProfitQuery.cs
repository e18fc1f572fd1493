using Erp.Db.Queries.Trends;

namespace Erp.Db.Queries.Profit;

/// <summary>Profit, margins and ROI (<c>erpdb profit</c>); definitions in <see cref="MetricDefinitions.Profit"/>.</summary>
public sealed record ProfitQuery
{
    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>The days to cover.</summary>
    public required Period Period { get; init; }

    /// <summary>What the rows are.</summary>
    public ProfitGrouping By { get; init; } = ProfitGrouping.Shop;

    /// <summary>Bucket size when grouped by period.</summary>
    public Granularity Grain { get; init; } = Granularity.Month;

    /// <summary>Which page of rows.</summary>
    public Paging Paging { get; init; } = new(1, 50);
}
