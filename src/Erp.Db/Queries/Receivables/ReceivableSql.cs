namespace Erp.Db.Queries.Receivables;

/// <summary>The receivables query (sql/queries/receivables.sql).</summary>
internal static class ReceivableSql
{
    public static string Report { get; } = QuerySql.Text("receivables");

    /// <summary>None: mart.receivables reads the facts themselves, always current.</summary>
    public static string[] Views { get; } = [];

    public static string? Status(ReceivableStatus status) => status switch
    {
        ReceivableStatus.Open => "open",
        ReceivableStatus.Overdue => "overdue",
        ReceivableStatus.Paid => "paid",
        ReceivableStatus.All => null,
        _ => throw new QueryValidationException("status", $"status must be open, overdue, paid or all; got {status}."),
    };
}
