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
            // What an order takes back (a release, a return) goes to the warehouse it moves stock in now (dw.post_order_stock): once
            // the merchant's orders have moved stock, another shipping warehouse would take it back from where it never was.
            new("shipping_warehouse_code",
                """
                t.shipping_warehouse_code IS NOT NULL AND EXISTS (
                    SELECT 1 FROM dw.dim_merchants AS m
                    WHERE m.merchant_code = t.merchant_code AND m.shipping_warehouse_code <> t.shipping_warehouse_code
                      AND EXISTS (SELECT 1 FROM dw.fact_inventory_transactions AS x WHERE x.merchant_id = m.merchant_id AND x.order_id IS NOT NULL))
                """,
                "(SELECT format('shipping_warehouse_code %s: merchant %s''s orders already moved stock in %s, where what they take back must return; it can no longer change', "
                + "t.shipping_warehouse_code, t.merchant_code, m.shipping_warehouse_code) FROM dw.dim_merchants AS m WHERE m.merchant_code = t.merchant_code)")
            { OnlyWhenGiven = "shipping_warehouse_code" },
        ],
    });
}
