using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>A row of dw.dim_shops.</summary>
/// <param name="ShopId">Key.</param>
/// <param name="MerchantId">Owner.</param>
/// <param name="PlatformId">Platform (dw.dim_platforms).</param>
/// <param name="PlatformShopCode">The shop's id on its platform.</param>
/// <param name="ShopName">Display name.</param>
/// <param name="SiteCountryCode">Marketplace site country.</param>
/// <param name="CurrencyCode">Currency of the shop's orders.</param>
/// <param name="SettlementDays">Days from an order to its receivable's due date.</param>
internal sealed record ShopRow(long ShopId, long MerchantId, short PlatformId, string PlatformShopCode, string ShopName, string SiteCountryCode, string CurrencyCode,
    int SettlementDays)
    : ICopyRow<ShopRow>
{
    static string ICopyRow<ShopRow>.Table => "dw.dim_shops";

    static string ICopyRow<ShopRow>.CopyCommand =>
        "COPY dw.dim_shops (shop_id, merchant_id, platform_id, platform_shop_code, shop_name, site_country_code, currency_code, settlement_days) FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<ShopRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(ShopId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(MerchantId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(PlatformId, NpgsqlDbType.Smallint, ct);
        await w.WriteAsync(PlatformShopCode, NpgsqlDbType.Text, ct);
        await w.WriteAsync(ShopName, NpgsqlDbType.Text, ct);
        await w.WriteAsync(SiteCountryCode, NpgsqlDbType.Char, ct);
        await w.WriteAsync(CurrencyCode, NpgsqlDbType.Char, ct);
        await w.WriteAsync(SettlementDays, NpgsqlDbType.Integer, ct);
    }
}
