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

    /// <summary>The value of <c>:sort</c>.</summary>
    public static string Sort(ReceivableSort sort) => sort switch
    {
        ReceivableSort.Overdue => "overdue",
        ReceivableSort.Largest => "largest",
        _ => throw new QueryValidationException("sortBy", $"sort must be overdue or largest; got {sort}."),
    };
}
