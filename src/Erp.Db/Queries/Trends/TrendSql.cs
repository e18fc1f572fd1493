namespace Erp.Db.Queries.Trends;

/// <summary>The trend query (sql/queries/trends.sql).</summary>
internal static class TrendSql
{
    public static string Series { get; } = QuerySql.Text("trends");

    public static string[] Views { get; } = QuerySql.Views("trends");

    /// <summary>The value of <c>:unit</c>.</summary>
    public static string Unit(Granularity granularity) => granularity switch
    {
        Granularity.Week => "week",
        Granularity.Month => "month",
        _ => "day",
    };
}
