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
        "mart.mv_customer_cohorts",
    ];

    /// <summary>Per-customer aggregates: their compute functions take customers, not days (CustomerAggregateTests compares them).</summary>
    private static readonly string[] PerCustomer = ["mart.mv_customer_segments"];

    private static readonly string[] Statuses = ["pending", "paid", "shipped", "completed", "cancelled", "refunded", "returned"];

    private static readonly int[] Shops = [11, 12, 21, 22];

    /// <summary>One write: a kind and three small numbers that pick rows, days and values.</summary>
    private static readonly Gen<(int Kind, int A, int B, int C)> Write = Gen.Select(Gen.Int[0, 14], Gen.Int[0, 99], Gen.Int[0, 99], Gen.Int[0, 99]);

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
            var before = await db.ScalarAsync<long>("SELECT coalesce(max(log_id), 0) FROM ops.mv_refresh_log");
            foreach (var write in writes)
            {
                await db.ExecuteAsync(Sql(write));
            }
            await db.ExecuteAsync("CALL ops.refresh_due('test')");

            Assert.Equal(0, await db.ScalarAsync<long>($"SELECT count(*) FROM ops.mv_refresh_log WHERE log_id > {before} AND status <> 'succeeded'"));
            Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.agg_invalidations"));
            foreach (var aggregate in Aggregates)
            {
                Assert.True(await DifferenceAsync(db, aggregate) == 0, $"{aggregate} differs from a full recompute after: {string.Join("; ", writes.Select(Sql))}");
            }
        }, seed: "0N0XIzNsQ0O2", iter: 25, threads: 1, print: w => string.Join("; ", w.Select(Sql)));
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

    /// <summary>Rows in the aggregate but not in a full recompute, plus the other way round (duplicates counted).</summary>
    private static async Task<long> DifferenceAsync(TestDatabase db, string aggregate)
    {
        var compute = aggregate + "_rows(NULL, '-infinity', 'infinity')";
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
            _ => (w.A % 3) switch
            {
                0 => "TRUNCATE dw.fact_order_items",
                1 => "TRUNCATE dw.fact_sales_orders CASCADE",
                _ => "TRUNCATE dw.fact_expenses",
            },
        };
    }
}
