namespace Erp.Db.Queries.Sales;

/// <summary>What <see cref="WarehouseQueries.SalesAsync"/> asks: a merchant's sales over a period, grouped.</summary>
/// <param name="MerchantId">The merchant; isolation is enforced by the database.</param>
/// <param name="Period">The days to cover, inclusive.</param>
/// <param name="GroupBy">The breakdown.</param>
/// <param name="TopProducts">How many best-selling products to list (0..100); grouped by product, also the rows of the breakdown, the rest summed in one row with key <c>others</c>.</param>
/// <param name="Platforms">Only these platform codes (e.g. shopee); all when empty.</param>
public sealed record SalesQuery(long MerchantId, Period Period, SalesGrouping GroupBy = SalesGrouping.Day, int TopProducts = 10, IReadOnlyList<string>? Platforms = null)
{
    /// <summary>
    /// The period growth is measured against; default the period of the same length just before (<see cref="Period.Previous"/>), and for
    /// a period that ends after today only as many of its first days as the period has up to today: like days against like. When the
    /// period includes today, the comparison's last day is taken as today's counterpart and counted only up to now's time of day in the
    /// merchant's time zone (<see cref="PeriodInfo.Through"/>; docs/metrics.md).
    /// </summary>
    public Period? ComparedTo { get; init; }
}
