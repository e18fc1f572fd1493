using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>A row of dw.dim_merchants.</summary>
/// <param name="MerchantId">Key.</param>
/// <param name="MerchantCode">Stable external code.</param>
/// <param name="MerchantName">Display name.</param>
/// <param name="BaseCurrency">Reporting currency (CNY).</param>
/// <param name="Timezone">IANA time zone of the business day.</param>
internal sealed record MerchantRow(long MerchantId, string MerchantCode, string MerchantName, string BaseCurrency, string Timezone)
    : ICopyRow<MerchantRow>
{
    static string ICopyRow<MerchantRow>.Table => "dw.dim_merchants";

    static string ICopyRow<MerchantRow>.CopyCommand =>
        "COPY dw.dim_merchants (merchant_id, merchant_code, merchant_name, base_currency, timezone) FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<MerchantRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(MerchantId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(MerchantCode, NpgsqlDbType.Text, ct);
        await w.WriteAsync(MerchantName, NpgsqlDbType.Text, ct);
        await w.WriteAsync(BaseCurrency, NpgsqlDbType.Char, ct);
        await w.WriteAsync(Timezone, NpgsqlDbType.Text, ct);
    }
}
