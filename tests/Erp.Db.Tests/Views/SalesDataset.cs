using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Views;

/// <summary>
/// A small deterministic dataset for view tests: merchants 1 and 2, two shops each, products,
/// customers, 40 days of orders with items, product metrics, inventory, receivables, receipts,
/// expenses and a sales target, all dated relative to today so the windows of the views hold them.
/// </summary>
internal static class SalesDataset
{
    public static async Task LoadAsync(TestDatabase db)
    {
        await db.ExecuteAsync(Sql);
        await db.ExecuteAsync("CALL ops.refresh_all('test')");
    }

    /// <summary>Adds one more order (with one line) for merchant 1, shop 11, product 101 today (or <paramref name="daysAgo"/> days before).</summary>
    public static Task AddOrderAsync(TestDatabase db, string orderNo, decimal gmv, int daysAgo = 0) => db.ExecuteAsync($"""
        WITH o AS (
            INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at)
            VALUES (1, CURRENT_DATE - {daysAgo}, 11, 1001, '{orderNo}', 'paid', 2, {gmv.ToString(System.Globalization.CultureInfo.InvariantCulture)}, 20, now() - make_interval(days => {daysAgo}))
            RETURNING merchant_id, order_id, order_date)
        INSERT INTO dw.fact_order_items (merchant_id, order_date, order_id, line_no, product_id, quantity, unit_price, unit_cost)
        SELECT merchant_id, order_date, order_id, 1, 101, 2, 5, 10 FROM o
        """);

    /// <summary>Traffic and user activity for every shop on today and the 59 days before (not in <see cref="LoadAsync"/>: most view tests do not read them).</summary>
    public static Task AddTrafficAndActivityAsync(TestDatabase db) => db.ExecuteAsync("""
        INSERT INTO dw.fact_traffic_funnel (merchant_id, shop_id, traffic_date, visitors, unique_visitors, page_views, add_to_cart, checkout, orders)
        SELECT s.merchant_id, s.shop_id, CURRENT_DATE - d, 100 + d, 80 + d, 300 + 2 * d, 30 + d % 7, 12 + d % 5, 5 + d % 3
        FROM dw.dim_shops AS s CROSS JOIN generate_series(0, 59) AS d;
        INSERT INTO dw.fact_user_activity (merchant_id, shop_id, activity_date, active_users, new_users, returning_users, paying_users,
                                           sessions, avg_session_seconds, page_views, retention_d1, retention_d7, retention_d30)
        SELECT s.merchant_id, s.shop_id, CURRENT_DATE - d, 50 + d, 10 + d % 4, 30, 5 + d % 6, 70 + d, CASE WHEN d % 5 <> 0 THEN 60.5 + d END,
               200 + d, CASE WHEN d >= 1 THEN 0.4 END, CASE WHEN d >= 7 THEN 0.25 + (d % 3) * 0.01 END, CASE WHEN d >= 30 THEN 0.1 END
        FROM dw.dim_shops AS s CROSS JOIN generate_series(0, 59) AS d;
        """);

    private const string Sql = """
        INSERT INTO dw.dim_merchants (merchant_id, merchant_code, merchant_name) VALUES (1, 'm1', 'Merchant one'), (2, 'm2', 'Merchant two');
        INSERT INTO dw.dim_shops (shop_id, merchant_id, platform_id, platform_shop_code, shop_name, currency_code)
        SELECT v.shop_id, v.merchant_id, (SELECT platform_id FROM dw.dim_platforms WHERE platform_code = v.platform), v.code, v.name, v.currency
        FROM (VALUES (11, 1, 'shopee', 's11', 'Shop 11', 'CNY'), (12, 1, 'tiktok', 's12', 'Shop 12', 'USD'),
                     (21, 2, 'amazon', 's21', 'Shop 21', 'CNY'), (22, 2, 'shopee', 's22', 'Shop 22', 'CNY'))
             AS v(shop_id, merchant_id, platform, code, name, currency);
        INSERT INTO dw.dim_categories (category_id, merchant_id, category_code, category_name, path)
        VALUES (1, 1, 'toys', 'Toys', 'toys'), (2, 2, 'tools', 'Tools', 'tools');
        INSERT INTO dw.dim_products (product_id, merchant_id, sku, product_name, category_id, brand, unit_cost, safety_stock)
        VALUES (101, 1, 'SKU-101', 'Robot', 1, 'Acme', 10, 5), (102, 1, 'SKU-102', 'Kite', 1, 'Acme', 4, 50),
               (201, 2, 'SKU-201', 'Hammer', 2, 'Bolt', 8, 5), (202, 2, 'SKU-202', 'Saw', 2, 'Bolt', 12, 5);
        INSERT INTO dw.dim_customers (customer_id, merchant_id, customer_code)
        SELECT c, CASE WHEN c < 2000 THEN 1 ELSE 2 END, 'c' || c
        FROM pg_catalog.generate_series(1001, 1010) AS c
        UNION ALL SELECT c, 2, 'c' || c FROM pg_catalog.generate_series(2001, 2010) AS c;

        -- 40 days x 4 shops; every 7th order is cancelled; USD shop orders at rate 7.1.
        INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, currency_code,
                                          item_count, gmv, exchange_rate, platform_commission, payment_fee, shipping_fee,
                                          cost_amount_cny, ordered_at)
        SELECT s.merchant_id, CURRENT_DATE - d, s.shop_id,
               CASE WHEN s.merchant_id = 1 THEN 1001 + (d % 10) ELSE 2001 + (d % 10) END,
               'o-' || s.shop_id || '-' || d,
               CASE WHEN d % 7 = 0 THEN 'cancelled' ELSE 'completed' END,
               s.currency_code, 1 + d % 3, 100 + d, CASE WHEN s.currency_code = 'USD' THEN 7.1 ELSE 1 END,
               5, 1.5, 3, 40 + d % 5, (CURRENT_DATE - d)::timestamptz + interval '10 hours'
        FROM dw.dim_shops AS s
        CROSS JOIN pg_catalog.generate_series(0, 39) AS d;
        -- A new customer: first order 5 days ago.
        INSERT INTO dw.dim_customers (customer_id, merchant_id, customer_code) VALUES (1011, 1, 'c1011');
        INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at)
        VALUES (1, CURRENT_DATE - 5, 11, 1011, 'o-new-1011', 'delivered', 1, 80, 30, CURRENT_DATE - 5);
        INSERT INTO dw.fact_order_items (merchant_id, order_date, order_id, line_no, product_id, quantity, unit_price, unit_cost)
        SELECT o.merchant_id, o.order_date, o.order_id, 1,
               CASE WHEN o.merchant_id = 1 THEN 101 + (o.order_id % 2) ELSE 201 + (o.order_id % 2) END,
               o.item_count, round(o.gmv / o.item_count, 2), 10
        FROM dw.fact_sales_orders AS o;

        INSERT INTO dw.fact_product_metrics (merchant_id, shop_id, product_id, metric_date, price, stock, sales_volume, sales_amount, page_views, visitors, listing_status)
        SELECT p.merchant_id, s.shop_id, p.product_id, CURRENT_DATE - d, 20 + d, (d * 3) % 25, d % 4, (d % 4) * 20, 50 + d, 20 + d, 'active'
        FROM dw.dim_products AS p
        JOIN dw.dim_shops AS s ON s.merchant_id = p.merchant_id
        CROSS JOIN pg_catalog.generate_series(0, 119, 7) AS d;

        INSERT INTO dw.fact_inventory (merchant_id, product_id, warehouse_code, quantity_on_hand, quantity_reserved, quantity_incoming, safety_stock, average_unit_cost)
        VALUES (1, 101, 'default', 100, 10, 0, 5, 10), (1, 101, 'east', 20, 0, 5, 5, 10), (1, 102, 'default', 30, 0, 0, 50, 4),
               (2, 201, 'default', 0, 0, 0, 5, 8), (2, 202, 'default', 40, 5, 10, 5, 12);

        INSERT INTO dw.fact_accounts_receivable (merchant_id, shop_id, invoice_no, amount, received_amount, invoice_date, due_date, status)
        VALUES (1, 11, 'inv-1', 1000, 400, CURRENT_DATE - 40, CURRENT_DATE - 10, 'partially_paid'),
               (1, 11, 'inv-2', 500, 0, CURRENT_DATE - 5, CURRENT_DATE + 25, 'open'),
               (1, 12, 'inv-3', 300, 300, CURRENT_DATE - 20, CURRENT_DATE - 1, 'paid'),
               (2, 21, 'inv-4', 800, 0, CURRENT_DATE - 50, CURRENT_DATE - 20, 'overdue');
        INSERT INTO dw.fact_payment_receipts (merchant_id, receivable_id, receipt_date, received_at, amount)
        SELECT r.merchant_id, r.receivable_id, CURRENT_DATE - 3, now(), r.received_amount
        FROM dw.fact_accounts_receivable AS r WHERE r.received_amount > 0;
        INSERT INTO dw.fact_expenses (merchant_id, expense_date, shop_id, category, amount)
        VALUES (1, CURRENT_DATE - 2, 11, 'advertising', 120), (1, CURRENT_DATE - 33, NULL, 'rent', 900),
               (2, CURRENT_DATE - 1, 22, 'logistics', 75), (2, CURRENT_DATE - 45, 21, 'advertising', 60);

        INSERT INTO dw.cfg_sales_targets (merchant_id, shop_id, metric, period_type, period_start, period_end, target_value)
        VALUES (1, NULL, 'gmv_cny', 'month', CURRENT_DATE - 29, CURRENT_DATE, 5000),
               (2, 21, 'orders', 'month', CURRENT_DATE - 29, CURRENT_DATE, 10);
        """;
}
