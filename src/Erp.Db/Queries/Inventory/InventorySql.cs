namespace Erp.Db.Queries.Inventory;

/// <summary>The inventory query (sql/queries/inventory.sql) and its sort orders.</summary>
internal static class InventorySql
{
    public static string Report(InventorySort sort) => QuerySql.Text("inventory", ("sort", Sort(sort)));

    public static string[] Views { get; } = QuerySql.Views("inventory");

    private static string Sort(InventorySort sort) => sort switch
    {
        InventorySort.Turnover => "turnover_30d DESC NULLS LAST",
        InventorySort.Sales => "units_sold_30d DESC",
        InventorySort.Reorder => "suggested_reorder_qty DESC",
        _ => "quantity_available ASC",
    };
}
