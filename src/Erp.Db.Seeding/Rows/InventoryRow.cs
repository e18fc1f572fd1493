using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>A row of dw.fact_inventory (quantity_available is generated: on hand - reserved).</summary>
/// <param name="MerchantId">Owner.</param>
/// <param name="ProductId">Product.</param>
/// <param name="WarehouseCode">Warehouse.</param>
/// <param name="QuantityOnHand">Units in the warehouse.</param>
/// <param name="QuantityReserved">Units ordered, not shipped (at most on hand).</param>
/// <param name="QuantityIncoming">Units in transit.</param>
/// <param name="SafetyStock">Low-stock threshold.</param>
/// <param name="AverageUnitCost">Weighted average cost in CNY.</param>
/// <param name="LastCountedAt">Last stock count.</param>
internal sealed record InventoryRow(
    long MerchantId, long ProductId, string WarehouseCode, int QuantityOnHand, int QuantityReserved, int QuantityIncoming,
    int SafetyStock, decimal AverageUnitCost, DateTime? LastCountedAt)
    : ICopyRow<InventoryRow>
{
    /// <summary>on hand - reserved, as the generated column computes it.</summary>
    public int QuantityAvailable => QuantityOnHand - QuantityReserved;

    static string ICopyRow<InventoryRow>.Table => "dw.fact_inventory";

    static string ICopyRow<InventoryRow>.CopyCommand =>
        "COPY dw.fact_inventory (merchant_id, product_id, warehouse_code, quantity_on_hand, quantity_reserved, quantity_incoming, "
        + "safety_stock, average_unit_cost, last_counted_at) FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<InventoryRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(MerchantId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(ProductId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(WarehouseCode, NpgsqlDbType.Text, ct);
        await w.WriteAsync(QuantityOnHand, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(QuantityReserved, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(QuantityIncoming, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(SafetyStock, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(AverageUnitCost, NpgsqlDbType.Numeric, ct);
        await w.WriteNullableAsync(LastCountedAt, NpgsqlDbType.TimestampTz, ct);
    }
}
