namespace Erp.Db.Queries.Receipts;

/// <summary>The receipts query (sql/queries/receipts.sql).</summary>
internal static class ReceiptSql
{
    public static string Report { get; } = QuerySql.Text("receipts");

    /// <summary>None: mart.receipts reads the facts themselves, always current.</summary>
    public static string[] Views { get; } = [];
}
