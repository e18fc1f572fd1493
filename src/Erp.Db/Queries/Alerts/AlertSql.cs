namespace Erp.Db.Queries.Alerts;

/// <summary>The alerts query (sql/queries/alerts.sql).</summary>
internal static class AlertSql
{
    public static string Report { get; } = QuerySql.Text("alerts");

    /// <summary>None: mart.alerts reads dw.alerts itself, always current.</summary>
    public static string[] Views { get; } = [];
}
