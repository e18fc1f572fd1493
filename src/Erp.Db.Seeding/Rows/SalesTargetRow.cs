using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>A row of dw.cfg_sales_targets.</summary>
/// <param name="MerchantId">Owner.</param>
/// <param name="TargetId">Key (with merchant).</param>
/// <param name="ShopId">Shop, null for the whole merchant.</param>
/// <param name="Metric">gmv_cny, orders, ...</param>
/// <param name="PeriodType">month.</param>
/// <param name="PeriodStart">First day of the period.</param>
/// <param name="PeriodEnd">Last day of the period.</param>
/// <param name="TargetValue">The target.</param>
/// <param name="Note">How it was set.</param>
internal sealed record SalesTargetRow(
    long MerchantId, long TargetId, long? ShopId, string Metric, string PeriodType, DateOnly PeriodStart, DateOnly PeriodEnd,
    decimal TargetValue, string Note)
    : ICopyRow<SalesTargetRow>
{
    static string ICopyRow<SalesTargetRow>.Table => "dw.cfg_sales_targets";

    static string ICopyRow<SalesTargetRow>.CopyCommand =>
        "COPY dw.cfg_sales_targets (merchant_id, target_id, shop_id, metric, period_type, period_start, period_end, target_value, note) "
        + "FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<SalesTargetRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(MerchantId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(TargetId, NpgsqlDbType.Bigint, ct);
        await w.WriteNullableAsync(ShopId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(Metric, NpgsqlDbType.Text, ct);
        await w.WriteAsync(PeriodType, NpgsqlDbType.Text, ct);
        await w.WriteAsync(PeriodStart, NpgsqlDbType.Date, ct);
        await w.WriteAsync(PeriodEnd, NpgsqlDbType.Date, ct);
        await w.WriteAsync(TargetValue, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(Note, NpgsqlDbType.Text, ct);
    }
}
