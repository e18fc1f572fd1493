namespace Erp.Db.Queries.Targets;

/// <summary>The targets query (sql/queries/targets.sql).</summary>
internal static class TargetSql
{
    public static string Page { get; } = QuerySql.Text("targets");

    /// <summary>The views target achievement is computed from (ops.recompute_c_class): their freshness is the results'.</summary>
    public static string[] Views { get; } = ["mart.mv_customer_segments", "mart.mv_daily_sales"];
}
