namespace Erp.Db.Queries.Funnel;

/// <summary>The funnel query (sql/queries/funnel.sql).</summary>
internal static class FunnelSql
{
    public static string Report { get; } = QuerySql.Text("funnel");

    public static string[] Views { get; } = QuerySql.Views("funnel");

    /// <summary>The value of <c>:by</c>.</summary>
    public static string By(FunnelGrouping by) => by switch
    {
        FunnelGrouping.Shop => "shop",
        FunnelGrouping.Platform => "platform",
        _ => "period",
    };
}
