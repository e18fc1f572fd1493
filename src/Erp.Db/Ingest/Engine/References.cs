namespace Erp.Db.Ingest.Engine;

/// <summary>The reference checks several entities share: shop, product by SKU, customer, currency.</summary>
internal static class References
{
    public static RowCheck Shop(string constraint, bool optional = false) => new(
        "shop_id",
        $"{(optional ? "t.shop_id IS NOT NULL AND " : "")}NOT EXISTS (SELECT 1 FROM dw.dim_shops AS s WHERE s.merchant_id = t.merchant_id AND s.shop_id = t.shop_id)",
        "format('shop_id %s is not a shop of merchant %s', t.shop_id, t.merchant_id)",
        constraint);

    public static RowCheck Sku(string constraint) => new(
        "sku",
        "NOT EXISTS (SELECT 1 FROM dw.dim_products AS p WHERE p.merchant_id = t.merchant_id AND p.sku = t.sku)",
        "format('sku %s is not a product of merchant %s', t.sku, t.merchant_id)",
        constraint);

    public static RowCheck Customer(string constraint) => new(
        "customer_id",
        "t.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM dw.dim_customers AS c WHERE c.merchant_id = t.merchant_id AND c.customer_id = t.customer_id)",
        "format('customer_id %s is not a customer of merchant %s', t.customer_id, t.merchant_id)",
        constraint);

    public static RowCheck Currency(string constraint) => new(
        "currency_code",
        "NOT EXISTS (SELECT 1 FROM dw.dim_currencies AS c WHERE c.currency_code::text = t.currency_code)",
        "format('currency_code %s is not a known currency', coalesce(t.currency_code, 'NULL'))",
        constraint);
}
