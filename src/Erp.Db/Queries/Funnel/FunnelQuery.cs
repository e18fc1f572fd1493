using Erp.Db.Queries.Trends;

namespace Erp.Db.Queries.Funnel;

/// <summary>The traffic funnel (<c>erpdb funnel</c>); definitions in <see cref="MetricDefinitions.Funnel"/>.</summary>
/// <param name="MerchantId">The merchant; isolation is enforced by the database.</param>
/// <param name="Period">The days to cover.</param>
/// <param name="Grain">Bucket size when grouped by period.</param>
/// <param name="By">Rows per period, shop or platform.</param>
public sealed record FunnelQuery(long MerchantId, Period Period, Granularity Grain = Granularity.Day, FunnelGrouping By = FunnelGrouping.Period)
{
    /// <summary>Which page of rows (the totals are always the whole period's).</summary>
    public Paging Paging { get; init; } = new(1, 50);
}
