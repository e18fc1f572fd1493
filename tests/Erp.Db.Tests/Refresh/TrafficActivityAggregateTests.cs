using CsCheck;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Views;

namespace Erp.Db.Tests.Refresh;

/// <summary>
/// The traffic funnel and user activity as incremental aggregates (docs/refresh.md): after random
/// inserts, upserts, updates (values, days, shops), deletes and truncates of the traffic and
/// activity facts, the orders and the shops and platforms, a due refresh leaves both tables equal,
/// row for row, to their compute functions run fresh and to the materialized views' definitions
/// over the facts; a day written is recomputed alone.
/// </summary>
public class TrafficActivityAggregateTests
{
    /// <summary>mart.mv_traffic_funnel_daily as its materialized view defined it.</summary>
    private const string FunnelFromFacts = """
        SELECT f.merchant_id, f.shop_id, s.shop_name, s.platform_id, p.platform_code, f.traffic_date,
               f.visitors::bigint, f.unique_visitors::bigint, f.page_views::bigint, f.add_to_cart::bigint, f.checkout::bigint, f.orders::bigint
        FROM dw.fact_traffic_funnel AS f
        JOIN dw.dim_shops AS s ON s.merchant_id = f.merchant_id AND s.shop_id = f.shop_id
        JOIN dw.dim_platforms AS p ON p.platform_id = s.platform_id
        """;

    /// <summary>mart.mv_user_activity_daily as its materialized view defined it, its revenue from the orders (each shop's day rounded, as mart.mv_daily_sales does).</summary>
    private const string ActivityFromFacts = """
        WITH activity AS (
            SELECT a.merchant_id, a.activity_date,
                   sum(a.active_users)::bigint AS active_users, sum(a.new_users)::bigint AS new_users,
                   sum(a.returning_users)::bigint AS returning_users, sum(a.paying_users)::bigint AS paying_users,
                   sum(a.sessions)::bigint AS sessions,
                   coalesce(sum(a.sessions) FILTER (WHERE a.avg_session_seconds IS NOT NULL), 0)::bigint AS timed_sessions,
                   coalesce(sum(a.avg_session_seconds * a.sessions), 0) AS session_seconds,
                   sum(a.page_views)::bigint AS page_views,
                   coalesce(sum(a.new_users) FILTER (WHERE a.retention_d1 IS NOT NULL), 0)::bigint AS d1_cohort,
                   coalesce(sum(a.retention_d1 * a.new_users), 0) AS d1_retained,
                   coalesce(sum(a.new_users) FILTER (WHERE a.retention_d7 IS NOT NULL), 0)::bigint AS d7_cohort,
                   coalesce(sum(a.retention_d7 * a.new_users), 0) AS d7_retained,
                   coalesce(sum(a.new_users) FILTER (WHERE a.retention_d30 IS NOT NULL), 0)::bigint AS d30_cohort,
                   coalesce(sum(a.retention_d30 * a.new_users), 0) AS d30_retained
            FROM dw.fact_user_activity AS a
            GROUP BY a.merchant_id, a.activity_date
        ),
        shop_days AS (
            SELECT o.merchant_id, o.order_date, round(coalesce(sum(o.gmv_cny) FILTER (WHERE dw.is_valid_sale(o.status)), 0), 2) AS gmv_cny
            FROM dw.fact_sales_orders AS o
            JOIN dw.dim_shops AS s ON s.merchant_id = o.merchant_id AND s.shop_id = o.shop_id
            GROUP BY o.merchant_id, o.shop_id, o.order_date
        ),
        sales AS (
            SELECT merchant_id, order_date AS sales_date, sum(gmv_cny) AS revenue_cny FROM shop_days GROUP BY merchant_id, order_date
        )
        SELECT coalesce(a.merchant_id, s.merchant_id), coalesce(a.activity_date, s.sales_date),
               coalesce(a.active_users, 0), coalesce(a.new_users, 0), coalesce(a.returning_users, 0), coalesce(a.paying_users, 0),
               coalesce(a.sessions, 0), coalesce(a.timed_sessions, 0), round(coalesce(a.session_seconds, 0), 2), coalesce(a.page_views, 0),
               coalesce(a.d1_cohort, 0), round(coalesce(a.d1_retained, 0), 6), coalesce(a.d7_cohort, 0), round(coalesce(a.d7_retained, 0), 6),
               coalesce(a.d30_cohort, 0), round(coalesce(a.d30_retained, 0), 6), round(coalesce(s.revenue_cny, 0), 2)
        FROM activity AS a
        FULL JOIN sales AS s ON s.merchant_id = a.merchant_id AND s.sales_date = a.activity_date
        """;

    private static readonly int[] Shops = [11, 12, 21, 22];

    private static readonly string[] Statuses = ["pending", "paid", "completed", "cancelled", "refunded"];

    /// <summary>One write: a kind and three small numbers that pick rows, days and values.</summary>
    private static readonly Gen<(int Kind, int A, int B, int C)> Write = Gen.Select(Gen.Int[0, 16], Gen.Int[0, 99], Gen.Int[0, 99], Gen.Int[0, 99]);

    [Fact]
    public async Task After_random_writes_and_a_due_refresh_the_funnel_and_activity_tables_equal_their_definitions_run_fresh()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await SalesDataset.AddTrafficAndActivityAsync(db);
        await db.ExecuteAsync("CALL ops.refresh_due('test')");
        Assert.Equal("incremental,incremental", await db.ScalarAsync<string>("""
            SELECT string_agg(view_kind, ',' ORDER BY view_name) FROM ops.mv_registry
            WHERE view_name IN ('mart.mv_traffic_funnel_daily', 'mart.mv_user_activity_daily')
            """));
        Assert.Equal(0, await DifferencesAsync(db));

        // One database throughout: each sample writes on top of the previous ones, then refreshes and compares.
        await Write.Array[1, 8].SampleAsync(async writes =>
        {
            var before = await db.ScalarAsync<long>("SELECT coalesce(max(log_id), 0) FROM ops.mv_refresh_log");
            foreach (var write in writes)
            {
                await db.ExecuteAsync(Sql(write));
            }
            await db.ExecuteAsync("CALL ops.refresh_due('test')");

            Assert.Equal(0, await db.ScalarAsync<long>($"SELECT count(*) FROM ops.mv_refresh_log WHERE log_id > {before} AND status <> 'succeeded'"));
            Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.agg_invalidations"));
            Assert.True(await DifferencesAsync(db) == 0, "differs from a fresh recompute after: " + string.Join("; ", writes.Select(Sql)));
        }, seed: "0N0XIzNsQ0O2", iter: 30, threads: 1, print: w => string.Join("; ", w.Select(Sql)));
    }

    [Fact]
    public async Task A_day_of_traffic_and_activity_logs_one_range_per_merchant_and_the_due_refresh_rewrites_only_that_day()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await SalesDataset.AddTrafficAndActivityAsync(db);
        await db.ExecuteAsync("CALL ops.refresh_due('test')");
        var before = await db.ScalarAsync<long>("SELECT coalesce(max(log_id), 0) FROM ops.mv_refresh_log");
        var untouched = await db.ScalarAsync<string>("SELECT string_agg(ctid::text, ',' ORDER BY ctid) FROM mart.mv_traffic_funnel_daily WHERE traffic_date < CURRENT_DATE");

        // Today's numbers restated for every shop (an upsert: updates), and a new day for one shop (an insert).
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_traffic_funnel (merchant_id, shop_id, traffic_date, visitors, unique_visitors, page_views, add_to_cart, checkout, orders)
            SELECT merchant_id, shop_id, CURRENT_DATE, 999, 900, 2000, 99, 9, 3 FROM dw.dim_shops
            ON CONFLICT (merchant_id, shop_id, traffic_date) DO UPDATE SET visitors = EXCLUDED.visitors, unique_visitors = EXCLUDED.unique_visitors;
            INSERT INTO dw.fact_user_activity (merchant_id, shop_id, activity_date, active_users, new_users, returning_users, paying_users, sessions, page_views)
            VALUES (1, 11, CURRENT_DATE + 1, 40, 10, 20, 4, 50, 90);
            """);
        Assert.Equal("mart.mv_traffic_funnel_daily:1:0:0,mart.mv_traffic_funnel_daily:2:0:0,mart.mv_user_activity_daily:1:1:1", await db.ScalarAsync<string>("""
            SELECT string_agg(view_name || ':' || merchant_id || ':' || (first_day - CURRENT_DATE) || ':' || (last_day - CURRENT_DATE), ',' ORDER BY view_name, merchant_id)
            FROM ops.agg_invalidations
            """));

        await db.ExecuteAsync("CALL ops.refresh_due('test')");

        Assert.Equal("mart.mv_traffic_funnel_daily=incremental,mart.mv_user_activity_daily=incremental", await db.ScalarAsync<string>($"""
            SELECT string_agg(view_name || '=' || refresh_mode, ',' ORDER BY view_name) FROM ops.mv_refresh_log
            WHERE log_id > {before} AND view_name IN ('mart.mv_traffic_funnel_daily', 'mart.mv_user_activity_daily')
            """));
        Assert.Equal(4 * 999L, await db.ScalarAsync<long>("SELECT sum(visitors)::bigint FROM mart.mv_traffic_funnel_daily WHERE traffic_date = CURRENT_DATE"));
        Assert.Equal(40L, await db.ScalarAsync<long>("SELECT active_users FROM mart.mv_user_activity_daily WHERE merchant_id = 1 AND activity_date = CURRENT_DATE + 1"));
        // The other days' rows were not rewritten (same physical rows).
        Assert.Equal(untouched, await db.ScalarAsync<string>("SELECT string_agg(ctid::text, ',' ORDER BY ctid) FROM mart.mv_traffic_funnel_daily WHERE traffic_date < CURRENT_DATE"));
        Assert.Equal(0, await DifferencesAsync(db));
    }

    /// <summary>Rows of either table missing from, or extra to, its compute function and its definition over the facts (duplicates counted).</summary>
    private static async Task<long> DifferencesAsync(TestDatabase db)
    {
        long total = 0;
        foreach (var (table, reference) in new[]
                 {
                     ("mart.mv_traffic_funnel_daily", "SELECT * FROM mart.mv_traffic_funnel_daily_rows(NULL, '-infinity', 'infinity')"),
                     ("mart.mv_traffic_funnel_daily", FunnelFromFacts),
                     ("mart.mv_user_activity_daily", "SELECT * FROM mart.mv_user_activity_daily_rows(NULL, '-infinity', 'infinity')"),
                     ("mart.mv_user_activity_daily", ActivityFromFacts),
                 })
        {
            total += await db.ScalarAsync<long>($"""
                SELECT (SELECT count(*) FROM (TABLE {table} EXCEPT ALL ({reference})) AS extra)
                     + (SELECT count(*) FROM (({reference}) EXCEPT ALL TABLE {table}) AS missing)
                """);
        }
        return total;
    }

    /// <summary>The SQL of one generated write to what the two aggregates read.</summary>
    private static string Sql((int Kind, int A, int B, int C) w)
    {
        var shop = Shops[w.B % Shops.Length];
        var merchant = shop / 10;
        var otherShop = shop % 10 == 1 ? shop + 1 : shop - 1;
        var day = $"CURRENT_DATE - {w.C % 70}";
        var pick = $"(CURRENT_DATE - {{0}}) % {2 + (w.B % 4)} = {w.A % 2}";
        return w.Kind switch
        {
            // Traffic: an upsert of a few days of one shop (new days insert, known ones update).
            0 or 1 => $"""
                INSERT INTO dw.fact_traffic_funnel (merchant_id, shop_id, traffic_date, visitors, unique_visitors, page_views, add_to_cart, checkout, orders)
                SELECT {merchant}, {shop}, {day} + g, {50 + w.A}, {40 + w.A % 10}, {w.B * 3}, {w.A % 20}, {w.B % 9}, {w.C % 4}
                FROM generate_series(0, {w.A % 4}) AS g
                ON CONFLICT (merchant_id, shop_id, traffic_date) DO UPDATE SET visitors = EXCLUDED.visitors, unique_visitors = EXCLUDED.unique_visitors, orders = EXCLUDED.orders
                """,
            2 => $"UPDATE dw.fact_traffic_funnel SET add_to_cart = add_to_cart + {w.A % 5}, checkout = {w.C % 7} WHERE merchant_id = {merchant} AND {string.Format(pick, "traffic_date")}",
            // A day's rows move to another day, or a shop's row to the merchant's other shop, where that key is free.
            3 => (w.A % 2) switch
            {
                0 => $"""
                    UPDATE dw.fact_traffic_funnel AS f SET traffic_date = f.traffic_date - {1 + w.B % 40}
                    WHERE f.merchant_id = {merchant} AND f.traffic_date = {day}
                      AND NOT EXISTS (SELECT 1 FROM dw.fact_traffic_funnel AS x WHERE x.merchant_id = f.merchant_id AND x.shop_id = f.shop_id AND x.traffic_date = f.traffic_date - {1 + w.B % 40})
                    """,
                _ => $"""
                    UPDATE dw.fact_traffic_funnel AS f SET shop_id = {otherShop}
                    WHERE f.merchant_id = {merchant} AND f.shop_id = {shop} AND f.traffic_date BETWEEN {day} - 3 AND {day}
                      AND NOT EXISTS (SELECT 1 FROM dw.fact_traffic_funnel AS x WHERE x.merchant_id = f.merchant_id AND x.shop_id = {otherShop} AND x.traffic_date = f.traffic_date)
                    """,
            },
            4 => $"DELETE FROM dw.fact_traffic_funnel WHERE merchant_id = {merchant} AND {string.Format(pick, "traffic_date")}",
            // Activity: the same shapes, with unknown session lengths and retentions among them.
            5 or 6 => $"""
                INSERT INTO dw.fact_user_activity (merchant_id, shop_id, activity_date, active_users, new_users, returning_users, paying_users,
                                                   sessions, avg_session_seconds, page_views, retention_d1, retention_d7, retention_d30)
                SELECT {merchant}, {shop}, {day} + g, {40 + w.A}, {w.A % 10}, {w.B % 30}, {w.C % 40}, {w.B}, {(w.C % 3 == 0 ? "NULL" : (w.C * 1.5m).ToString(System.Globalization.CultureInfo.InvariantCulture))},
                       {w.C * 2}, {(w.A % 3 == 0 ? "NULL" : "0.35")}, {(w.B % 3 == 0 ? "NULL" : "0.123457")}, {(w.C % 2 == 0 ? "NULL" : "0.05")}
                FROM generate_series(0, {w.B % 4}) AS g
                ON CONFLICT (merchant_id, shop_id, activity_date) DO UPDATE
                    SET active_users = EXCLUDED.active_users, new_users = EXCLUDED.new_users, returning_users = EXCLUDED.returning_users,
                        paying_users = EXCLUDED.paying_users, retention_d7 = EXCLUDED.retention_d7,
                        avg_session_seconds = EXCLUDED.avg_session_seconds
                """,
            7 => $"""
                UPDATE dw.fact_user_activity SET sessions = sessions + {w.A % 9}, retention_d1 = {(w.C % 2 == 0 ? "NULL" : "0.5")}, page_views = page_views + 1
                WHERE merchant_id = {merchant} AND {string.Format(pick, "activity_date")}
                """,
            8 => $"""
                UPDATE dw.fact_user_activity AS a SET activity_date = a.activity_date + {1 + w.B % 40}
                WHERE a.merchant_id = {merchant} AND a.activity_date = {day}
                  AND NOT EXISTS (SELECT 1 FROM dw.fact_user_activity AS x WHERE x.merchant_id = a.merchant_id AND x.shop_id = a.shop_id AND x.activity_date = a.activity_date + {1 + w.B % 40})
                """,
            9 => $"DELETE FROM dw.fact_user_activity WHERE merchant_id = {merchant} AND {string.Format(pick, "activity_date")}",
            // Orders: the revenue of mart.mv_user_activity_daily, through mart.mv_daily_sales.
            10 => $"""
                INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at)
                SELECT {merchant}, {day} - {w.A % 30}, {shop}, {(merchant == 1 ? 1001 : 2001)}, 'g-' || md5(random()::text), '{Statuses[w.A % Statuses.Length]}', 1, {10 + w.B}, 3, now()
                FROM generate_series(1, {1 + w.C % 3})
                """,
            11 => (w.A % 3) switch
            {
                0 => $"UPDATE dw.fact_sales_orders SET status = '{Statuses[w.C % Statuses.Length]}' WHERE merchant_id = {merchant} AND order_id % {3 + w.B % 5} = 0",
                1 => $"UPDATE dw.fact_sales_orders SET order_date = order_date - {1 + w.C % 20} WHERE merchant_id = {merchant} AND order_id % {4 + w.B % 5} = 1",
                _ => $"DELETE FROM dw.fact_sales_orders WHERE merchant_id = {merchant} AND order_id % {6 + w.B % 5} = 2",
            },
            // Shops and platforms: a name, a shop moved to another platform, a platform renamed.
            12 => (w.A % 3) switch
            {
                0 => $"UPDATE dw.dim_shops SET shop_name = 'Shop {shop} v{w.C}' WHERE shop_id = {shop}",
                1 => $"UPDATE dw.dim_shops SET platform_id = (SELECT platform_id FROM dw.dim_platforms ORDER BY platform_id OFFSET {w.C % 3} LIMIT 1) WHERE shop_id = {shop}",
                _ => $"UPDATE dw.dim_platforms SET platform_code = 'p' || platform_id || '_v{w.C}' WHERE platform_id = (SELECT platform_id FROM dw.dim_shops WHERE shop_id = {shop})",
            },
            // An unchanged upsert of a shop logs nothing.
            13 => $"UPDATE dw.dim_shops SET shop_name = shop_name WHERE merchant_id = {merchant}",
            14 or 15 => $"UPDATE dw.fact_traffic_funnel SET page_views = page_views + 1 WHERE merchant_id = {merchant} AND shop_id = {shop} AND traffic_date = {day}",
            _ => (w.A % 3) switch
            {
                0 => "TRUNCATE dw.fact_traffic_funnel",
                1 => "TRUNCATE dw.fact_user_activity",
                _ => "TRUNCATE dw.fact_sales_orders CASCADE",
            },
        };
    }
}
