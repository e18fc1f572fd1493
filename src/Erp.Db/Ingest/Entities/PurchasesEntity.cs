using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>
/// Purchases as purchase_in movements of dw.fact_inventory_transactions, keyed (merchant_id, 'purchase_in', reference_no), then applied to
/// the positions (dw.apply_inventory_movements). quantity_posted (and the posted_* columns) are written on insert at most and never by
/// the import afterwards, so a re-import with another quantity applies just the difference, and one with another SKU or warehouse
/// moves the posted units from the old position to the new one.
/// </summary>
internal static class PurchasesEntity
{
    public static readonly IngestPlan<PurchaseRow> Plan = new("purchases", new EntityDefinition<PurchaseRow>
    {
        Table = "dw.fact_inventory_transactions",
        Fields =
        [
            Field.Id<PurchaseRow>("merchant_id", r => r.MerchantId),
            Field.Text<PurchaseRow>("merchant_code", r => r.MerchantCode),
            Field.Text<PurchaseRow>("reference_no", r => r.ReferenceNo),
            Field.Text<PurchaseRow>("sku", r => r.Sku),
            Field.Integer<PurchaseRow>("quantity", r => r.Quantity),
            Field.Numeric<PurchaseRow>("unit_cost", r => r.UnitCost),
            Field.Date<PurchaseRow>("received_date", r => r.ReceivedDate),
            Field.Code<PurchaseRow>("warehouse_code", r => r.WarehouseCode),
        ],
        KeyFields = ["merchant_id", "reference_no"],
        Joins = """

                JOIN dw.dim_products AS p ON p.merchant_id = t.merchant_id AND p.sku = t.sku
                JOIN dw.dim_merchants AS m ON m.merchant_id = t.merchant_id
            """,
        Columns =
        [
            TargetColumn.Same("merchant_id"),
            new("transaction_type", "'purchase_in'", []),
            TargetColumn.Same("reference_no"),
            new("product_id", "p.product_id", ["sku"]),
            TargetColumn.Same("warehouse_code"),
            new("quantity_change", "t.quantity", ["quantity"]),
            TargetColumn.Same("unit_cost"),
            new("transaction_date", "t.received_date", ["received_date"]),
            new("occurred_at", "t.received_date::timestamp AT TIME ZONE m.timezone", ["received_date"]),
            new("quantity_posted", "0", []) { InsertOnly = true },
        ],
        ConflictColumns = ["merchant_id", "transaction_type", "reference_no"],
        ConflictPredicate = "reference_no IS NOT NULL",
        Resolve = [NaturalKeys.ResolveMerchant, NaturalKeys.ResolveWarehouse],
        Checks =
        [
            .. NaturalKeys.Merchant(),
            RowCheck.Required("reference_no"),
            RowCheck.BusinessDate("received_date"),
            RowCheck.NotAfterToday("received_date", "t.received_date"),
            RowCheck.Required("sku"),
            .. NaturalKeys.Warehouse(),
            References.Sku("fact_inventory_transactions_product_fkey"),
            // A purchase that opens a position opens it at the product's cost in CNY, at the rate of the day it was received.
            References.ProductCostRate("sku", """
                NOT EXISTS (SELECT 1 FROM dw.dim_products AS ip
                            JOIN dw.fact_inventory AS f ON f.merchant_id = ip.merchant_id AND f.product_id = ip.product_id
                            WHERE ip.merchant_id = t.merchant_id AND ip.sku = t.sku AND f.warehouse_code = t.warehouse_code)
                """, "t.received_date"),
            new("quantity", "t.quantity <= 0", "format('quantity %s is not positive', t.quantity)", "fact_inventory_transactions_sign_matches_type"),
            RowCheck.PlausibleQuantity("quantity"),
        ],
        Post = PostingSql.InventoryMovements,
    });
}
