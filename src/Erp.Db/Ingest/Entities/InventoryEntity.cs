using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>Stock snapshots into dw.fact_inventory, keyed (merchant_id, product of sku, warehouse_code).</summary>
internal static class InventoryEntity
{
    public static readonly IngestPlan<InventoryRow> Plan = new("inventory", new EntityDefinition<InventoryRow>
    {
        Table = "dw.fact_inventory",
        Fields =
        [
            Field.Id<InventoryRow>("merchant_id", r => r.MerchantId),
            Field.Text<InventoryRow>("merchant_code", r => r.MerchantCode),
            Field.Text<InventoryRow>("sku", r => r.Sku),
            Field.Code<InventoryRow>("warehouse_code", r => r.WarehouseCode),
            Field.Integer<InventoryRow>("quantity_on_hand", r => r.QuantityOnHand),
            Field.Integer<InventoryRow>("quantity_reserved", r => r.QuantityReserved),
            Field.Integer<InventoryRow>("quantity_incoming", r => r.QuantityIncoming),
            Field.Integer<InventoryRow>("safety_stock", r => r.SafetyStock),
            Field.Numeric<InventoryRow>("average_unit_cost", r => r.AverageUnitCost),
            Field.Timestamp<InventoryRow>("last_counted_at", r => r.LastCountedAt),
        ],
        KeyFields = ["merchant_id", "sku", "warehouse_code"],
        Joins = """

                JOIN dw.dim_products AS p ON p.merchant_id = t.merchant_id AND p.sku = t.sku
                LEFT JOIN LATERAL dw.product_cost_cny(p.unit_cost, p.cost_currency::text, current_date) AS c ON true
            """,
        Columns =
        [
            TargetColumn.Same("merchant_id"),
            new("product_id", "p.product_id", ["sku"]),
            TargetColumn.Same("warehouse_code"),
            TargetColumn.Same("quantity_on_hand"),
            TargetColumn.Same("quantity_reserved"),
            TargetColumn.Same("quantity_incoming"),
            new("safety_stock", "coalesce(t.safety_stock, p.safety_stock)", ["safety_stock"]),
            // Stock without a cost (0: the column left out) is valued at the product's unit cost, as a position the
            // movements open is (dw.apply_inventory_movements): at 0 it would drag the next purchase's weighted average down.
            // The product's cost is in its cost_currency: in CNY at the rate of the import day (the snapshot is the stock now).
            new("average_unit_cost", "coalesce(nullif(t.average_unit_cost, 0), c.unit_cost)", ["average_unit_cost"]),
            TargetColumn.Same("last_counted_at"),
        ],
        ConflictColumns = ["merchant_id", "product_id", "warehouse_code"],
        Resolve = [NaturalKeys.ResolveMerchant, NaturalKeys.ResolveWarehouse],
        Checks =
        [
            .. NaturalKeys.Merchant(),
            RowCheck.Required("sku"),
            .. NaturalKeys.Warehouse(),
            References.Sku("fact_inventory_product_fkey"),
            References.ProductCostRate("average_unit_cost", "coalesce(t.average_unit_cost, 0) = 0", "current_date"),
        ],
    });
}
