using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>Stock counts into dw.fact_stock_counts, keyed (merchant_id, product of sku, warehouse_code, counted_at), then posted (dw.post_stock_counts).</summary>
internal static class StockCountsEntity
{
    public static readonly IngestPlan<StockCountRow> Plan = new("stock-counts", new EntityDefinition<StockCountRow>
    {
        Table = "dw.fact_stock_counts",
        Fields =
        [
            Field.Id<StockCountRow>("merchant_id", r => r.MerchantId),
            Field.Text<StockCountRow>("merchant_code", r => r.MerchantCode),
            Field.Text<StockCountRow>("sku", r => r.Sku),
            Field.Integer<StockCountRow>("counted_quantity", r => r.CountedQuantity),
            Field.Timestamp<StockCountRow>("counted_at", r => r.CountedAt),
            Field.Text<StockCountRow>("warehouse_code", r => r.WarehouseCode),
        ],
        KeyFields = ["merchant_id", "sku", "warehouse_code", "counted_at"],
        Joins = """

                JOIN dw.dim_products AS p ON p.merchant_id = t.merchant_id AND p.sku = t.sku
            """,
        Columns =
        [
            TargetColumn.Same("merchant_id"),
            new("product_id", "p.product_id", ["sku"]),
            TargetColumn.Same("warehouse_code"),
            TargetColumn.Same("counted_at"),
            // A posted count is history: the import never changes its quantity.
            new("counted_quantity", "t.counted_quantity", ["counted_quantity"]) { InsertOnly = true },
        ],
        ConflictColumns = ["merchant_id", "product_id", "warehouse_code", "counted_at"],
        Resolve = [NaturalKeys.ResolveMerchant],
        Checks =
        [
            .. NaturalKeys.Merchant(),
            RowCheck.Required("sku"),
            RowCheck.Required("warehouse_code"),
            References.Sku("fact_stock_counts_product") with { Constraint = null },
        ],
        Post = """
            SELECT dw.post_stock_counts(m.merchant_id)
            FROM (SELECT DISTINCT t.merchant_id FROM pg_temp.ingest_rows AS t ORDER BY 1) AS m
            """,
    });
}
