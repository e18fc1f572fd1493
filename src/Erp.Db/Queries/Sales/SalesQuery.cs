namespace Erp.Db.Queries.Sales;

/// <summary>What <see cref="WarehouseQueries.SalesAsync"/> asks: a merchant's sales over a period, grouped.</summary>
public sealed record SalesQuery
{
    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>The days to cover, inclusive.</summary>
    public required Period Period { get; init; }

    /// <summary>The breakdown.</summary>
    public SalesGrouping GroupBy { get; init; } = SalesGrouping.Day;

    /// <summary>How many best-selling products to list (0..100); grouped by product, also the rows of the breakdown, the rest summed in one row with key <c>others</c>.</summary>
    public int TopProducts { get; init; } = 10;

    /// <summary>Only these platform codes (e.g. shopee); all when empty.</summary>
    public IReadOnlyList<string>? Platforms { get; init; }

    /// <summary>
    /// The period growth is measured against; default the period of the same length just before (<see cref="Period.Previous"/>), and for
    /// a period that ends after today only as many of its first days as the period has up to today: like days against like. When the
    /// period includes today, the comparison's last day is taken as today's counterpart and counted only up to now's time of day in the
    /// merchant's time zone (<see cref="PeriodInfo.Through"/>; docs/metrics.md).
    /// </summary>
    public Period? ComparedTo { get; init; }
}
