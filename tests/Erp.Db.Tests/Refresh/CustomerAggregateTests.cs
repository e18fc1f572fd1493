using CsCheck;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Views;

namespace Erp.Db.Tests.Refresh;

/// <summary>
/// The per-customer aggregates (docs/refresh.md, "Per-customer aggregates"): after any mix of order
/// inserts, updates (status, day, customer, amount), deletes, customer and user level changes, a
/// truncate and a day that moved since the segments were evaluated, a due refresh leaves
/// mart.mv_customer_segments equal to its compute function run fresh and mart.mv_customer_cohorts
/// equal to its definition over the orders, row for row; a day of new orders recomputes only its
/// customers and their cohort months.
/// </summary>
public class CustomerAggregateTests
{
    /// <summary>The segments as the materialized view this table replaced defined them, over the orders.</summary>
    private const string SegmentsFromOrders = """
        WITH history AS (
            SELECT o.merchant_id, o.customer_id, min(o.order_date) AS first_order_date, max(o.order_date) AS last_order_date,
                   count(*) AS order_count, sum(o.gmv_cny) AS total_spend_cny
            FROM dw.fact_sales_orders AS o
            WHERE o.customer_id IS NOT NULL AND dw.is_valid_sale(o.status)
            GROUP BY o.merchant_id, o.customer_id
        ),
        vip AS (
            SELECT coalesce((SELECT l.min_spend_cny FROM dw.dim_user_levels AS l WHERE l.level_code = 'platinum'), 5000) AS min_spend_cny
        )
        SELECT h.merchant_id, h.customer_id, c.customer_code, c.user_level_id, c.region_id, c.channel_id,
               h.first_order_date, h.last_order_date, h.order_count,
               round(h.total_spend_cny, 2) AS total_spend_cny, round(h.total_spend_cny / h.order_count, 2) AS aov_cny,
               CURRENT_DATE - h.last_order_date AS days_since_last_order,
               h.total_spend_cny >= v.min_spend_cny AS is_vip,
               CASE WHEN h.last_order_date < CURRENT_DATE - 90 THEN 'churned'
                    WHEN h.total_spend_cny >= v.min_spend_cny THEN 'vip'
                    WHEN h.first_order_date >= CURRENT_DATE - 30 THEN 'new'
                    WHEN h.order_count >= 2 THEN 'repeat'
                    ELSE 'one_time' END AS segment
        FROM history AS h
        CROSS JOIN vip AS v
        JOIN dw.dim_customers AS c ON c.merchant_id = h.merchant_id AND c.customer_id = h.customer_id
        """;

    /// <summary>The table with the reader view's computed column, in the same column order.</summary>
    private const string SegmentsTable = """
        SELECT merchant_id, customer_id, customer_code, user_level_id, region_id, channel_id, first_order_date, last_order_date,
               order_count, total_spend_cny, aov_cny, CURRENT_DATE - last_order_date AS days_since_last_order, is_vip, segment
        FROM mart.mv_customer_segments
        """;

    /// <summary>The cohorts as the materialized view this table replaced defined them, over the orders.</summary>
    private const string CohortsFromOrders = """
        WITH valid AS (
            SELECT o.merchant_id, o.customer_id, o.order_date, o.gmv_cny
            FROM dw.fact_sales_orders AS o
            WHERE dw.is_valid_sale(o.status) AND o.customer_id IS NOT NULL
        ),
        firsts AS (
            SELECT v.merchant_id, v.customer_id, min(v.order_date) AS first_order_date FROM valid AS v GROUP BY v.merchant_id, v.customer_id
        ),
        per_customer AS (
            SELECT f.merchant_id, f.customer_id, f.first_order_date,
                   coalesce(sum(v.gmv_cny) FILTER (WHERE v.order_date < f.first_order_date + 30), 0) AS revenue_30d,
                   coalesce(sum(v.gmv_cny) FILTER (WHERE v.order_date < f.first_order_date + 90), 0) AS revenue_90d,
                   coalesce(sum(v.gmv_cny), 0) AS revenue_365d
            FROM firsts AS f
            JOIN valid AS v ON v.merchant_id = f.merchant_id AND v.customer_id = f.customer_id AND v.order_date < f.first_order_date + 365
            GROUP BY f.merchant_id, f.customer_id, f.first_order_date
        )
        SELECT c.merchant_id, date_trunc('month', c.first_order_date)::date AS cohort_month, count(*) AS customers,
               round(sum(c.revenue_30d), 2), round(sum(c.revenue_90d), 2), round(sum(c.revenue_365d), 2)
        FROM per_customer AS c
        GROUP BY c.merchant_id, date_trunc('month', c.first_order_date)
        """;

    private static readonly string[] Statuses = ["pending", "paid", "shipped", "completed", "cancelled", "refunded", "returned"];

    /// <summary>One write: a kind and three small numbers that pick rows, days and values.</summary>
    private static readonly Gen<(int Kind, int A, int B, int C)> Write = Gen.Select(Gen.Int[0, 14], Gen.Int[0, 99], Gen.Int[0, 99], Gen.Int[0, 399]);

    /// <summary>Writes of a day of new orders: inserted orders six times in seven, any other write otherwise.</summary>
    private static readonly Gen<(int Kind, int A, int B, int C)> MostlyInserts = Gen.Frequency(
        (6, Gen.Select(Gen.Int[0, 1], Gen.Int[0, 99], Gen.Int[0, 99], Gen.Int[0, 399])),
        (1, Gen.Select(Gen.Int[2, 14], Gen.Int[0, 99], Gen.Int[0, 99], Gen.Int[0, 399])));

    [Fact]
    public async Task After_random_writes_and_a_due_refresh_segments_and_cohorts_equal_a_fresh_recompute()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await AssertFreshAsync(db, "after the dataset");

        // One database throughout: each sample writes on top of the previous ones, then refreshes and compares.
        await Write.Array[1, 8].SampleAsync(async writes =>
        {
            var before = await db.ScalarAsync<long>("SELECT coalesce(max(log_id), 0) FROM ops.mv_refresh_log");
            foreach (var write in writes)
            {
                await db.ExecuteAsync(Sql(write));
            }
            await db.ExecuteAsync("CALL ops.refresh_due('test')");

            var after = string.Join("; ", writes.Select(Sql));
            Assert.Equal(0, await db.ScalarAsync<long>($"SELECT count(*) FROM ops.mv_refresh_log WHERE log_id > {before} AND status <> 'succeeded'"));
            Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.customer_invalidations"));
            Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.agg_invalidations"));
            await AssertFreshAsync(db, after);
        }, seed: "0N0XIzNsQ0O2", iter: 30, threads: 1, print: w => string.Join("; ", w.Select(Sql)));
    }

    [Fact]
    public async Task A_day_of_new_orders_recomputes_only_its_customers_and_their_cohort_months()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        var before = await db.ScalarAsync<long>("SELECT coalesce(max(log_id), 0) FROM ops.mv_refresh_log");

        // 200 orders in one statement for two customers of merchant 1 and one of merchant 2.
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at)
            SELECT v.merchant_id, CURRENT_DATE, v.shop_id, v.customer_id, 'bulk-' || v.customer_id || '-' || g, 'paid', 1, 10, 4, now()
            FROM (VALUES (1, 11, 1001), (1, 12, 1002), (2, 21, 2001)) AS v (merchant_id, shop_id, customer_id)
            CROSS JOIN generate_series(1, 200) AS g
            """);
        Assert.Equal("1:1001,1:1002,2:2001", await db.ScalarAsync<string>(
            "SELECT string_agg(merchant_id || ':' || customer_id, ',' ORDER BY customer_id) FROM ops.customer_invalidations WHERE view_name = 'mart.mv_customer_segments'"));
        // An order update that changes nothing the segments read (a payment flag) logs nobody.
        await db.ExecuteAsync("UPDATE dw.fact_sales_orders SET is_paid = NOT is_paid WHERE customer_id = 1003");
        Assert.Equal(3, await db.ScalarAsync<long>("SELECT count(*) FROM ops.customer_invalidations"));

        await db.ExecuteAsync("CALL ops.refresh_due('test')");

        Assert.Equal("mart.mv_customer_cohorts=incremental,mart.mv_customer_segments=incremental", await db.ScalarAsync<string>($"""
            SELECT string_agg(view_name || '=' || refresh_mode, ',' ORDER BY view_name) FROM ops.mv_refresh_log
            WHERE log_id > {before} AND view_name IN ('mart.mv_customer_segments', 'mart.mv_customer_cohorts')
            """));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.customer_invalidations"));
        await AssertFreshAsync(db, "a day of new orders");
        // Only those three customers' rows were rewritten (by the refresh's transaction).
        Assert.Equal("1001,1002,2001", await db.ScalarAsync<string>("""
            SELECT string_agg(customer_id::text, ',' ORDER BY customer_id) FROM mart.mv_customer_segments
            WHERE xmin = (SELECT xmin FROM mart.mv_customer_segments WHERE customer_id = 1001)
            """));
    }

    [Fact]
    public async Task After_days_of_new_orders_alone_or_mixed_with_other_writes_the_tables_equal_a_fresh_recompute()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await db.ExecuteAsync("CALL ops.refresh_due('test')");

        // Mostly inserted orders (added to the histories), now and then another write (recomputed).
        await MostlyInserts.Array[1, 8].SampleAsync(async writes =>
        {
            var before = await db.ScalarAsync<long>("SELECT coalesce(max(log_id), 0) FROM ops.mv_refresh_log");
            foreach (var write in writes)
            {
                await db.ExecuteAsync(Sql(write));
            }
            // A statement of orders for several customers, one of them new to the merchant.
            await db.ExecuteAsync(NewCustomerOrders(writes.Length));
            await db.ExecuteAsync("CALL ops.refresh_due('test')");

            var after = string.Join("; ", writes.Select(Sql));
            Assert.Equal(0, await db.ScalarAsync<long>($"SELECT count(*) FROM ops.mv_refresh_log WHERE log_id > {before} AND status <> 'succeeded'"));
            Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.customer_invalidations"));
            Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.agg_invalidations"));
            await AssertFreshAsync(db, after);
        }, seed: "0N0XIzNsQ0O3", iter: 30, threads: 1, print: w => string.Join("; ", w.Select(Sql)));
    }

    [Fact]
    public async Task Inserted_orders_are_logged_with_what_they_add_and_other_changes_without()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await db.ExecuteAsync("CALL ops.refresh_due('test')");

        // Valid orders per customer and day with their count and GMV; a cancelled order adds nothing.
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at)
            VALUES (1, CURRENT_DATE, 11, 1001, 'log-a', 'paid', 1, 10, 4, now()),
                   (1, CURRENT_DATE, 11, 1001, 'log-b', 'shipped', 1, 15.5, 4, now()),
                   (1, CURRENT_DATE - 1, 11, 1001, 'log-c', 'paid', 1, 7, 4, now()),
                   (1, CURRENT_DATE, 11, 1002, 'log-d', 'cancelled', 1, 99, 4, now())
            """);
        var today = await db.ScalarAsync<DateTime>("SELECT CURRENT_DATE::timestamp");
        Assert.Equal($"1001:{today.AddDays(-1):yyyy-MM-dd}:1:7,1001:{today:yyyy-MM-dd}:2:{25.5m.ToString(System.Globalization.CultureInfo.InvariantCulture)}", await db.ScalarAsync<string>("""
            SELECT string_agg(customer_id || ':' || to_char(order_date, 'YYYY-MM-DD') || ':' || order_count || ':' || trim_scale(gmv_cny), ',' ORDER BY customer_id, order_date)
            FROM ops.customer_invalidations
            """));
        var spend = await db.ScalarAsync<decimal>("SELECT total_spend_cny FROM mart.mv_customer_segments WHERE customer_id = 1001");
        await db.ExecuteAsync("SELECT ops.refresh_view('mart.mv_customer_segments', 'test')");
        Assert.Equal(spend + 32.5m, await db.ScalarAsync<decimal>("SELECT total_spend_cny FROM mart.mv_customer_segments WHERE customer_id = 1001"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.customer_invalidations"));

        // A deleted valid order and a status change are logged without values (the customer is recomputed).
        await db.ExecuteAsync("DELETE FROM dw.fact_sales_orders WHERE order_no = 'log-a'");
        await db.ExecuteAsync("UPDATE dw.fact_sales_orders SET status = 'paid' WHERE order_no = 'log-d'");
        Assert.Equal("1001:,1002:", await db.ScalarAsync<string>("""
            SELECT string_agg(customer_id || ':' || coalesce(order_count::text, ''), ',' ORDER BY customer_id) FROM ops.customer_invalidations
            """));
        await db.ExecuteAsync("CALL ops.refresh_due('test')");
        await AssertFreshAsync(db, "a delete and a status change");
    }

    [Fact]
    public async Task A_changed_vip_threshold_or_a_truncate_rebuilds_in_full_and_a_new_day_moves_only_the_changed_segments()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        var before = await db.ScalarAsync<long>("SELECT coalesce(max(log_id), 0) FROM ops.mv_refresh_log");

        await db.ExecuteAsync("UPDATE dw.dim_user_levels SET min_spend_cny = 500 WHERE level_code = 'platinum'");
        await db.ExecuteAsync("SELECT ops.refresh_view('mart.mv_customer_segments', 'test')");
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM mart.mv_customer_segments WHERE is_vip") > 0);
        // An unchanged upsert of a level logs nothing.
        await db.ExecuteAsync("UPDATE dw.dim_user_levels SET min_spend_cny = min_spend_cny");
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.customer_invalidations"));

        // Segments evaluated 60 days ago: a due refresh today moves them (and only writes those that change).
        await db.ExecuteAsync("""
            UPDATE mart.mv_customer_segments SET segment = dw.customer_segment(first_order_date, last_order_date, order_count, is_vip, CURRENT_DATE - 60);
            UPDATE ops.mv_registry SET as_of_date = CURRENT_DATE - 60 WHERE view_name = 'mart.mv_customer_segments';
            """);
        await db.ExecuteAsync("SELECT ops.refresh_view('mart.mv_customer_segments', 'test')");
        Assert.Equal(await db.ScalarAsync<DateTime>("SELECT CURRENT_DATE::timestamp"),
            await db.ScalarAsync<DateTime>("SELECT as_of_date::timestamp FROM ops.mv_registry WHERE view_name = 'mart.mv_customer_segments'"));

        await db.ExecuteAsync("TRUNCATE dw.fact_sales_orders CASCADE");
        await db.ExecuteAsync("CALL ops.refresh_due('test')");

        Assert.Equal("full,incremental,full", await db.ScalarAsync<string>($"""
            SELECT string_agg(refresh_mode, ',' ORDER BY log_id) FROM ops.mv_refresh_log
            WHERE log_id > {before} AND view_name = 'mart.mv_customer_segments' AND refresh_trigger = 'test'
            """));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM mart.mv_customer_segments"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM mart.mv_customer_cohorts"));
    }

    /// <summary>Both tables equal their definitions run fresh, in both directions, duplicates counted.</summary>
    private static async Task AssertFreshAsync(TestDatabase db, string after)
    {
        Assert.True(await DifferenceAsync(db, "TABLE mart.mv_customer_segments", "SELECT * FROM mart.mv_customer_segments_rows(NULL, NULL, CURRENT_DATE)") == 0,
            $"mart.mv_customer_segments differs from its compute function after: {after}");
        Assert.True(await DifferenceAsync(db, SegmentsTable, SegmentsFromOrders) == 0,
            $"mart.mv_customer_segments differs from the segments over the orders after: {after}");
        Assert.True(await DifferenceAsync(db, "TABLE mart.mv_customer_cohorts", CohortsFromOrders) == 0,
            $"mart.mv_customer_cohorts differs from the cohorts over the orders after: {after}");
    }

    private static Task<long> DifferenceAsync(TestDatabase db, string actual, string expected) => db.ScalarAsync<long>($"""
        SELECT (SELECT count(*) FROM (({actual}) EXCEPT ALL ({expected})) AS extra)
             + (SELECT count(*) FROM (({expected}) EXCEPT ALL ({actual})) AS missing)
        """);

    /// <summary>Orders in one statement for a customer new to merchant 2, two known customers (one before their first order) and no customer.</summary>
    private static string NewCustomerOrders(int day) => $"""
        WITH created AS (
            INSERT INTO dw.dim_customers (merchant_id, customer_code) VALUES (2, 'fresh-' || md5(random()::text)) RETURNING customer_id
        )
        INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at)
        SELECT 2, CURRENT_DATE - {day} * v.back, 21, coalesce(v.customer_id, CASE WHEN v.known THEN NULL ELSE c.customer_id END),
               'n-' || md5(random()::text), v.status, 1, v.gmv, 2, now()
        FROM created AS c
        CROSS JOIN (VALUES (NULL::bigint, false, 0, 'paid', 20), (NULL, false, 1, 'refunded', 30),
                           ((SELECT min(customer_id) FROM dw.dim_customers WHERE merchant_id = 2), true, 2, 'completed', 40),
                           ((SELECT max(customer_id) FROM dw.fact_sales_orders WHERE merchant_id = 2), true, 60, 'paid', 50),
                           (NULL, true, 0, 'paid', 60)) AS v (customer_id, known, back, status, gmv)
        """;

    /// <summary>The SQL of one generated write to what the per-customer aggregates read.</summary>
    private static string Sql((int Kind, int A, int B, int C) w)
    {
        var merchant = 1 + (w.B % 2);
        var shop = merchant * 10 + 1 + (w.A % 2);
        var status = Statuses[w.A % Statuses.Length];
        var customer = $"(SELECT customer_id FROM dw.dim_customers WHERE merchant_id = {merchant} ORDER BY customer_id OFFSET {w.C % 13} LIMIT 1)";
        var pick = $"merchant_id = {merchant} AND order_id % {2 + (w.B % 5)} = {w.A % 2}";
        return w.Kind switch
        {
            // New orders of one customer on one day, up to 400 days back (beyond the 365-day window).
            0 or 1 => $"""
                INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at)
                SELECT {merchant}, CURRENT_DATE - {w.C}, {shop}, {customer}, 'g-' || md5(random()::text), '{status}', 1, {10 + w.A * 13}, 3, now()
                FROM generate_series(1, {1 + (w.A % 3)})
                """,
            2 => $"UPDATE dw.fact_sales_orders SET status = '{status}' WHERE {pick}",
            // Orders move to another day, possibly into another month or before a customer's first order.
            3 => $"UPDATE dw.fact_sales_orders SET order_date = order_date + {(w.C % 121) - 60} WHERE merchant_id = {merchant} AND order_id % {3 + (w.B % 7)} = {w.A % 3}",
            4 => $"UPDATE dw.fact_sales_orders SET customer_id = {customer} WHERE {pick}",
            5 => $"UPDATE dw.fact_sales_orders SET gmv = gmv + {w.A - 40} WHERE {pick} AND gmv + {w.A - 40} >= 0",
            6 => $"DELETE FROM dw.fact_sales_orders WHERE merchant_id = {merchant} AND order_id % {5 + (w.B % 9)} = {w.A % 5}",
            7 => $"INSERT INTO dw.dim_customers (merchant_id, customer_code) VALUES ({merchant}, 'new-' || md5(random()::text))",
            8 => $"UPDATE dw.dim_customers SET customer_code = customer_code || '-v{w.A}', region_id = NULL, user_level_id = {1 + (w.C % 4)} WHERE merchant_id = {merchant} AND customer_id % {2 + (w.B % 3)} = {w.A % 2}",
            9 => $"UPDATE dw.dim_user_levels SET min_spend_cny = {100 + w.C * 10} WHERE level_code = 'platinum'",
            // An unchanged upsert of customers logs nothing.
            10 => $"UPDATE dw.dim_customers SET customer_code = customer_code WHERE merchant_id = {merchant}",
            // The segments were evaluated (last refreshed) some days ago: only the date-dependent column is as of then, and
            // the refresh is due even when nothing else was written.
            11 => $"""
                UPDATE mart.mv_customer_segments SET segment = dw.customer_segment(first_order_date, last_order_date, order_count, is_vip, CURRENT_DATE - {1 + (w.C % 60)});
                UPDATE ops.mv_registry SET as_of_date = CURRENT_DATE - {1 + (w.C % 60)}, last_success_at = now() - interval '1 day' WHERE view_name = 'mart.mv_customer_segments'
                """,
            12 => $"""
                INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at)
                VALUES ({merchant}, CURRENT_DATE - {w.C % 30}, {shop}, NULL, 'anon-' || md5(random()::text), 'paid', 1, 50, 3, now())
                """,
            13 => w.A % 10 == 0 ? "TRUNCATE dw.fact_sales_orders CASCADE" : $"DELETE FROM dw.fact_sales_orders WHERE {pick} AND order_date < CURRENT_DATE - {w.C % 40}",
            _ => $"UPDATE dw.fact_sales_orders SET order_date = CURRENT_DATE - {w.C}, status = '{status}', customer_id = {customer} WHERE {pick} AND order_id % 3 = 0",
        };
    }
}
