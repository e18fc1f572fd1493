using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Warehouse;

/// <summary>Two merchants with a shop, a product, a customer and a few orders each: the smallest warehouse that shows isolation.</summary>
internal static class SampleData
{
    public const long MerchantA = 1;
    public const long MerchantB = 2;

    public static Task InsertAsync(TestDatabase db) => db.ExecuteAsync("""
        INSERT INTO dw.dim_merchants (merchant_id, merchant_code, merchant_name) VALUES (1, 'm-a', 'Merchant A'), (2, 'm-b', 'Merchant B');
        INSERT INTO dw.dim_shops (shop_id, merchant_id, platform_id, platform_shop_code, shop_name)
            SELECT v.shop_id, v.merchant_id, p.platform_id, v.code, v.code
              FROM (VALUES (10, 1, 'shopee', 'a-shopee'), (20, 2, 'amazon', 'b-amazon')) AS v(shop_id, merchant_id, platform, code)
              JOIN dw.dim_platforms p ON p.platform_code = v.platform;
        INSERT INTO dw.dim_products (product_id, merchant_id, sku, product_name, unit_cost, safety_stock)
            VALUES (100, 1, 'A-1', 'Mug', 12.5, 10), (200, 2, 'B-1', 'Lamp', 40, 5);
        INSERT INTO dw.dim_customers (customer_id, merchant_id, customer_code) VALUES (1000, 1, 'ca'), (2000, 2, 'cb');
        INSERT INTO dw.fact_sales_orders (merchant_id, order_id, order_date, shop_id, customer_id, order_no, status, gmv, ordered_at)
            VALUES (1, 1, '2026-03-01', 10, 1000, 'A-0001', 'completed', 100, '2026-03-01 10:00+08'),
                   (1, 2, '2026-03-02', 10, 1000, 'A-0002', 'completed', 50, '2026-03-02 10:00+08'),
                   (1, 3, '2026-04-01', 10, 1000, 'A-0003', 'paid', 25, '2026-04-01 10:00+08'),
                   (2, 4, '2026-03-01', 20, 2000, 'B-0001', 'completed', 999, '2026-03-01 10:00+08');
        """);
}
