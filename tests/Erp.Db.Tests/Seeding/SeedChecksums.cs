using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Seeding;

/// <summary>Row counts and md5 checksums of every seeded table (timestamps of the load itself left out).</summary>
internal static class SeedChecksums
{
    /// <summary>Table and its key order; created_at and updated_at are dropped, they hold the load's time.</summary>
    private static readonly (string Table, string Key)[] Tables =
    [
        ("dw.dim_merchants", "merchant_id"), ("dw.dim_shops", "shop_id"), ("dw.dim_categories", "category_id"),
        ("dw.dim_products", "product_id"), ("dw.dim_customers", "customer_id"), ("dw.fact_exchange_rates", "currency_code, rate_date"),
        ("dw.fact_sales_orders", "merchant_id, order_id"), ("dw.fact_order_items", "merchant_id, order_item_id"),
        ("dw.fact_product_metrics", "merchant_id, shop_id, product_id, metric_date"), ("dw.fact_inventory", "merchant_id, product_id"),
        ("dw.fact_inventory_transactions", "merchant_id, transaction_id"), ("dw.fact_accounts_receivable", "merchant_id, receivable_id"),
        ("dw.fact_payment_receipts", "merchant_id, receipt_id"), ("dw.fact_expenses", "merchant_id, expense_id"),
        ("dw.fact_traffic_funnel", "merchant_id, shop_id, traffic_date"), ("dw.fact_user_activity", "merchant_id, shop_id, activity_date"),
        ("dw.cfg_sales_targets", "merchant_id, target_id"), ("dw.cfg_sales_campaigns", "merchant_id, campaign_id"),
    ];

    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(TestDatabase db)
    {
        var result = new Dictionary<string, string>();
        foreach (var (table, key) in Tables)
        {
            result[table] = await db.ScalarAsync<string>(
                $"SELECT count(*) || ':' || coalesce(md5(string_agg((to_jsonb(t) - 'created_at' - 'updated_at')::text, ',' ORDER BY {key})), '') FROM {table} AS t")
                ?? "";
        }
        return result;
    }
}
