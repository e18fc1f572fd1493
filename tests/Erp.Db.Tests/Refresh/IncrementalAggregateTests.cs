using CsCheck;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Views;

namespace Erp.Db.Tests.Refresh;

/// <summary>
/// The incremental aggregates (docs/refresh.md, "Incremental aggregates"): after any mix of
/// inserts, updates, deletes and truncates of what they read and a due refresh, each equals a full
/// recompute (its compute function over every merchant and day), row for row; the statement
/// triggers collapse a write to a few ranges; readers see a bucket before or after its refresh.
/// </summary>
public class IncrementalAggregateTests
{
    private static readonly string[] Aggregates =
    [
        "mart.mv_daily_sales", "mart.mv_weekly_sales", "mart.mv_monthly_sales", "mart.mv_hourly_sales",
        "mart.mv_product_sales_daily", "mart.mv_top_products", "mart.mv_profit_analysis", "mart.mv_product_management",
        "mart.mv_financial_daily", "mart.mv_financial_overview", "mart.mv_inventory_summary", "mart.mv_customer_cohorts",
        "mart.mv_traffic_funnel_daily", "mart.mv_user_activity_daily",
    ];

    private static readonly string[] ReceivableStatuses = ["open", "partially_paid", "paid", "overdue", "written_off", "cancelled"];

    /// <summary>Per-customer aggregates: their compute functions take customers, not days (CustomerAggregateTests compares them).</summary>
    private static readonly string[] PerCustomer = ["mart.mv_customer_segments"];

    private static readonly string[] Statuses = ["pending", "paid", "shipped", "completed", "cancelled", "refunded", "returned"];

    private static readonly int[] Shops = [11, 12, 21, 22];

    /// <summary>One write: a kind and three small numbers that pick rows, days and values.</summary>
    private static readonly Gen<(int Kind, int A, int B, int C)> Write = Gen.Select(Gen.Int[0, 22], Gen.Int[0, 99], Gen.Int[0, 99], Gen.Int[0, 99]);

    [Fact]
    public async Task After_random_writes_and_a_due_refresh_every_incremental_aggregate_equals_a_full_recompute()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        Assert.Equal(Aggregates.Concat(PerCustomer).Order(StringComparer.Ordinal), (await db.ScalarAsync<string>(
            "SELECT string_agg(view_name, ',' ORDER BY view_name) FROM ops.mv_registry WHERE view_kind = 'incremental'"))!.Split(',').Order(StringComparer.Ordinal));

        // One database throughout: each sample writes on top of the previous ones, then refreshes and compares.
        await Write.Array[1, 8].SampleAsync(async writes =>
        {
            var before = await WriteThenRefreshDueAsync(db, writes, everyViewDue: false);
            Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.agg_invalidations"));
            // Only entries of lines dated today or later wait (no window holds them yet).
            Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.agg_product_invalidations WHERE sales_day IS NULL OR sales_day < CURRENT_DATE"));
            Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.product_sales_deltas WHERE view_name = 'mart.mv_top_products' OR sales_date < CURRENT_DATE"));
            foreach (var aggregate in Aggregates)
            {
                Assert.True(await DifferenceAsync(db, aggregate) == 0, $"{aggregate} differs from a full recompute after: {string.Join("; ", writes.Select(Sql))}");
            }
        }, seed: "0N0XIzNsQ0O2", iter: 25, threads: 1, print: w => string.Join("; ", w.Select(Sql)));
    }

    /// <summary>Days back the finance and stock aggregates are made to look computed on: across due dates and the 30-day window.</summary>
    private static readonly Gen<(int DaysBack, (int Kind, int A, int B, int C)[] Writes)> MovedDate = Gen.Select(Gen.Int[1, 45], Write.Where(w => w.Kind != 12 && w.Kind != 22).Array[0, 4]);

    [Fact]
    public async Task When_the_date_moved_a_due_refresh_recomputes_what_fell_due_or_left_the_window_and_equals_a_full_recompute()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        // Receivables due on every day around today, some paid, some not.
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_accounts_receivable (merchant_id, shop_id, invoice_no, amount, received_amount, invoice_date, due_date, status)
            SELECT s.merchant_id, s.shop_id, 'due-' || s.shop_id || '-' || d, 100 + d, d % 3 * 10, CURRENT_DATE - 60 + d, CURRENT_DATE - 50 + d,
                   (ARRAY['open', 'partially_paid', 'overdue', 'paid'])[1 + d % 4]
            FROM dw.dim_shops AS s CROSS JOIN generate_series(0, 60) AS d
            """);
        await db.ExecuteAsync("CALL ops.refresh_due('test')");

        await MovedDate.SampleAsync(async sample =>
        {
            // The tables as a refresh on an earlier day left them (the sales aggregates are not date-bound here).
            await db.ExecuteAsync($"""
                DELETE FROM mart.mv_financial_daily;
                INSERT INTO mart.mv_financial_daily SELECT * FROM mart.mv_financial_daily_rows(NULL, '-infinity', 'infinity', CURRENT_DATE - {sample.DaysBack});
                DELETE FROM mart.mv_financial_overview;
                INSERT INTO mart.mv_financial_overview SELECT * FROM mart.mv_financial_overview_rows(NULL, '-infinity', 'infinity');
                DELETE FROM mart.mv_inventory_summary;
                INSERT INTO mart.mv_inventory_summary SELECT * FROM mart.mv_inventory_summary_rows(NULL, NULL, CURRENT_DATE - {sample.DaysBack});
                UPDATE ops.mv_registry SET as_of_date = CURRENT_DATE - {sample.DaysBack}
                WHERE view_name IN ('mart.mv_financial_daily', 'mart.mv_inventory_summary');
                """);
            Assert.True(await DifferenceAsync(db, "mart.mv_financial_daily") > 0 || await DifferenceAsync(db, "mart.mv_inventory_summary") > 0 || sample.DaysBack > 40,
                "the earlier day's rows should differ from today's");
            // Due or not, the interval refresh runs them; no truncate here, so every one is incremental.
            var before = await WriteThenRefreshDueAsync(db, sample.Writes, everyViewDue: true);
            Assert.Equal("incremental,incremental,incremental", await db.ScalarAsync<string>($"""
                SELECT string_agg(refresh_mode, ',' ORDER BY view_name) FROM ops.mv_refresh_log
                WHERE log_id > {before} AND view_name IN ('mart.mv_financial_daily', 'mart.mv_financial_overview', 'mart.mv_inventory_summary')
                """));
            Assert.Equal(2, await db.ScalarAsync<long>("""
                SELECT count(*) FROM ops.mv_registry
                WHERE view_name IN ('mart.mv_financial_daily', 'mart.mv_inventory_summary') AND as_of_date = CURRENT_DATE
                """));
            foreach (var aggregate in Aggregates)
            {
                Assert.True(await DifferenceAsync(db, aggregate) == 0, $"{aggregate} differs from a full recompute {sample.DaysBack} days on, after: {string.Join("; ", sample.Writes.Select(Sql))}");
            }
        }, seed: "0N0XIzNsQ0O2", iter: 12, threads: 1, print: x => $"{x.DaysBack} days; " + string.Join("; ", x.Writes.Select(Sql)));
    }

    [Fact]
    public async Task Order_lines_dated_today_wait_in_the_log_until_the_stock_window_holds_their_day()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        var stamp = await db.ScalarAsync<string>("SELECT string_agg(xmin::text, ',' ORDER BY merchant_id, product_id) FROM mart.mv_inventory_summary");
        var logged = await db.ScalarAsync<long>("SELECT coalesce(max(invalidation_id), 0) FROM ops.agg_product_invalidations");

        // An order of today and one of yesterday, each with a line of a different product.
        await SalesDataset.AddOrderAsync(db, "today-1", 10);
        await db.ExecuteAsync("""
            WITH o AS (
                INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at)
                VALUES (2, CURRENT_DATE - 1, 21, 2001, 'yesterday-1', 'paid', 3, 30, 9, now() - interval '1 day')
                RETURNING merchant_id, order_id, order_date)
            INSERT INTO dw.fact_order_items (merchant_id, order_date, order_id, line_no, product_id, quantity, unit_price, unit_cost)
            SELECT merchant_id, order_date, order_id, 1, 202, 3, 10, 3 FROM o
            """);
        await db.ExecuteAsync("CALL ops.refresh_due('test')");

        // Today's product (101) waits with its day in the base's deltas (0043: the 30-day sales are
        // summed from mart.mv_product_sales_daily); yesterday's (202) was recomputed.
        Assert.Equal("101", await db.ScalarAsync<string>(
            "SELECT string_agg(DISTINCT product_id::text, ',') FROM ops.product_sales_deltas WHERE view_name = 'mart.mv_inventory_summary' AND sales_date = CURRENT_DATE"));
        Assert.Equal(0, await db.ScalarAsync<long>($"SELECT count(*) FROM ops.agg_product_invalidations WHERE invalidation_id > {logged}"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.agg_product_invalidations WHERE sales_day IS NULL OR sales_day < CURRENT_DATE"));
        Assert.Equal("202", await db.ScalarAsync<string>($"""
            SELECT string_agg(product_id::text, ',') FROM mart.mv_inventory_summary
            WHERE xmin::text <> ALL (string_to_array('{stamp}', ','))
            """));
        Assert.True(await DifferenceAsync(db, "mart.mv_inventory_summary") == 0, "mart.mv_inventory_summary differs from a full recompute");
    }

    [Fact]
    public async Task A_due_refresh_after_one_more_day_recomputes_only_that_day_week_and_month()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        var before = await db.ScalarAsync<long>("SELECT coalesce(max(log_id), 0) FROM ops.mv_refresh_log");

        // 400 orders of one statement, one day, two merchants: two ranges per aggregate reading orders.
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at)
            SELECT s.merchant_id, CURRENT_DATE, s.shop_id, CASE WHEN s.merchant_id = 1 THEN 1001 ELSE 2001 END, 'bulk-' || s.shop_id || '-' || g, 'paid', 1, 10, 4, now()
            FROM dw.dim_shops AS s CROSS JOIN generate_series(1, 100) AS g
            """);
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT count(*) FROM ops.agg_invalidations WHERE view_name = 'mart.mv_daily_sales'"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.agg_invalidations WHERE view_name = 'mart.mv_daily_sales' AND (first_day <> CURRENT_DATE OR last_day <> CURRENT_DATE)"));

        await db.ExecuteAsync("CALL ops.refresh_due('test')");

        var modes = await db.ScalarAsync<string>($"""
            SELECT string_agg(view_name || '=' || refresh_mode, ',' ORDER BY view_name) FROM ops.mv_refresh_log
            WHERE log_id > {before} AND view_name IN ('mart.mv_daily_sales', 'mart.mv_weekly_sales', 'mart.mv_monthly_sales', 'mart.mv_profit_analysis')
            """);
        Assert.Equal("mart.mv_daily_sales=incremental,mart.mv_monthly_sales=incremental,mart.mv_profit_analysis=incremental,mart.mv_weekly_sales=incremental", modes);
        Assert.Equal(await db.ScalarAsync<decimal>("SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE dw.is_valid_sale(status)"),
            await db.ScalarAsync<decimal>("SELECT sum(gmv_cny) FROM mart.mv_monthly_sales"));
        foreach (var aggregate in Aggregates)
        {
            Assert.Equal(0, await DifferenceAsync(db, aggregate));
        }
    }

    [Fact]
    public async Task A_due_refresh_first_analyzes_the_partitions_a_day_of_orders_changed_so_it_plans_with_their_real_rows()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await db.ExecuteAsync("ANALYZE dw.fact_sales_orders");
        // 400 orders of a day the statistics have never seen (dated tomorrow), the write counts flushed at once
        // (a writer's counts reach them within seconds).
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at)
            SELECT s.merchant_id, CURRENT_DATE + 1, s.shop_id, CASE WHEN s.merchant_id = 1 THEN 1001 ELSE 2001 END, 'day-' || s.shop_id || '-' || g, 'paid', 1, 10, 4, now()
            FROM dw.dim_shops AS s CROSS JOIN generate_series(1, 100) AS g;
            SELECT pg_catalog.pg_stat_force_next_flush();
            """);
        var stale = await db.EstimatedRowsAsync("SELECT * FROM dw.fact_sales_orders WHERE order_date = CURRENT_DATE + 1");
        Assert.True(stale < 100, $"the statistics should not know the new orders yet, estimated {stale}");

        await db.ExecuteAsync("CALL ops.refresh_due('test')");

        Assert.True(await db.EstimatedRowsAsync("SELECT * FROM dw.fact_sales_orders WHERE order_date = CURRENT_DATE + 1") > 300, "the due refresh should have analysed the partition");
        Assert.Equal(0, await db.ScalarAsync<int>("SELECT ops.analyze_changed_partitions()"));
    }

    [Fact]
    public async Task Readers_see_the_old_buckets_until_the_refresh_commits_and_are_never_blocked()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        var gmv = "SELECT sum(gmv_cny) FROM mart.mv_daily_sales";
        var before = await db.ScalarAsync<decimal>(gmv);
        await SalesDataset.AddOrderAsync(db, "late-1", 250m);
        await using var refresher = await db.DataSource.OpenConnectionAsync();
        await using var reader = await db.DataSource.OpenConnectionAsync();
        await new Npgsql.NpgsqlCommand("SET lock_timeout = '2s'", reader).ExecuteNonQueryAsync();

        await using (var transaction = await refresher.BeginTransactionAsync())
        {
            await new Npgsql.NpgsqlCommand("SELECT ops.refresh_view('mart.mv_daily_sales', 'test')", refresher, transaction).ExecuteNonQueryAsync();
            Assert.Equal(before, await new Npgsql.NpgsqlCommand(gmv, reader).ExecuteScalarAsync());
            await transaction.CommitAsync();
        }

        Assert.Equal(before + 250m, await new Npgsql.NpgsqlCommand(gmv, reader).ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_full_refresh_rebuilds_every_row_and_a_truncate_makes_the_next_refresh_full()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        var before = await db.ScalarAsync<long>("SELECT coalesce(max(log_id), 0) FROM ops.mv_refresh_log");

        await db.ExecuteAsync("SELECT ops.refresh_view('mart.mv_weekly_sales', 'test', true)");
        await db.ExecuteAsync("TRUNCATE dw.fact_order_items");
        await db.ExecuteAsync("SELECT ops.refresh_view('mart.mv_product_sales_daily', 'test')");

        Assert.Equal("full,full", await db.ScalarAsync<string>($"SELECT string_agg(refresh_mode, ',' ORDER BY log_id) FROM ops.mv_refresh_log WHERE log_id > {before}"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM mart.mv_product_sales_daily"));
        // The base's full rebuild invalidated everything of the aggregate built on it.
        Assert.Equal(1, await db.ScalarAsync<long>(
            "SELECT count(*) FROM ops.agg_invalidations WHERE view_name = 'mart.mv_top_products' AND merchant_id IS NULL AND first_day = '-infinity' AND last_day = 'infinity'"));
    }

    [Fact]
    public async Task A_due_refresh_after_one_more_day_adds_its_deltas_to_the_top_products_and_stock_rows_of_that_day_products()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        var stamp = await db.ScalarAsync<string>("SELECT string_agg(xmin::text, ',' ORDER BY merchant_id, window_days, product_id) FROM mart.mv_top_products");
        var stockStamp = await db.ScalarAsync<string>("SELECT string_agg(xmin::text, ',' ORDER BY merchant_id, product_id) FROM mart.mv_inventory_summary");
        var units = await db.ScalarAsync<long>("SELECT units_sold_30d FROM mart.mv_inventory_summary WHERE product_id = 101");
        var before = await db.ScalarAsync<long>("SELECT coalesce(max(log_id), 0) FROM ops.mv_refresh_log");

        // One more day: orders of yesterday, one line each of product 101 (shop 11) and of a product
        // that had no sale yet (203, shop 21): its rows appear.
        await db.ExecuteAsync("""
            INSERT INTO dw.dim_products (product_id, merchant_id, sku, product_name, category_id, brand, unit_cost, safety_stock)
            VALUES (203, 2, 'SKU-203', 'Newcomer', 2, 'Acme', 3, 2);
            WITH o AS (
                INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at)
                SELECT s.merchant_id, CURRENT_DATE - 1, s.shop_id, CASE WHEN s.merchant_id = 1 THEN 1001 ELSE 2001 END, 'day-' || s.shop_id || '-' || g, 'paid', 2, 20, 6, now() - interval '1 day'
                FROM dw.dim_shops AS s CROSS JOIN generate_series(1, 3) AS g WHERE s.shop_id IN (11, 21)
                RETURNING merchant_id, order_id, order_date)
            INSERT INTO dw.fact_order_items (merchant_id, order_date, order_id, line_no, product_id, quantity, unit_price, unit_cost)
            SELECT merchant_id, order_date, order_id, 1, CASE WHEN merchant_id = 1 THEN 101 ELSE 203 END, 2, 10, 3 FROM o
            """);
        await db.ExecuteAsync("CALL ops.refresh_due('test')");

        Assert.Equal("incremental", await db.ScalarAsync<string>(
            $"SELECT string_agg(refresh_mode, ',') FROM ops.mv_refresh_log WHERE log_id > {before} AND view_name = 'mart.mv_top_products'"));
        Assert.Equal(0, await DifferenceAsync(db, "mart.mv_top_products"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.product_sales_deltas"));
        // Only the rows of the two products sold that day were written (three windows each).
        Assert.Equal("101/7,101/30,101/90,203/7,203/30,203/90", await db.ScalarAsync<string>($"""
            SELECT string_agg(product_id || '/' || window_days, ',' ORDER BY product_id, window_days) FROM mart.mv_top_products
            WHERE xmin::text <> ALL (string_to_array('{stamp}', ','))
            """));
        Assert.Equal("SKU-203 Newcomer 6", await db.ScalarAsync<string>(
            "SELECT sku || ' ' || product_name || ' ' || units_sold FROM mart.mv_top_products WHERE product_id = 203 AND window_days = 7"));

        // Stock: the day's deltas added to the 30-day sales of the one stocked product sold (101;
        // 203 has no stock, so no row), nothing recomputed from the base.
        Assert.Equal("incremental", await db.ScalarAsync<string>(
            $"SELECT string_agg(refresh_mode, ',') FROM ops.mv_refresh_log WHERE log_id > {before} AND view_name = 'mart.mv_inventory_summary'"));
        Assert.Equal(0, await DifferenceAsync(db, "mart.mv_inventory_summary"));
        Assert.Equal($"101:{units + 6}", await db.ScalarAsync<string>($"""
            SELECT string_agg(product_id || ':' || units_sold_30d, ',') FROM mart.mv_inventory_summary
            WHERE xmin::text <> ALL (string_to_array('{stockStamp}', ','))
            """));
    }

    [Fact]
    public async Task A_dependant_refresh_waits_for_a_base_refresh_in_flight_and_applies_its_deltas_once()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await SalesDataset.AddOrderAsync(db, "in-flight-1", 80m);
        await db.ExecuteAsync("UPDATE dw.fact_sales_orders SET order_date = CURRENT_DATE - 1 WHERE order_no = 'in-flight-1'");
        // Its stock changed too: the stock refresh recomputes product 101 from the base, so it must
        // not add the base's deltas for it later on top (they are consumed whole, not by snapshot).
        await db.ExecuteAsync("UPDATE dw.fact_inventory SET quantity_incoming = quantity_incoming + 1 WHERE product_id = 101");
        await using var baseRefresher = await db.DataSource.OpenConnectionAsync();
        await using var topRefresher = await db.DataSource.OpenConnectionAsync();
        await using var stockRefresher = await db.DataSource.OpenConnectionAsync();

        // The base's refresh has written its rows and deltas but not committed: the dependants'
        // refreshes (their snapshots taken before) wait for it at the SHARE lock on the base.
        Task top, stock;
        await using (var transaction = await baseRefresher.BeginTransactionAsync())
        {
            await new Npgsql.NpgsqlCommand("SELECT ops.refresh_view('mart.mv_product_sales_daily', 'test')", baseRefresher, transaction).ExecuteNonQueryAsync();
            top = new Npgsql.NpgsqlCommand("SELECT ops.refresh_view('mart.mv_top_products', 'test')", topRefresher).ExecuteNonQueryAsync();
            stock = new Npgsql.NpgsqlCommand("SELECT ops.refresh_view('mart.mv_inventory_summary', 'test')", stockRefresher).ExecuteNonQueryAsync();
            await Task.Delay(1000);
            Assert.False(top.IsCompleted || stock.IsCompleted, "the dependants' refreshes should wait for the base's refresh to commit");
            await transaction.CommitAsync();
        }
        await Task.WhenAll(top, stock);

        // It read and consumed the deltas committed while it waited: a later refresh adds nothing twice.
        await db.ExecuteAsync("SELECT ops.refresh_view('mart.mv_top_products', 'test'), ops.refresh_view('mart.mv_inventory_summary', 'test')");
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.product_sales_deltas WHERE sales_date < CURRENT_DATE"));
        Assert.Equal(0, await DifferenceAsync(db, "mart.mv_top_products"));
        Assert.Equal(0, await DifferenceAsync(db, "mart.mv_inventory_summary"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_refresh_log WHERE status <> 'succeeded'"));
    }

    /// <summary>Days back top products are made to look computed on (up to past the 90-day window), and writes to what its base reads.</summary>
    private static readonly Gen<(int DaysBack, (int Kind, int A, int B, int C)[] Writes)> TopProductsDay =
        Gen.Select(Gen.Int[0, 100], Write.Where(w => w.Kind <= 6 || w.Kind == 10).Array[0, 5]);

    [Fact]
    public async Task Top_products_follow_deltas_of_updated_deleted_and_moved_lines_and_a_moved_date_and_equal_a_full_recompute()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        // Sales around the edges of the windows: 6 to 8, 29 to 31 and 89 to 120 days back.
        await db.ExecuteAsync("""
            WITH o AS (
                INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at)
                SELECT s.merchant_id, CURRENT_DATE - d, s.shop_id, CASE WHEN s.merchant_id = 1 THEN 1001 ELSE 2001 END, 'edge-' || s.shop_id || '-' || d, 'paid', 1, 10 + d, 4, now() - d * interval '1 day'
                FROM dw.dim_shops AS s CROSS JOIN (SELECT * FROM generate_series(6, 8) UNION ALL SELECT * FROM generate_series(29, 31)
                                                   UNION ALL SELECT * FROM generate_series(89, 120, 3)) AS g (d)
                RETURNING merchant_id, order_id, order_date)
            INSERT INTO dw.fact_order_items (merchant_id, order_date, order_id, line_no, product_id, quantity, unit_price, unit_cost)
            SELECT merchant_id, order_date, order_id, 1, CASE WHEN merchant_id = 1 THEN 101 ELSE 202 END, 1 + order_id % 3, 7, 2 FROM o
            """);
        await db.ExecuteAsync("CALL ops.refresh_due('test')");

        await TopProductsDay.SampleAsync(async sample =>
        {
            // The table as a refresh sample.DaysBack days ago left it (the base is current).
            await db.ExecuteAsync($"""
                DELETE FROM mart.mv_top_products;
                INSERT INTO mart.mv_top_products SELECT * FROM mart.mv_top_products_rows(NULL, '-infinity', 'infinity', CURRENT_DATE - {sample.DaysBack});
                """);
            var before = await WriteThenRefreshDueAsync(db, sample.Writes, everyViewDue: true);
            Assert.Equal(sample.DaysBack >= 90 ? "full" : "incremental", await db.ScalarAsync<string>(
                $"SELECT string_agg(refresh_mode, ',') FROM ops.mv_refresh_log WHERE log_id > {before} AND view_name = 'mart.mv_top_products'"));
            Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.product_sales_deltas WHERE view_name = 'mart.mv_top_products'"));
            Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM mart.mv_top_products WHERE window_end <> CURRENT_DATE"));
            Assert.True(await DifferenceAsync(db, "mart.mv_top_products") == 0,
                $"mart.mv_top_products differs from a full recompute {sample.DaysBack} days on, after: {string.Join("; ", sample.Writes.Select(Sql))}");
        }, seed: "0N0XIzNsQ0O2", iter: 25, threads: 1, print: x => $"{x.DaysBack} days; " + string.Join("; ", x.Writes.Select(Sql)));
    }

    /// <summary>
    /// Applies <paramref name="writes"/>, runs the due refresh (every view made due first when <paramref name="everyViewDue"/>) and
    /// checks that none of its refreshes failed; returns the last refresh log id from before them.
    /// </summary>
    private static async Task<long> WriteThenRefreshDueAsync(TestDatabase db, IEnumerable<(int Kind, int A, int B, int C)> writes, bool everyViewDue)
    {
        var before = await db.ScalarAsync<long>("SELECT coalesce(max(log_id), 0) FROM ops.mv_refresh_log");
        foreach (var write in writes)
        {
            await db.ExecuteAsync(Sql(write));
        }
        if (everyViewDue)
        {
            await db.ExecuteAsync("UPDATE ops.mv_registry SET last_success_at = now() - interval '1 day'");
        }
        await db.ExecuteAsync("CALL ops.refresh_due('test')");
        Assert.Equal(0, await db.ScalarAsync<long>($"SELECT count(*) FROM ops.mv_refresh_log WHERE log_id > {before} AND status <> 'succeeded'"));
        return before;
    }

    /// <summary>Rows in the aggregate but not in a full recompute, plus the other way round (duplicates counted).</summary>
    private static async Task<long> DifferenceAsync(TestDatabase db, string aggregate)
    {
        var compute = aggregate == "mart.mv_inventory_summary" ? aggregate + "_rows(NULL, NULL)" : aggregate + "_rows(NULL, '-infinity', 'infinity')";
        return await db.ScalarAsync<long>($"""
            SELECT (SELECT count(*) FROM (TABLE {aggregate} EXCEPT ALL SELECT * FROM {compute}) AS extra)
                 + (SELECT count(*) FROM (SELECT * FROM {compute} EXCEPT ALL TABLE {aggregate}) AS missing)
            """);
    }

    /// <summary>The SQL of one generated write to the facts or dimensions the aggregates read.</summary>
    private static string Sql((int Kind, int A, int B, int C) w)
    {
        var shop = Shops[w.B % Shops.Length];
        var merchant = shop / 10;
        var status = Statuses[w.A % Statuses.Length];
        var day = $"CURRENT_DATE - {w.C % 75}";
        var pick = $"order_id % {2 + (w.B % 5)} = {w.A % 2}";
        var product = (merchant == 1 ? 101 : 201) + (w.C % 2);
        return w.Kind switch
        {
            // New orders, one line each, on one day of one shop.
            0 or 1 => $"""
                WITH o AS (
                    INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at)
                    SELECT {merchant}, {day}, {shop}, {(merchant == 1 ? 1001 : 2001)}, 'g-' || md5(random()::text), '{status}', 2, {10 + w.A}, {w.B % 7}, now()
                    FROM generate_series(1, {1 + (w.A % 3)})
                    RETURNING merchant_id, order_id, order_date)
                INSERT INTO dw.fact_order_items (merchant_id, order_date, order_id, line_no, product_id, quantity, unit_price, unit_cost)
                SELECT merchant_id, order_date, order_id, 1, {(merchant == 1 ? 101 : 201) + (w.C % 2)}, 2, {5 + (w.A % 4)}, 3 FROM o
                """,
            2 => $"UPDATE dw.fact_sales_orders SET status = '{status}' WHERE merchant_id = {merchant} AND {pick}",
            // Orders move to another day (lines follow by ON UPDATE CASCADE), across weeks and months.
            3 => $"UPDATE dw.fact_sales_orders SET order_date = order_date + {(w.C % 41) - 20} WHERE merchant_id = {merchant} AND order_id % {3 + (w.B % 7)} = {w.A % 3} AND order_date > CURRENT_DATE - 70",
            4 => $"DELETE FROM dw.fact_sales_orders WHERE merchant_id = {merchant} AND order_id % {5 + (w.B % 9)} = {w.A % 5}",
            5 => $"UPDATE dw.fact_order_items SET quantity = quantity + {1 + (w.A % 3)}, unit_price = unit_price + 1 WHERE merchant_id = {merchant} AND {pick}",
            6 => $"DELETE FROM dw.fact_order_items WHERE merchant_id = {merchant} AND order_id % {4 + (w.B % 6)} = {w.A % 4}",
            7 => $"INSERT INTO dw.fact_expenses (merchant_id, expense_date, shop_id, category, amount) VALUES ({merchant}, {day}, {shop}, 'advertising', {w.A + 1})",
            8 => $"UPDATE dw.fact_expenses SET amount = amount + {w.A}, expense_date = expense_date - {w.C % 35} WHERE merchant_id = {merchant} AND expense_id % 3 = {w.B % 3}",
            9 => $"DELETE FROM dw.fact_expenses WHERE merchant_id = {merchant} AND expense_id % 4 = {w.B % 4} AND order_id IS NULL",
            10 => (w.A % 3) switch
            {
                0 => $"UPDATE dw.dim_shops SET shop_name = 'Shop {shop} v{w.C}' WHERE shop_id = {shop}",
                1 => $"UPDATE dw.dim_products SET product_name = 'Product v{w.C}' WHERE merchant_id = {merchant} AND product_id = {(merchant == 1 ? 101 : 201) + (w.C % 2)}",
                _ => $"UPDATE dw.dim_merchants SET timezone = '{(w.C % 2 == 0 ? "UTC" : "Asia/Shanghai")}' WHERE merchant_id = {merchant}",
            },
            // An unchanged upsert of a dimension logs nothing; a real change logs its merchant.
            11 => $"UPDATE dw.dim_shops SET shop_name = shop_name WHERE merchant_id = {merchant}",
            // Listing metrics and categories (mart.mv_product_management): a changed day, a category
            // renamed, or a listing's latest day deleted (its previous day becomes the latest).
            13 => $"UPDATE dw.fact_product_metrics SET sales_volume = sales_volume + 1, price = price + {w.A % 5} WHERE merchant_id = {merchant} AND metric_date > CURRENT_DATE - {w.C}",
            14 => (w.A % 2) switch
            {
                0 => $"UPDATE dw.dim_categories SET category_name = 'Category v{w.C}' WHERE merchant_id = {merchant}",
                _ => $"DELETE FROM dw.fact_product_metrics WHERE merchant_id = {merchant} AND shop_id = {shop} AND metric_date = (SELECT max(metric_date) FROM dw.fact_product_metrics WHERE merchant_id = {merchant} AND shop_id = {shop})",
            },
            // Receivables (mart.mv_financial_daily): new ones due before or after today, status,
            // due date, payment and invoice date changes, deletes.
            15 => $"""
                INSERT INTO dw.fact_accounts_receivable (merchant_id, shop_id, invoice_no, amount, received_amount, invoice_date, due_date, status)
                SELECT {merchant}, {shop}, 'g-' || md5(random()::text), {100 + w.A} + g, {w.B % 50}, {day}, {day} + {w.A % 60} + g, '{ReceivableStatuses[w.B % ReceivableStatuses.Length]}'
                FROM generate_series(0, {w.C % 3}) AS g
                """,
            16 => $"UPDATE dw.fact_accounts_receivable SET status = '{ReceivableStatuses[w.A % ReceivableStatuses.Length]}' WHERE merchant_id = {merchant} AND receivable_id % 3 = {w.B % 3}",
            17 => $"""
                UPDATE dw.fact_accounts_receivable
                SET invoice_date = invoice_date - {w.C % 5}, due_date = GREATEST(invoice_date - {w.C % 5}, due_date + {(w.C % 21) - 10}),
                    received_amount = LEAST(amount, received_amount + {w.A % 30})
                WHERE merchant_id = {merchant} AND receivable_id % 2 = {w.B % 2}
                """,
            18 => $"""
                DELETE FROM dw.fact_accounts_receivable AS r WHERE r.merchant_id = {merchant} AND r.receivable_id % 4 = {w.B % 4}
                  AND NOT EXISTS (SELECT 1 FROM dw.fact_payment_receipts AS p WHERE p.merchant_id = r.merchant_id AND p.receivable_id = r.receivable_id)
                """,
            19 => (w.A % 3) switch
            {
                0 => $"INSERT INTO dw.fact_payment_receipts (merchant_id, receipt_date, received_at, amount) VALUES ({merchant}, {day}, now(), {w.B + 1})",
                1 => $"UPDATE dw.fact_payment_receipts SET amount = amount + 1, receipt_date = receipt_date - {w.C % 10} WHERE merchant_id = {merchant}",
                _ => $"DELETE FROM dw.fact_payment_receipts WHERE merchant_id = {merchant} AND receipt_id % 3 = {w.B % 3}",
            },
            // Stock (mart.mv_inventory_summary): quantities, a warehouse added or removed.
            20 => (w.A % 3) switch
            {
                0 => $"UPDATE dw.fact_inventory SET quantity_on_hand = quantity_on_hand + {w.C % 20}, quantity_incoming = {w.B % 9}, safety_stock = {w.C % 30}, average_unit_cost = average_unit_cost + {w.A % 3} WHERE merchant_id = {merchant} AND product_id = {product}",
                1 => $"INSERT INTO dw.fact_inventory (merchant_id, product_id, warehouse_code, quantity_on_hand, quantity_reserved, quantity_incoming, safety_stock, average_unit_cost) VALUES ({merchant}, {product}, 'w{w.C % 4}', {w.A}, 0, {w.B % 5}, {w.C % 10}, {w.B % 13}) ON CONFLICT DO NOTHING",
                _ => $"DELETE FROM dw.fact_inventory WHERE merchant_id = {merchant} AND product_id = {product} AND warehouse_code <> 'default'",
            },
            // Products and categories: a brand, a new category for a product, a new product with stock.
            21 => (w.A % 3) switch
            {
                0 => $"UPDATE dw.dim_products SET brand = 'Brand {w.C % 3}', sku = sku WHERE merchant_id = {merchant} AND product_id = {product}",
                1 => $"""
                    INSERT INTO dw.dim_categories (category_id, merchant_id, category_code, category_name, path)
                    VALUES ({merchant * 100 + w.C % 3}, {merchant}, 'c{merchant * 100 + w.C % 3}', 'Cat {w.C % 3}', 'c{w.C % 3}') ON CONFLICT DO NOTHING;
                    UPDATE dw.dim_products SET category_id = {merchant * 100 + w.C % 3} WHERE merchant_id = {merchant} AND product_id = {product}
                    """,
                _ => $"""
                    WITH p AS (
                        INSERT INTO dw.dim_products (merchant_id, sku, product_name, category_id, brand, unit_cost, safety_stock)
                        VALUES ({merchant}, 'g-' || md5(random()::text), 'New', {merchant}, 'Acme', 3, 2) RETURNING merchant_id, product_id)
                    INSERT INTO dw.fact_inventory (merchant_id, product_id, warehouse_code, quantity_on_hand, quantity_reserved, quantity_incoming, safety_stock, average_unit_cost)
                    SELECT merchant_id, product_id, 'default', {w.B % 7}, 0, {w.C % 3}, 2, 3 FROM p
                    """,
            },
            _ => (w.A % 6) switch
            {
                0 => "TRUNCATE dw.fact_order_items",
                1 => "TRUNCATE dw.fact_sales_orders CASCADE",
                2 => "TRUNCATE dw.fact_expenses",
                3 => "TRUNCATE dw.fact_inventory CASCADE",
                4 => "TRUNCATE dw.fact_payment_receipts CASCADE",
                _ => "TRUNCATE dw.fact_accounts_receivable CASCADE",
            },
        };
    }
}
