namespace Erp.Db.Queries.Shops;

/// <summary>The shop query (sql/queries/shops.sql) and its sort orders.</summary>
internal static class ShopSql
{
    public static string Page(ShopSort sort) => QuerySql.Text("shops", ("sort", Sort(sort)));

    /// <summary>
    /// mart.shop_health is a result table, not a view: it is as fresh as the sales view whose refresh recomputes it
    /// (a due refresh that refreshed something recomputes it), so that view's freshness is reported.
    /// </summary>
    public static string[] Views { get; } = ["mart.mv_daily_sales"];

    /// <summary>The first and last day of the period of <paramref name="kind"/> that holds <paramref name="day"/>.</summary>
    public static (DateOnly Start, DateOnly End) Bounds(ShopPeriod kind, DateOnly day) => kind switch
    {
        ShopPeriod.Day => (day, day),
        ShopPeriod.Week => (day.AddDays(-(((int)day.DayOfWeek + 6) % 7)), day.AddDays(6 - (((int)day.DayOfWeek + 6) % 7))),
        _ => (new DateOnly(day.Year, day.Month, 1), new DateOnly(day.Year, day.Month, DateTime.DaysInMonth(day.Year, day.Month))),
    };

    private static string Sort(ShopSort sort) => sort switch
    {
        ShopSort.Revenue => "h.revenue_rank",
        ShopSort.Profit => "h.profit_rank",
        _ => "h.health_rank NULLS LAST",
    };
}
