namespace Erp.Db.Queries.Finance;

/// <summary>The finance query: the months (sql/queries/finance.sql), then what is owed as of today (sql/queries/finance_overdue.sql).</summary>
internal static class FinanceSql
{
    public static string Report { get; } = QuerySql.Batch("finance", "finance_overdue");

    /// <summary>The months' view; finance_overdue reads mart.receivables, the facts themselves, always current.</summary>
    public static string[] Views { get; } = QuerySql.Views("finance");
}
