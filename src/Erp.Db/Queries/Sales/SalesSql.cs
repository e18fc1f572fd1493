namespace Erp.Db.Queries.Sales;

/// <summary>The files of the sales query (sql/queries/sales_*.sql): totals, days, the breakdown asked for, the best sellers.</summary>
internal static class SalesSql
{
    /// <summary>The files, in the order their result sets are read.</summary>
    public static string[] Files(SalesGrouping grouping) =>
        ["sales_totals", "sales_daily", .. grouping == SalesGrouping.Day ? Array.Empty<string>() : [Breakdown(grouping)], "sales_top_products"];

    /// <summary>The whole sales query as one batch.</summary>
    public static string Report(SalesGrouping grouping) => QuerySql.Batch(Files(grouping));

    /// <summary>The views every sales query reads (whatever the grouping, so freshness is the same).</summary>
    public static string[] Views { get; } = QuerySql.Views("sales_totals", "sales_daily", "sales_by_period", "sales_by_shop",
        "sales_by_platform", "sales_by_product", "sales_by_category", "sales_by_hour", "sales_top_products");

    /// <summary>The value of <c>:unit</c> for sales_by_period.</summary>
    public static string Unit(SalesGrouping grouping) => grouping == SalesGrouping.Week ? "week" : "month";

    private static string Breakdown(SalesGrouping grouping) => grouping switch
    {
        SalesGrouping.Week or SalesGrouping.Month => "sales_by_period",
        SalesGrouping.Shop => "sales_by_shop",
        SalesGrouping.Platform => "sales_by_platform",
        SalesGrouping.Product => "sales_by_product",
        SalesGrouping.Category => "sales_by_category",
        SalesGrouping.Hour => "sales_by_hour",
        _ => "sales_daily",
    };
}
