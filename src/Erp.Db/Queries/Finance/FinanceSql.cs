namespace Erp.Db.Queries.Finance;

/// <summary>The finance query (sql/queries/finance.sql).</summary>
internal static class FinanceSql
{
    public static string Report { get; } = QuerySql.Text("finance");

    public static string[] Views { get; } = QuerySql.Views("finance");
}
