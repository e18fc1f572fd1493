using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>Products into dw.dim_products, keyed (merchant_id, sku); the category is found by its path.</summary>
internal static class ProductsEntity
{
    public static readonly IngestPlan<ProductMasterRow> Plan = new("products", new EntityDefinition<ProductMasterRow>
    {
        Table = "dw.dim_products",
        Fields =
        [
            Field.Id<ProductMasterRow>("merchant_id", r => r.MerchantId),
            Field.Text<ProductMasterRow>("merchant_code", r => r.MerchantCode),
            Field.Text<ProductMasterRow>("sku", r => r.Sku),
            Field.Text<ProductMasterRow>("product_name", r => r.ProductName),
            Field.Text<ProductMasterRow>("category_path", r => r.CategoryPath),
            Field.Text<ProductMasterRow>("brand", r => r.Brand),
            Field.Numeric<ProductMasterRow>("unit_cost", r => r.UnitCost),
            Field.Text<ProductMasterRow>("cost_currency", r => r.CostCurrency),
            Field.Integer<ProductMasterRow>("safety_stock", r => r.SafetyStock),
            Field.Code<ProductMasterRow>("status", r => r.Status),
        ],
        KeyFields = ["merchant_id", "sku"],
        Joins = """

                LEFT JOIN dw.dim_categories AS c ON c.merchant_id = t.merchant_id AND c.path = t.category_path
            """,
        Columns =
        [
            TargetColumn.Same("merchant_id"),
            TargetColumn.Same("sku"),
            TargetColumn.Same("product_name"),
            new("category_id", "c.category_id", ["category_path"]),
            .. new[] { "brand", "unit_cost", "cost_currency", "safety_stock", "status" }.Select(TargetColumn.Same),
        ],
        ConflictColumns = ["merchant_id", "sku"],
        Resolve = [NaturalKeys.ResolveMerchant],
        Checks =
        [
            .. NaturalKeys.Merchant(),
            RowCheck.Required("sku"),
            RowCheck.Required("product_name"),
            new("category_path",
                "t.category_path IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dw.dim_categories AS c WHERE c.merchant_id = t.merchant_id AND c.path = t.category_path)",
                "format('category_path %s is not a category of merchant %s', t.category_path, " + NaturalKeys.MerchantNamed + ")",
                "dim_products_category_fkey"),
            References.Currency("dim_products_cost_currency_fkey", "cost_currency"),
        ],
    });
}
