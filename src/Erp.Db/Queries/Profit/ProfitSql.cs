using Erp.Db.Queries.Trends;

namespace Erp.Db.Queries.Profit;

/// <summary>The profit query (sql/queries/profit*.sql).</summary>
internal static class ProfitSql
{
    /// <summary>Totals, the rows of <paramref name="by"/> (then their count for products and categories), the campaigns.</summary>
    public static string Report(ProfitGrouping by) => by is ProfitGrouping.Product or ProfitGrouping.Category
        ? QuerySql.Batch("profit_totals", "profit_by_product", "profit_campaigns")
        : QuerySql.Batch("profit_totals", "profit", "profit_campaigns");

    /// <summary>Whatever the grouping, so freshness is the same (campaign results are as fresh as mart.mv_daily_sales).</summary>
    public static string[] Views { get; } = QuerySql.Views("profit_totals", "profit", "profit_by_product");

    /// <summary>The value of <c>:by</c>.</summary>
    public static string By(ProfitGrouping by) => by.ToString().ToLowerInvariant();

    /// <summary>The value of <c>:unit</c>: the grain for period rows; months (the grain of mart.mv_profit_analysis) otherwise.</summary>
    public static string Unit(ProfitGrouping by, Granularity grain) => by == ProfitGrouping.Period ? TrendSql.Unit(grain) : "month";
}
