using Erp.Db.Queries.Trends;

namespace Erp.Db.Queries.Funnel;

/// <summary>The traffic funnel (<c>erpdb funnel</c>); definitions in <see cref="MetricDefinitions.Funnel"/>.</summary>
public sealed record FunnelQuery
{
    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>The days to cover.</summary>
    public required Period Period { get; init; }

    /// <summary>Bucket size when grouped by period.</summary>
    public Granularity Grain { get; init; } = Granularity.Day;

    /// <summary>Rows per period, shop or platform.</summary>
    public FunnelGrouping By { get; init; } = FunnelGrouping.Period;

    /// <summary>Which page of rows (the totals are always the whole period's).</summary>
    public Paging Paging { get; init; } = new(1, 50);
}
