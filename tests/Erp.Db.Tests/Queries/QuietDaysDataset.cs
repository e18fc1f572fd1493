using System.Globalization;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Queries;

/// <summary>
/// Merchant 3 (shop 31, Shopee, CNY), added beside <see cref="Views.SalesDataset"/>, with gaps: orders on days 1, 2 and 5 of the
/// week from <see cref="Monday"/> (day 3 holds only a cancelled order), none in the week after, orders again on days 1 and 2 of
/// the third week. Times of day are set in the merchant's zone (Asia/Shanghai), two orders share 09:xx. Traffic on days 1, 2, 5
/// and 15, user activity on days 1, 5 and 16, and an expense on day 5, so the other commands' series have gaps too.
/// </summary>
internal static class QuietDaysDataset
{
    public const long Merchant = 3;

    /// <summary>The Monday of the first week: 5 to 6 weeks ago, so all three weeks lie before today.</summary>
    public static DateOnly Monday
    {
        get
        {
            var day = QueryFixture.Today.AddDays(-35);
            return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
        }
    }

    /// <summary>The orders: days after <see cref="Monday"/>, local time, status, GMV.</summary>
    private static readonly (int Day, string Time, string Status, decimal Gmv)[] Orders =
    [
        (0, "09:30", "completed", 100m), (0, "14:00", "completed", 50m),
        (1, "20:00", "paid", 80m),
        (2, "11:00", "cancelled", 60m),
        (4, "09:10", "delivered", 120m),
        (14, "12:00", "completed", 90m), (15, "12:30", "completed", 30m),
    ];

    /// <summary>The days after <see cref="Monday"/> with traffic.</summary>
    public static readonly int[] TrafficDays = [0, 1, 4, 14];

    /// <summary>The days after <see cref="Monday"/> with user activity.</summary>
    public static readonly int[] ActivityDays = [0, 4, 15];

    public static async Task LoadAsync(TestDatabase db)
    {
        var values = string.Join(",\n", Orders.Select((o, i) => string.Create(CultureInfo.InvariantCulture,
            $"('{Monday.AddDays(o.Day):yyyy-MM-dd}'::date, '{o.Time}'::time, 'q-{i}', '{o.Status}', {o.Gmv})")));
        await db.ExecuteAsync($"""
            INSERT INTO dw.dim_merchants (merchant_id, merchant_code, merchant_name, timezone) VALUES (3, 'm3', 'Merchant three', 'Asia/Shanghai');
            INSERT INTO dw.dim_shops (shop_id, merchant_id, platform_id, platform_shop_code, shop_name, currency_code)
            SELECT 31, 3, platform_id, 's31', 'Shop 31', 'CNY' FROM dw.dim_platforms WHERE platform_code = 'shopee';
            INSERT INTO dw.dim_customers (customer_id, merchant_id, customer_code) VALUES (3001, 3, 'c3001');
            INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, currency_code,
                                              item_count, gmv, exchange_rate, platform_commission, payment_fee, shipping_fee,
                                              cost_amount_cny, ordered_at)
            SELECT 3, v.day, 31, 3001, v.no, v.status, 'CNY', 1, v.gmv, 1, 5, 1.5, 3, 40, (v.day + v.at) AT TIME ZONE 'Asia/Shanghai'
            FROM (VALUES {values}) AS v(day, at, no, status, gmv);
            INSERT INTO dw.fact_traffic_funnel (merchant_id, shop_id, traffic_date, visitors, unique_visitors, page_views, add_to_cart, checkout, orders)
            SELECT 3, 31, DATE '{Monday:yyyy-MM-dd}' + d, 200 + d, 150 + d, 600, 40 + d, 15, 4 + d % 3 FROM unnest(ARRAY[{string.Join(", ", TrafficDays)}]) AS d;
            INSERT INTO dw.fact_user_activity (merchant_id, shop_id, activity_date, active_users, new_users, returning_users, paying_users,
                                               sessions, avg_session_seconds, page_views, retention_d1, retention_d7, retention_d30)
            SELECT 3, 31, DATE '{Monday:yyyy-MM-dd}' + d, 60 + d, 12 + d, 30, 3, 80, 45.5, 240, 0.5, 0.25, NULL FROM unnest(ARRAY[{string.Join(", ", ActivityDays)}]) AS d;
            INSERT INTO dw.fact_expenses (merchant_id, expense_date, shop_id, category, amount)
            VALUES (3, DATE '{Monday:yyyy-MM-dd}' + 4, 31, 'advertising', 25);
            CALL ops.refresh_all('test');
            """);
    }
}
