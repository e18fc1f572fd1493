namespace Erp.Db.Queries.StockMovements;

/// <summary>The stock movements query (sql/queries/stock_movements.sql).</summary>
internal static class StockMovementSql
{
    public static string Report { get; } = QuerySql.Text("stock_movements");

    /// <summary>None: mart.stock_movements reads the facts themselves, always current.</summary>
    public static string[] Views { get; } = [];
}
