using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>A row of dw.fact_inventory_transactions, loaded unapplied (quantity_posted 0): posting moves the positions.</summary>
/// <param name="MerchantId">Owner.</param>
/// <param name="TransactionId">Key (with merchant).</param>
/// <param name="TransactionDate">Business day.</param>
/// <param name="ProductId">Product.</param>
/// <param name="TransactionType">purchase_in, adjustment or damage_out (order movements come from posting).</param>
/// <param name="QuantityChange">Signed units.</param>
/// <param name="UnitCost">Unit cost in CNY (receipts).</param>
/// <param name="OrderId">Order that caused it, if any.</param>
/// <param name="OrderDate">That order's day.</param>
/// <param name="ReferenceNo">Document number, unique per merchant and type.</param>
/// <param name="OccurredAt">When it happened (UTC).</param>
internal sealed record InventoryTransactionRow(
    long MerchantId, long TransactionId, DateOnly TransactionDate, long ProductId, string TransactionType, int QuantityChange,
    decimal? UnitCost, long? OrderId, DateOnly? OrderDate, string ReferenceNo, DateTime OccurredAt)
    : ICopyRow<InventoryTransactionRow>
{
    static string ICopyRow<InventoryTransactionRow>.Table => "dw.fact_inventory_transactions";

    static string ICopyRow<InventoryTransactionRow>.CopyCommand =>
        "COPY dw.fact_inventory_transactions (merchant_id, transaction_id, transaction_date, product_id, transaction_type, "
        + "quantity_change, unit_cost, order_id, order_date, reference_no, occurred_at, quantity_posted) FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<InventoryTransactionRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(MerchantId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(TransactionId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(TransactionDate, NpgsqlDbType.Date, ct);
        await w.WriteAsync(ProductId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(TransactionType, NpgsqlDbType.Text, ct);
        await w.WriteAsync(QuantityChange, NpgsqlDbType.Integer, ct);
        await w.WriteNullableAsync(UnitCost, NpgsqlDbType.Numeric, ct);
        await w.WriteNullableAsync(OrderId, NpgsqlDbType.Bigint, ct);
        await w.WriteNullableAsync(OrderDate, NpgsqlDbType.Date, ct);
        await w.WriteAsync(ReferenceNo, NpgsqlDbType.Text, ct);
        await w.WriteAsync(OccurredAt, NpgsqlDbType.TimestampTz, ct);
        await w.WriteAsync(0, NpgsqlDbType.Integer, ct);
    }
}
