namespace Erp.Db.Queries.Campaigns;

/// <summary>The campaigns query (sql/queries/campaigns.sql).</summary>
internal static class CampaignSql
{
    public static string Report { get; } = QuerySql.Text("campaigns");

    /// <summary>The view campaign results are computed from (ops.recompute_c_class): its freshness is the results'.</summary>
    public static string[] Views { get; } = ["mart.mv_daily_sales"];
}
