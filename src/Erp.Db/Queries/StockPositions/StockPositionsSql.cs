namespace Erp.Db.Queries.StockPositions;

/// <summary>The stock positions query (sql/queries/stock_positions.sql).</summary>
internal static class StockPositionsSql
{
    public static string Report { get; } = QuerySql.Text("stock_positions");

    /// <summary>None: the query reads the positions themselves, always current.</summary>
    public static string[] Views { get; } = [];
}
