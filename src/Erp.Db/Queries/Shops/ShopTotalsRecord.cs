using Erp.Db.Queries.Sales;

namespace Erp.Db.Queries.Shops;

/// <summary>The second result of sql/queries/shops.sql: the count and the period the growth compares with.</summary>
internal sealed record ShopTotalsRecord
{
    public long Total { get; init; }

    public DateOnly? PreviousStart { get; init; }

    public DateOnly? PreviousEnd { get; init; }

    public DateTime? PreviousThrough { get; init; }

    /// <summary>The period compared with; null without results.</summary>
    public PeriodInfo? ComparedTo()
    {
        if (PreviousStart is not { } start || PreviousEnd is not { } end)
        {
            return null;
        }
        return new PeriodInfo(start, end, end.DayNumber - start.DayNumber + 1) { Through = PreviousThrough };
    }
}
