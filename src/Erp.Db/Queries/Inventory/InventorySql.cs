namespace Erp.Db.Queries.Inventory;

/// <summary>The SQL of the inventory query, over the reader view <c>mart.inventory_summary</c>.</summary>
internal static class InventorySql
{
    /// <summary>Each product with its status under this query's threshold and overstock rule.</summary>
    private const string Classified = """
        WITH classified AS (
            SELECT i.*,
                   CASE
                       WHEN i.quantity_available <= 0 THEN 'out'
                       WHEN i.quantity_available <= coalesce(@threshold, i.safety_stock) THEN 'low'
                       WHEN i.days_of_cover > @overstock_days THEN 'overstock'
                       ELSE 'normal'
                   END AS status
              FROM mart.inventory_summary AS i
             WHERE @category_id::bigint IS NULL OR i.category_id = @category_id
        )
        """;

    public static string Report(InventorySort sort) => $"""
        {Classified}
        SELECT count(*) AS totalproducts,
               count(*) FILTER (WHERE status = 'low') AS lowstockproducts,
               count(*) FILTER (WHERE status = 'out') AS outofstockproducts,
               count(*) FILTER (WHERE status = 'overstock') AS overstockproducts,
               round(avg(turnover_30d), 4) AS averageturnoverrate,
               coalesce(sum(inventory_value_cny), 0) AS inventoryvalue
          FROM classified;
        {Classified}
        SELECT product_id AS productid, sku, product_name AS name, category_name AS category,
               quantity_available AS currentstock, safety_stock AS safetystock, units_sold_30d AS last30dayssales,
               turnover_30d AS turnoverrate, days_of_cover AS daysofcover, status, suggested_reorder_qty AS suggestedreorder
          FROM classified
         WHERE @status::text IS NULL OR status = @status
         ORDER BY {SortColumn(sort)}, product_id
         LIMIT @limit OFFSET @offset;
        {Classified}
        SELECT count(*) FROM classified WHERE @status::text IS NULL OR status = @status
        """;

    private static string SortColumn(InventorySort sort) => sort switch
    {
        InventorySort.Turnover => "turnover_30d DESC NULLS LAST",
        InventorySort.Sales => "units_sold_30d DESC",
        InventorySort.Reorder => "suggested_reorder_qty DESC",
        _ => "quantity_available ASC",
    };
}
