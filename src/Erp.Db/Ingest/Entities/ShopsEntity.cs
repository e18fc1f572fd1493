using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>Shops into dw.dim_shops, keyed (merchant_id, shop_code): shop_code is stored as platform_shop_code, unique per merchant (dim_shops_code_unique).</summary>
internal static class ShopsEntity
{
    public static readonly IngestPlan<ShopRow> Plan = new("shops", new EntityDefinition<ShopRow>
    {
        Table = "dw.dim_shops",
        Fields =
        [
            Field.Id<ShopRow>("merchant_id", r => r.MerchantId),
            Field.Text<ShopRow>("merchant_code", r => r.MerchantCode),
            Field.Text<ShopRow>("shop_code", r => r.ShopCode),
            Field.Text<ShopRow>("shop_name", r => r.ShopName),
            Field.Code<ShopRow>("platform", r => r.Platform),
            Field.Text<ShopRow>("currency_code", r => r.CurrencyCode),
            Field.Text<ShopRow>("timezone", r => r.Timezone),
            Field.Integer<ShopRow>("settlement_days", r => r.SettlementDays),
            Field.Text<ShopRow>("site_country_code", r => r.SiteCountryCode),
            Field.Code<ShopRow>("status", r => r.Status),
        ],
        KeyFields = ["merchant_id", "shop_code"],
        Joins = """

                JOIN dw.dim_platforms AS p ON p.platform_code = t.platform
            """,
        Columns =
        [
            TargetColumn.Same("merchant_id"),
            new("platform_shop_code", "t.shop_code", ["shop_code"]),
            TargetColumn.Same("shop_name"),
            new("platform_id", "p.platform_id", ["platform"]),
            .. new[] { "currency_code", "timezone", "settlement_days", "site_country_code", "status" }.Select(TargetColumn.Same),
        ],
        ConflictColumns = ["merchant_id", "platform_shop_code"],
        Resolve = [NaturalKeys.ResolveMerchant],
        Checks =
        [
            .. NaturalKeys.Merchant(),
            RowCheck.Required("shop_code"),
            RowCheck.Required("shop_name"),
            References.Platform("dim_shops_platform_id_fkey", optional: false),
            References.Currency("dim_shops_currency_code_fkey"),
            References.TimeZone("timezone"),
        ],
    });
}
