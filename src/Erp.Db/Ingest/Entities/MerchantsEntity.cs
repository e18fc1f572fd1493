using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>Merchants into dw.dim_merchants, keyed by merchant_code.</summary>
internal static class MerchantsEntity
{
    public static readonly IngestPlan<MerchantRow> Plan = new("merchants", new EntityDefinition<MerchantRow>
    {
        Table = "dw.dim_merchants",
        Fields =
        [
            Field.Text<MerchantRow>("merchant_code", r => r.MerchantCode),
            Field.Text<MerchantRow>("merchant_name", r => r.MerchantName),
            Field.Text<MerchantRow>("base_currency", r => r.BaseCurrency),
            Field.Text<MerchantRow>("timezone", r => r.Timezone),
            Field.Code<MerchantRow>("status", r => r.Status),
            Field.Code<MerchantRow>("shipping_warehouse_code", r => r.ShippingWarehouseCode),
        ],
        KeyFields = ["merchant_code"],
        Columns =
        [
            .. new[] { "merchant_code", "merchant_name", "base_currency", "timezone", "status" }.Select(TargetColumn.Same),
            // Not given: the stored one, 'default' for a new merchant.
            new("shipping_warehouse_code",
                "coalesce(t.shipping_warehouse_code, (SELECT s.shipping_warehouse_code FROM dw.dim_merchants AS s WHERE s.merchant_code = t.merchant_code), 'default')",
                ["shipping_warehouse_code"]),
        ],
        ConflictColumns = ["merchant_code"],
        Checks =
        [
            RowCheck.Required("merchant_code"),
            RowCheck.Required("merchant_name"),
            References.Currency("dim_merchants_base_currency_fkey", "base_currency"),
            References.TimeZone("timezone"),
        ],
    });
}
