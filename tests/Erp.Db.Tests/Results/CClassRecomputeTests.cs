using CsCheck;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Results;

/// <summary>
/// The C-class recompute of a due refresh (ops.recompute_changed_c_class, docs/c-class-recompute.md)
/// rewrites only the periods whose facts changed, and its results equal, row for row, a recompute
/// from scratch with the definition from before that (every period, from the facts:
/// CClassBefore0038.sql), after any mix of writes to what the results read.
/// </summary>
public class CClassRecomputeTests
{
    private static readonly string[] Statuses = ["pending", "paid", "shipped", "completed", "cancelled", "refunded", "returned"];

    private static readonly int[] Shops = [11, 12, 21, 22];

    /// <summary>The four result tables, without computed_at (when the row was written).</summary>
    private static readonly string[] Results = ["mart.shop_health", "mart.product_rankings", "mart.target_achievement", "mart.campaign_results"];

    /// <summary>One write: a kind and three small numbers that pick rows, days and values.</summary>
    private static readonly Gen<(int Kind, int A, int B, int C)> Write = Gen.Select(Gen.Int[0, 13], Gen.Int[0, 99], Gen.Int[0, 99], Gen.Int[0, 999]);

    /// <summary>
    /// The windows the C-class results keep, in one function the recompute's full pass calls per row it reads: inlined (its body
    /// immutable, as an IMMUTABLE function's must be to be inlined), and what it gives is the last 90 days, 26 ISO weeks, 24 months.
    /// </summary>
    [Fact]
    public async Task The_windows_kept_are_90_days_26_weeks_and_24_months_in_a_function_the_planner_inlines()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();

        var plan = await db.ScalarAsync<string>("EXPLAIN (VERBOSE, FORMAT JSON) SELECT ops.c_class_first_period(p, DATE '2026-12-02') FROM (VALUES ('day'), ('week'), ('month')) AS v(p)");
        var starts = await db.ScalarAsync<string>(
            "SELECT string_agg(ops.c_class_first_period(p, DATE '2026-12-02')::text, ' ' ORDER BY n) FROM (VALUES (1, 'day'), (2, 'week'), (3, 'month')) AS v(n, p)");

        Assert.DoesNotContain("c_class_first_period", plan, StringComparison.Ordinal);
        // 2026-12-02 is a Wednesday: the day 89 days before, the Monday 25 weeks before its week's, the first of the month 23 months before.
        Assert.Equal("2026-09-04 2026-06-08 2025-01-01", starts);
    }

    [Fact]
    public async Task After_random_writes_and_a_due_refresh_the_results_equal_a_recompute_from_scratch_of_the_old_definition()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await ShopHealthData.LoadAsync(db);
        await db.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "tests", "Erp.Db.Tests", "Results", "CClassBefore0038.sql")));
        await db.ExecuteAsync("""
            INSERT INTO dw.cfg_sales_targets (merchant_id, shop_id, metric, period_type, period_start, period_end, target_value)
            VALUES (1, NULL, 'gmv_cny', 'month', date_trunc('month', CURRENT_DATE)::date, (date_trunc('month', CURRENT_DATE) + interval '1 month - 1 day')::date, 5000),
                   (2, 21, 'orders', 'month', CURRENT_DATE - 20, CURRENT_DATE + 10, 40);
            INSERT INTO dw.cfg_sales_campaigns (merchant_id, campaign_code, campaign_name, start_date, end_date, target_gmv_cny, budget_cny)
            VALUES (1, 'c1', 'C1', CURRENT_DATE - 30, CURRENT_DATE, 1000, 10), (2, 'c2', 'C2', CURRENT_DATE - 10, CURRENT_DATE, 1000, 10);
            """);
        await db.ExecuteAsync("CALL ops.refresh_due('test')");
        Assert.Equal(0, await DifferenceAsync(db));

        // One database throughout: each sample writes on top of the previous ones, then refreshes and compares.
        await Write.Array[1, 6].SampleAsync(async writes =>
        {
            var before = await db.ScalarAsync<long>("SELECT coalesce(max(log_id), 0) FROM ops.mv_refresh_log");
            foreach (var write in writes)
            {
                await db.ExecuteAsync(Sql(write));
            }
            await db.ExecuteAsync("CALL ops.refresh_due('test')");

            Assert.Equal(0, await db.ScalarAsync<long>($"SELECT count(*) FROM ops.mv_refresh_log WHERE log_id > {before} AND status <> 'succeeded'"));
            Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.c_class_changes"));
            Assert.True(await DifferenceAsync(db) == 0, $"The results differ from a recompute from scratch after: {string.Join("; ", writes.Select(Sql))}");
        }, seed: "0N0XIzNsQ0O2", iter: 25, threads: 1, print: w => string.Join("; ", w.Select(Sql)));

        // The runs above were incremental, except after a truncate or the day forced back.
        Assert.True(await db.ScalarAsync<long>("""
            SELECT count(*) FROM ops.mv_refresh_log WHERE view_name = 'ops.compute_c_class' AND refresh_trigger = 'test' AND refresh_mode = 'incremental'
            """) > 10);
    }

    [Fact]
    public async Task A_due_refresh_after_one_more_day_rewrites_only_that_day_week_and_month()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await ShopHealthData.LoadAsync(db);
        await db.ExecuteAsync("CALL ops.refresh_due('test')");
        const string untouched = """
            SELECT count(*) FROM (
                SELECT period_type, period_start, xmin::text::bigint AS x FROM mart.shop_health
                UNION ALL SELECT period_type, period_start, xmin::text::bigint FROM mart.product_rankings) AS r
            WHERE x < {0}
            """;
        var xid = await db.ScalarAsync<long>("SELECT pg_current_xact_id()::text::bigint");
        var rows = await db.ScalarAsync<long>("SELECT (SELECT count(*) FROM mart.shop_health) + (SELECT count(*) FROM mart.product_rankings)");

        await db.ExecuteAsync("""
            INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at, shipped_at)
            VALUES (1, CURRENT_DATE, 11, 1001, 'today-1', 'completed', 1, 80, 20, now() - interval '5 hours', now()),
                   (2, CURRENT_DATE, 21, 2001, 'today-2', 'returned', 1, 60, 15, now() - interval '3 hours', now());
            """);
        await db.ExecuteAsync("CALL ops.refresh_due('test')");

        Assert.Equal("incremental", await db.ScalarAsync<string>(
            "SELECT refresh_mode FROM ops.mv_refresh_log WHERE view_name = 'ops.compute_c_class' ORDER BY log_id DESC LIMIT 1"));
        // Rewritten: today, this week and this month of both merchants; nothing else.
        Assert.Equal(0, await db.ScalarAsync<long>(string.Format(System.Globalization.CultureInfo.InvariantCulture, """
            SELECT count(*) FROM (
                SELECT period_type, period_start, xmin::text::bigint AS x FROM mart.shop_health
                UNION ALL SELECT period_type, period_start, xmin::text::bigint FROM mart.product_rankings) AS r
            WHERE x >= {0} AND period_start <> date_trunc(period_type, CURRENT_DATE)::date
            """, xid)));
        Assert.True(await db.ScalarAsync<long>(string.Format(System.Globalization.CultureInfo.InvariantCulture, untouched, xid)) > rows / 2);
        // And they hold today's orders: merchant 2's order today was returned.
        Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND shop_id = 11 AND order_date = CURRENT_DATE AND dw.is_valid_sale(status)"),
            await db.ScalarAsync<long>("SELECT order_count FROM mart.shop_health WHERE merchant_id = 1 AND shop_id = 11 AND period_type = 'day' AND period_start = CURRENT_DATE"));
        Assert.True(await db.ScalarAsync<decimal>("SELECT return_rate FROM mart.shop_health WHERE merchant_id = 2 AND shop_id = 21 AND period_type = 'day' AND period_start = CURRENT_DATE") > 0);
    }

    [Fact]
    public async Task A_run_on_another_day_or_after_a_truncate_recomputes_everything()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await ShopHealthData.LoadAsync(db);
        await db.ExecuteAsync("CALL ops.refresh_due('test')");
        const string lastMode = "SELECT refresh_mode FROM ops.mv_refresh_log WHERE view_name = 'ops.compute_c_class' ORDER BY log_id DESC LIMIT 1";

        await db.ExecuteAsync("UPDATE ops.c_class_state SET computed_for = CURRENT_DATE - 1");
        await db.ExecuteAsync("UPDATE dw.fact_sales_orders SET status = 'cancelled' WHERE order_id % 7 = 0");
        await db.ExecuteAsync("CALL ops.refresh_due('test')");
        Assert.Equal("full", await db.ScalarAsync<string>(lastMode));
        Assert.True(await db.ScalarAsync<bool>("SELECT computed_for = CURRENT_DATE FROM ops.c_class_state"));

        await db.ExecuteAsync("TRUNCATE dw.fact_order_items");
        await db.ExecuteAsync("CALL ops.refresh_due('test')");
        Assert.Equal("full", await db.ScalarAsync<string>(lastMode));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM mart.product_rankings"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.c_class_changes"));
    }

    /// <summary>
    /// Rows of the four result tables that a recompute from scratch with the old definition would
    /// not write, plus the rows it would write that are missing (duplicates counted). The
    /// recompute runs in a transaction that is rolled back.
    /// </summary>
    private static async Task<long> DifferenceAsync(TestDatabase db)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        async Task<object?> RunAsync(string sql)
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, connection, transaction);
            return await command.ExecuteScalarAsync();
        }
        foreach (var (table, i) in Results.Select((t, i) => (t, i)))
        {
            await RunAsync($"CREATE TEMP TABLE now_{i} ON COMMIT DROP AS SELECT to_jsonb(r) - 'computed_at' AS row FROM {table} AS r");
        }
        // Each merchant's periods that include today were cut at the time of day of its last run (every run rewrites them):
        // the old definition, merchant by merchant, cuts at that instant too.
        await RunAsync("""
            CREATE TEMP TABLE cuts ON COMMIT DROP AS
            SELECT m.merchant_id, coalesce(max(h.computed_at), now()) AS cut_at
              FROM dw.dim_merchants AS m LEFT JOIN mart.shop_health AS h ON h.merchant_id = m.merchant_id AND h.period_end >= CURRENT_DATE
             GROUP BY m.merchant_id
            """);
        Assert.Equal(0L, await RunAsync("""
            SELECT count(*) FROM cuts AS c
             WHERE (c_class_before.recompute_c_class('test-before', ARRAY[c.merchant_id], c.cut_at)).status <> 'succeeded'
            """));
        long difference = 0;
        foreach (var (table, i) in Results.Select((t, i) => (t, i)))
        {
            difference += (long)(await RunAsync($"""
                SELECT (SELECT count(*) FROM (SELECT row FROM now_{i} EXCEPT ALL SELECT to_jsonb(r) - 'computed_at' FROM {table} AS r) AS extra)
                     + (SELECT count(*) FROM (SELECT to_jsonb(r) - 'computed_at' FROM {table} AS r EXCEPT ALL SELECT row FROM now_{i}) AS missing)
                """))!;
        }
        await transaction.RollbackAsync();
        return difference;
    }

    /// <summary>The SQL of one generated write to what the C-class results read.</summary>
    private static string Sql((int Kind, int A, int B, int C) w)
    {
        var shop = Shops[w.B % Shops.Length];
        var merchant = shop / 10;
        var status = Statuses[w.A % Statuses.Length];
        // Mostly recent days, sometimes far back (the edges of the 90-day, 26-week and 24-month windows).
        var day = w.C < 700 ? $"CURRENT_DATE - {w.C % 40}" : $"CURRENT_DATE - {w.C % 800}";
        var pick = $"order_id % {2 + (w.B % 5)} = {w.A % 2}";
        return w.Kind switch
        {
            // New orders, one line each, on one day of one shop.
            0 or 1 or 2 => $"""
                WITH o AS (
                    INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at, shipped_at)
                    SELECT {merchant}, {day}, {shop}, {(merchant == 1 ? 1001 : 2001)}, 'c-' || md5(random()::text), '{status}', 2, {10 + w.A}, {w.B % 7},
                           ({day})::timestamptz, CASE WHEN {w.A % 2} = 0 THEN ({day})::timestamptz + interval '{1 + (w.B % 50)} hours' END
                    FROM generate_series(1, {1 + (w.A % 3)})
                    RETURNING merchant_id, order_id, order_date)
                INSERT INTO dw.fact_order_items (merchant_id, order_date, order_id, line_no, product_id, quantity, unit_price, unit_cost)
                SELECT merchant_id, order_date, order_id, 1, {(merchant == 1 ? 101 : 201) + (w.C % 2)}, 2, {5 + (w.A % 4)}, 3 FROM o
                """,
            3 => $"UPDATE dw.fact_sales_orders SET status = '{status}' WHERE merchant_id = {merchant} AND {pick}",
            4 => $"UPDATE dw.fact_sales_orders SET shipped_at = ordered_at + interval '{w.C % 90} hours' WHERE merchant_id = {merchant} AND order_id % 4 = {w.A % 4} AND (delivered_at IS NULL OR delivered_at >= ordered_at + interval '{w.C % 90} hours')",
            // Orders move to another day (lines follow by ON UPDATE CASCADE), across weeks and months.
            5 => $"UPDATE dw.fact_sales_orders SET order_date = order_date + {(w.C % 41) - 20} WHERE merchant_id = {merchant} AND order_id % {3 + (w.B % 7)} = {w.A % 3} AND order_date > CURRENT_DATE - 70",
            6 => $"DELETE FROM dw.fact_sales_orders WHERE merchant_id = {merchant} AND order_id % {6 + (w.B % 9)} = {w.A % 5}",
            7 => $"UPDATE dw.fact_order_items SET quantity = quantity + {1 + (w.A % 3)}, unit_price = unit_price + 1 WHERE merchant_id = {merchant} AND {pick}",
            8 => $"UPDATE dw.fact_product_metrics SET stock = CASE WHEN stock = 0 THEN 5 ELSE 0 END WHERE merchant_id = {merchant} AND product_id % 2 = {w.A % 2} AND metric_date > CURRENT_DATE - {w.C % 120}",
            9 => $"UPDATE dw.fact_product_metrics SET listing_status = '{(w.A % 3) switch { 0 => "active", 1 => "out_of_stock", _ => "inactive" }}' WHERE merchant_id = {merchant} AND shop_id = {shop} AND metric_date = {day}",
            10 => $"UPDATE dw.dim_shops SET shop_name = 'Shop {shop} v{w.C}' WHERE shop_id = {shop}",
            // A config change recomputes its merchant in full (ops.config_changed), in between.
            11 => $$"""UPDATE dw.cfg_performance_configs SET weights = weights || '{"gross_margin": {{w.A % 5}}}' WHERE merchant_id = 1""",
            // The first run of another day recomputes everything.
            12 => "UPDATE ops.c_class_state SET computed_for = CURRENT_DATE - 1",
            _ => $"DELETE FROM dw.fact_product_metrics WHERE merchant_id = {merchant} AND shop_id = {shop} AND metric_date = {day}",
        };
    }
}
