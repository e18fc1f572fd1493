using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>A row of dw.dim_products.</summary>
/// <param name="ProductId">Key.</param>
/// <param name="MerchantId">Owner.</param>
/// <param name="Sku">SKU, unique per merchant.</param>
/// <param name="ProductName">Display name.</param>
/// <param name="CategoryId">Leaf category.</param>
/// <param name="Brand">Brand.</param>
/// <param name="UnitCost">Cost of one unit in CNY.</param>
/// <param name="SafetyStock">Default safety stock.</param>
/// <param name="Status">active or inactive.</param>
internal sealed record ProductRow(long ProductId, long MerchantId, string Sku, string ProductName, long CategoryId, string Brand, decimal UnitCost, int SafetyStock, string Status)
    : ICopyRow<ProductRow>
{
    static string ICopyRow<ProductRow>.Table => "dw.dim_products";

    static string ICopyRow<ProductRow>.CopyCommand =>
        "COPY dw.dim_products (product_id, merchant_id, sku, product_name, category_id, brand, unit_cost, cost_currency, safety_stock, status) FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<ProductRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(ProductId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(MerchantId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(Sku, NpgsqlDbType.Text, ct);
        await w.WriteAsync(ProductName, NpgsqlDbType.Text, ct);
        await w.WriteAsync(CategoryId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(Brand, NpgsqlDbType.Text, ct);
        await w.WriteAsync(UnitCost, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync("CNY", NpgsqlDbType.Char, ct);
        await w.WriteAsync(SafetyStock, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(Status, NpgsqlDbType.Text, ct);
    }
}
