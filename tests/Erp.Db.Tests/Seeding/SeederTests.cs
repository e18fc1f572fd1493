using Erp.Db.Refresh;
using Erp.Db.Seeding;
using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.Seeding;

/// <summary>
/// The seeder. The tests that only read a seed of <see cref="Small"/> read the shared one (<see cref="SmallSeed"/>); those that
/// seed other sizes, or seed twice, get a database of their own.
/// </summary>
[Collection(SharesSmallSeed.Name)]
public class SeederTests(SmallSeed seed)
{
    internal static readonly SeedOptions Small = new() { Orders = 2_000, EndDate = new DateOnly(2025, 12, 31) };

    [Fact]
    public async Task Seed_loads_every_table_reports_the_rows_and_moves_the_identities_past_them()
    {
        var db = seed.Db;
        var report = seed.Report;

        Assert.Equal(17, report.Tables.Count);
        Assert.All(report.Tables, t => Assert.True(t.Rows > 0, $"{t.Table} is empty"));
        // The report counts the rows loaded; posting adds the order movements.
        string[] posted = ["dw.fact_inventory_transactions"];
        foreach (var table in report.Tables)
        {
            var rows = await db.ScalarAsync<long>($"SELECT count(*) FROM {table.Table}");
            Assert.True(posted.Contains(table.Table) ? rows > table.Rows : rows == table.Rows, $"{table.Table}: {rows} rows, {table.Rows} loaded");
        }
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_accounts_receivable") > 0);
        Assert.Equal(2_000, report.Tables.Single(t => t.Table == "dw.fact_sales_orders").Rows);
        Assert.Equal(new DateOnly(2025, 1, 1), report.StartDate);
        Assert.True(report.RowsPerSecond > 0);
        // New rows from apps get fresh ids after the seeded ones (rolled back: the seed is shared).
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO dw.dim_merchants (merchant_code, merchant_name) VALUES ('new', 'New') RETURNING merchant_id", connection, transaction);
            Assert.Equal(3L, await insert.ExecuteScalarAsync());
            await transaction.RollbackAsync();
        }
        // Orders sit in their monthly partitions, none in the DEFAULT partition.
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders_default"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_catalog.pg_constraint WHERE connamespace = 'dw'::regnamespace AND NOT convalidated"));
    }

    [Fact]
    public async Task Seed_refreshes_the_views_itself_unless_told_not_to()
    {
        await using var refreshed = await TestDatabase.CreateMigratedAsync();
        await using var left = await TestDatabase.CreateMigratedAsync();
        const string liveOrders = "SELECT count(*) FROM dw.fact_sales_orders WHERE status NOT IN ('cancelled', 'refunded', 'returned')";
        const string viewOrders = "SELECT coalesce(sum(order_count), 0)::bigint FROM mart.mv_daily_sales";

        var report = await new Seeder(refreshed.DataSource).SeedAsync(Small with { Orders = 300, Days = 60 });
        var noRefresh = await new Seeder(left.DataSource).SeedAsync(Small with { Orders = 300, Days = 60, RefreshViews = false });

        Assert.True(await refreshed.ScalarAsync<long>(liveOrders) > 0);
        Assert.Equal(await refreshed.ScalarAsync<long>(liveOrders), await refreshed.ScalarAsync<long>(viewOrders));
        Assert.Contains(report.Refreshed, r => r.View == "mart.mv_daily_sales" && r.Status == RefreshStatus.Succeeded && r.Trigger == "seed");
        Assert.DoesNotContain(report.Refreshed, r => r.Status == RefreshStatus.Failed);
        Assert.Equal(report.Refreshed.Count, await refreshed.ScalarAsync<long>("SELECT count(*) FROM ops.mv_refresh_log WHERE refresh_trigger = 'seed'"));

        Assert.Empty(noRefresh.Refreshed);
        Assert.Equal(0L, await left.ScalarAsync<long>(viewOrders));
        Assert.Equal(0L, await left.ScalarAsync<long>("SELECT count(*) FROM ops.mv_refresh_log WHERE refresh_trigger = 'seed'"));
    }

    [Fact]
    public async Task The_foreign_keys_dropped_for_the_load_come_back_validated_under_the_same_names()
    {
        // Before: a copy of the template the shared seed's database was copied from, as that one was before its seed.
        await using var unseeded = await TestDatabase.CreateMigratedAsync();
        const string keys = """
            SELECT string_agg(format('%s %s %s %s', con.conrelid::regclass, con.conname, con.convalidated, pg_get_constraintdef(con.oid)), E'\n'
                              ORDER BY con.conrelid::regclass::text, con.conname)
              FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class r ON r.oid = con.confrelid
             WHERE con.contype = 'f' AND c.relnamespace = 'dw'::regnamespace AND c.relname LIKE 'fact\_%'
               -- PostgreSQL's internal clones towards each referenced partition are numbered as they are created.
               AND NOT r.relispartition
            """;
        var before = await unseeded.ScalarAsync<string>(keys);

        Assert.Equal(before, await seed.Db.ScalarAsync<string>(keys));
        Assert.Contains("fact_inventory_product_fkey", before);
    }

    [Fact]
    public async Task Seeded_data_has_the_shapes_the_views_need()
    {
        var db = seed.Db;

        // Inventory: some low (0 < available <= safety stock), some out of stock, most healthy.
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_inventory WHERE quantity_available > 0 AND quantity_available <= safety_stock") >= 5);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_inventory WHERE quantity_available = 0") >= 3);
        Assert.True(await db.ScalarAsync<bool>("SELECT avg((quantity_available > safety_stock)::int) > 0.7 FROM dw.fact_inventory"));

        // Receivables: some past due with money outstanding, most paid, receipts match.
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_accounts_receivable WHERE status = 'overdue' AND due_date < DATE '2025-12-31' AND outstanding_amount > 0") >= 3);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_accounts_receivable WHERE status = 'paid' AND outstanding_amount = 0") >= 50);
        // ... and some invoiced late in the range not yet due at its end: the shops' settlement term is longer than the
        // weeks the platform takes to invoice, so not every unpaid receivable is born overdue.
        Assert.True(await db.ScalarAsync<long>("""
            SELECT count(*) FROM dw.fact_accounts_receivable
            WHERE outstanding_amount > 0 AND due_date > (SELECT max(order_date) FROM dw.fact_sales_orders)
            """) >= 3);
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM dw.fact_accounts_receivable AS r
            WHERE r.received_amount <> coalesce((SELECT sum(p.amount) FROM dw.fact_payment_receipts AS p
                                                 WHERE p.merchant_id = r.merchant_id AND p.receivable_id = r.receivable_id), 0)
            """));

        // Customers: repeat buyers, churned ones (no order in the last 90 days), VIPs who spend far more.
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM (SELECT customer_id FROM dw.fact_sales_orders WHERE customer_id IS NOT NULL GROUP BY 1 HAVING count(*) >= 2) AS x") >= 100);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM (SELECT customer_id FROM dw.fact_sales_orders WHERE customer_id IS NOT NULL GROUP BY 1 HAVING count(*) >= 8) AS x") >= 3);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM (SELECT customer_id FROM dw.fact_sales_orders WHERE customer_id IS NOT NULL GROUP BY 1 HAVING max(order_date) < DATE '2025-12-31' - 90) AS x") >= 50);
        Assert.True(await db.ScalarAsync<bool>("""
            WITH spend AS (SELECT customer_id, sum(gmv_cny) AS gmv, ntile(20) OVER (ORDER BY sum(gmv_cny) DESC) AS bucket
                           FROM dw.fact_sales_orders WHERE customer_id IS NOT NULL AND status <> 'cancelled' GROUP BY 1)
            SELECT sum(gmv) FILTER (WHERE bucket = 1) > 0.15 * sum(gmv) FROM spend
            """));
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM dw.dim_customers AS c JOIN dw.dim_user_levels AS l USING (user_level_id) WHERE l.level_code IN ('platinum', 'diamond')") >= 1);
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM dw.dim_customers AS c
            WHERE c.first_order_date IS DISTINCT FROM (SELECT min(o.order_date) FROM dw.fact_sales_orders AS o WHERE o.merchant_id = c.merchant_id AND o.customer_id = c.customer_id)
            """));

        // Orders: on the four platforms of the default shops, in several currencies, mostly completed.
        Assert.Equal(["amazon", "lazada", "shopee", "tiktok"], await ListAsync(db, "SELECT DISTINCT p.platform_code FROM dw.fact_sales_orders AS o JOIN dw.dim_shops AS s USING (merchant_id, shop_id) JOIN dw.dim_platforms AS p USING (platform_id) ORDER BY 1"));
        Assert.True(await db.ScalarAsync<long>("SELECT count(DISTINCT currency_code) FROM dw.fact_sales_orders") >= 3);
        Assert.True(await db.ScalarAsync<bool>("SELECT avg((status = 'completed')::int) > 0.75 FROM dw.fact_sales_orders"));
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE status = 'cancelled'") >= 20);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE status IN ('refunded', 'returned')") >= 20);
        Assert.True(await db.ScalarAsync<bool>("SELECT avg(is_invoiced::int) > 0.5 AND avg(is_paid::int) > 0.5 FROM dw.fact_sales_orders WHERE status = 'completed'"));
        // Every order's totals are the sums of its lines; every line count is 1..5.
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM dw.fact_sales_orders AS o
            JOIN (SELECT merchant_id, order_id, order_date, sum(amount) AS amount, sum(cost_amount) AS cost, sum(quantity) AS units, count(*) AS lines
                  FROM dw.fact_order_items GROUP BY 1, 2, 3) AS i USING (merchant_id, order_id, order_date)
            WHERE o.gmv <> i.amount OR o.cost_amount_cny <> i.cost OR o.item_count <> i.units OR i.lines NOT BETWEEN 1 AND 5
            """));

        // Seasonality: weekends busier than weekdays, 11.11 far above an average day.
        Assert.True(await db.ScalarAsync<bool>("""
            WITH days AS (SELECT d.calendar_date, d.is_weekend, count(o.order_id) AS orders
                          FROM dw.dim_date AS d LEFT JOIN dw.fact_sales_orders AS o ON o.order_date = d.calendar_date
                          WHERE d.calendar_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31' GROUP BY 1, 2)
            SELECT avg(orders) FILTER (WHERE is_weekend) > 1.15 * avg(orders) FILTER (WHERE NOT is_weekend) FROM days
            """));
        Assert.True(await db.ScalarAsync<bool>("SELECT count(*) FILTER (WHERE order_date = DATE '2025-11-11') > 2.5 * count(*) / 365.0 FROM dw.fact_sales_orders"));

        // Exchange rates for every day of the range and every currency the orders use.
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT DISTINCT currency_code FROM dw.fact_sales_orders) AS c
            CROSS JOIN generate_series(DATE '2025-01-01', DATE '2025-12-31', interval '1 day') AS g(day)
            WHERE NOT EXISTS (SELECT 1 FROM dw.fact_exchange_rates AS r WHERE r.currency_code = c.currency_code AND r.rate_date = g.day::date)
            """));
        // Product metrics: every product of the last week, sales matching the order lines.
        Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM dw.dim_products AS p JOIN dw.dim_shops AS s USING (merchant_id)"),
            await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_product_metrics WHERE metric_date = DATE '2025-12-31'"));
        Assert.Equal(await db.ScalarAsync<long>("SELECT sum(i.quantity) FROM dw.fact_order_items AS i JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) WHERE o.status <> 'cancelled'"),
            await db.ScalarAsync<long>("SELECT sum(sales_volume) FROM dw.fact_product_metrics"));
        // Long tail: the top 10 % of products sell a large share of the units.
        Assert.True(await db.ScalarAsync<bool>("""
            WITH units AS (SELECT product_id, sum(quantity) AS units, ntile(10) OVER (ORDER BY sum(quantity) DESC) AS decile FROM dw.fact_order_items GROUP BY 1)
            SELECT sum(units) FILTER (WHERE decile = 1) > 0.35 * sum(units) FROM units
            """));
        // Traffic: one row per shop and day, funnel narrowing to the orders.
        Assert.Equal(8L * 365, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_traffic_funnel"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_traffic_funnel WHERE NOT (visitors >= add_to_cart AND add_to_cart >= checkout AND checkout >= orders)"));
    }

    [Fact]
    public async Task Seeding_a_database_with_orders_is_refused_and_replace_truncates_first()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var seeder = new Seeder(db.DataSource);
        await seeder.SeedAsync(Small with { Orders = 300, Days = 60 });
        var before = await SeedChecksums.ReadAsync(db);

        var refused = await Assert.ThrowsAsync<SeedTargetNotEmptyException>(() => seeder.SeedAsync(Small with { Orders = 400, Days = 60 }));
        Assert.Equal("dw.fact_sales_orders", refused.Table);
        Assert.StartsWith("database already has orders; use --replace", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SeedChecksums.ReadAsync(db));

        var replaced = await seeder.SeedAsync(Small with { Orders = 400, Days = 60, Merchants = 1, ExistingData = ExistingDataPolicy.Replace });
        Assert.True(replaced.Replaced);
        Assert.Equal(400L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.dim_merchants"));
        Assert.Equal(60L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_exchange_rates WHERE currency_code = 'USD'"));
    }

    [Fact]
    public async Task A_cancelled_seed_leaves_nothing_behind()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        using var cancel = new CancellationTokenSource();
        var progress = new CancelWhen(p => p.Table == "dw.fact_order_items" && p.Rows == 0, cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new Seeder(db.DataSource).SeedAsync(Small, progress, cancel.Token));

        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.dim_merchants"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_exchange_rates"));
        // And the database takes a full seed afterwards.
        await new Seeder(db.DataSource).SeedAsync(Small);
        Assert.Equal(2_000L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
    }

    [Fact]
    public async Task The_default_range_ends_the_day_before_the_databases_today_not_this_machines()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        // A zone on another date than UTC's at this instant: UTC+14 or UTC-12, 26 hours apart, one of them always is.
        var utc = DateOnly.FromDateTime(DateTime.UtcNow);
        var zone = WarehouseClock.TodayIn("Etc/GMT-14", DateTimeOffset.UtcNow) != utc ? "Etc/GMT-14" : "Etc/GMT+12";
        await db.ExecuteAsync($"ALTER DATABASE {db.Name} SET timezone = '{zone}'");
        db.DataSource.Clear();
        var yesterday = (await db.ScalarAsync<DateOnly>("SELECT CURRENT_DATE")).AddDays(-1);
        Assert.NotEqual(utc.AddDays(-1), yesterday);

        // One day of data: every order is on the range's last day.
        await new Seeder(db.DataSource).SeedAsync(new SeedOptions { Orders = 30, Days = 1, Merchants = 1, ShopsPerMerchant = 1, RefreshViews = false });

        Assert.Equal(yesterday, await db.ScalarAsync<DateOnly>("SELECT min(order_date) FROM dw.fact_sales_orders"));
        Assert.Equal(yesterday, await db.ScalarAsync<DateOnly>("SELECT max(order_date) FROM dw.fact_sales_orders"));
    }

    [Fact]
    public async Task An_end_date_before_the_migrated_calendar_fills_dim_date_and_creates_the_partitions()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();

        await new Seeder(db.DataSource).SeedAsync(new SeedOptions { Orders = 200, Days = 45, EndDate = new DateOnly(2019, 12, 15) });

        Assert.Equal(45L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.dim_date WHERE calendar_date BETWEEN DATE '2019-11-01' AND DATE '2019-12-15'"));
        Assert.NotNull(await db.ScalarAsync<string>("SELECT to_regclass('dw.fact_sales_orders_p2019_11')::text"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders_default"));
        Assert.Equal(200L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
    }

    private static async Task<List<string>> ListAsync(TestDatabase db, string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    /// <summary>Cancels the seed (synchronously, on the COPY's thread) when a progress report matches.</summary>
    private sealed class CancelWhen(Func<SeedProgress, bool> condition, CancellationTokenSource cancel) : IProgress<SeedProgress>
    {
        public void Report(SeedProgress value)
        {
            if (condition(value))
            {
                cancel.Cancel();
            }
        }
    }
}
