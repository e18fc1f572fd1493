namespace Erp.Db.Cli.Import;

/// <summary>The natural-key columns files share: a merchant, shop or customer by its code, or by its internal id.</summary>
internal static class KeyColumns
{
    public static readonly CsvColumn[] Merchant =
    [
        new("merchant_code", false, "the merchant's code (or merchant_id)") { Or = "merchant_id" },
        new("merchant_id", false, "internal merchant id, instead of merchant_code"),
    ];

    public static readonly CsvColumn[] Shop =
    [
        new("shop_code", false, "the shop's code within the merchant (or shop_id)") { Or = "shop_id" },
        new("shop_id", false, "internal shop id, instead of shop_code"),
    ];

    public static readonly CsvColumn[] OptionalShop =
    [
        new("shop_code", false, "the shop's code within the merchant; empty for merchant-wide"),
        new("shop_id", false, "internal shop id, instead of shop_code"),
    ];

    public static readonly CsvColumn[] Customer =
    [
        new("customer_code", false, "the customer's code within the merchant"),
        new("customer_id", false, "internal customer id, instead of customer_code"),
    ];
}
