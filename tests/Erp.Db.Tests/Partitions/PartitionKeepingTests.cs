using Erp.Db.Ingest;
using Erp.Db.Migrations;
using Erp.Db.Partitions;
using Erp.Db.Refresh;
using Erp.Db.Scheduling;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Ingest;
using Erp.Db.Tests.Views;
using Npgsql;

namespace Erp.Db.Tests.Partitions;

public class PartitionKeepingTests
{
    private const string FourMonthsAhead = "(date_trunc('month', current_date) + interval '4 months 2 days')::date";

    [Fact]
    public async Task A_row_four_months_ahead_lands_in_DEFAULT_and_ensure_partitions_moves_it_with_its_items_and_references()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await db.ExecuteAsync($"""
            WITH o AS (
                INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, customer_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at)
                VALUES (1, {FourMonthsAhead}, 11, 1001, 'ahead-1', 'paid', 2, 50, 20, now())
                RETURNING merchant_id, order_id, order_date)
            INSERT INTO dw.fact_order_items (merchant_id, order_date, order_id, line_no, product_id, quantity, unit_price, unit_cost)
            SELECT merchant_id, order_date, order_id, 1, 101, 2, 25, 10 FROM o;
            INSERT INTO dw.fact_accounts_receivable (merchant_id, shop_id, invoice_no, amount, received_amount, invoice_date, due_date, status, order_id, order_date)
            SELECT merchant_id, shop_id, 'inv-ahead', 50, 0, current_date, current_date + 30, 'open', order_id, order_date
            FROM dw.fact_sales_orders WHERE order_no = 'ahead-1';
            INSERT INTO dw.fact_product_metrics (merchant_id, shop_id, product_id, metric_date, price, stock, sales_volume, sales_amount, page_views, visitors, listing_status)
            VALUES (1, 11, 101, {FourMonthsAhead}, 20, 1, 1, 20, 5, 2, 'active');
            """);
        Assert.Equal("dw.fact_sales_orders_default", await db.ScalarAsync<string>("SELECT tableoid::regclass::text FROM dw.fact_sales_orders WHERE order_no = 'ahead-1'"));
        var total = await db.ScalarAsync<decimal>("SELECT sum(gmv_cny) FROM dw.fact_sales_orders");

        // As an app login with erp_writer only, like RefreshWorker.
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        var created = await new PartitionKeeper(writer.DataSource).EnsureAsync(4);

        Assert.Equal(3, created);
        var month = await db.ScalarAsync<string>($"SELECT to_char({FourMonthsAhead}, 'YYYY_MM')");
        Assert.Equal($"dw.fact_sales_orders_p{month}", await db.ScalarAsync<string>("SELECT tableoid::regclass::text FROM dw.fact_sales_orders WHERE order_no = 'ahead-1'"));
        Assert.Equal($"dw.fact_order_items_p{month}", await db.ScalarAsync<string>($"SELECT tableoid::regclass::text FROM dw.fact_order_items WHERE order_date = {FourMonthsAhead}"));
        Assert.Equal($"dw.fact_product_metrics_p{month}", await db.ScalarAsync<string>($"SELECT tableoid::regclass::text FROM dw.fact_product_metrics WHERE metric_date = {FourMonthsAhead}"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT (SELECT count(*) FROM dw.fact_sales_orders_default) + (SELECT count(*) FROM dw.fact_order_items_default) + (SELECT count(*) FROM dw.fact_product_metrics_default)"));
        Assert.Equal(total, await db.ScalarAsync<decimal>("SELECT sum(gmv_cny) FROM dw.fact_sales_orders"));
        Assert.Equal(50.00m, await db.ScalarAsync<decimal>("SELECT i.amount FROM dw.fact_order_items AS i JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) WHERE o.order_no = 'ahead-1'"));
        // The receivable still references its order, which it still protects from deletion (dw.cascade_order_keys).
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_accounts_receivable AS r JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) WHERE o.order_no = 'ahead-1'"));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("DELETE FROM dw.fact_sales_orders WHERE order_no = 'ahead-1'"));
        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, "fact_accounts_receivable_order_fkey"), (refused.SqlState, refused.ConstraintName));
        // The new partitions are locked down like the others.
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM ops.merchant_isolation_problems()"));
        Assert.Equal(0, await new PartitionKeeper(writer.DataSource).EnsureAsync(4));
    }

    [Fact]
    public async Task Two_callers_finding_the_same_months_missing_at_once_both_succeed_one_after_the_other()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        // The first caller has begun (its transaction holds what it read of the DEFAULT partitions, as a call holds them
        // from its first month on) when the second finds next month missing; then the first comes to that month too.
        // Taking both to create the partition, each waited for the other's hold on DEFAULT: a deadlock, one call lost.
        await using var first = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await first.BeginTransactionAsync();
        Assert.Equal(0, await EnsurePartitionsAsync(first, transaction, monthsAhead: 3));

        var second = db.ScalarAsync<int>("SELECT dw.ensure_partitions(4)");
        await db.WaitUntilASessionWaitsOnALockAsync("The second ensure_partitions");
        Assert.Equal(3, await EnsurePartitionsAsync(first, transaction, monthsAhead: 4));
        await transaction.CommitAsync();

        Assert.Equal(0, await second);
        Assert.Equal(3L, await db.ScalarAsync<long>($"SELECT count(*) FROM pg_catalog.pg_class WHERE relname LIKE '%\\_p' || to_char({FourMonthsAhead}, 'YYYY_MM')"));
    }

    private static async Task<int> EnsurePartitionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int monthsAhead)
    {
        await using var command = new NpgsqlCommand($"SELECT dw.ensure_partitions({monthsAhead})", connection, transaction);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    [Theory]
    [InlineData("121, NULL", "months_ahead must be between 0 and 120, got 121")]
    [InlineData("-1, NULL", "months_ahead must be between 0 and 120, got -1")]
    [InlineData("3, DATE '1999-12-01'", "from_month 1999-12-01 is before 2000-01-01, the first business date")]
    public async Task A_writer_cannot_have_partitions_made_beyond_the_business_range(string arguments, string message)
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        var before = await db.ScalarAsync<long>("SELECT count(*) FROM pg_catalog.pg_inherits");

        var refused = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var connection = await writer.DataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand($"SELECT dw.ensure_partitions({arguments})", connection);
            await command.ExecuteScalarAsync();
        });

        Assert.Equal(PostgresErrorCodes.InvalidParameterValue, refused.SqlState);
        Assert.Contains(message, refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(before, await db.ScalarAsync<long>("SELECT count(*) FROM pg_catalog.pg_inherits"));
    }

    [Fact]
    public async Task Ingest_rejects_dates_outside_the_business_range_naming_the_row()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);
        var farAhead = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60);

        var old = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertOrdersAsync(
            [IngestSample.Order("D-1"), IngestSample.Order("D-2") with { OrderDate = new DateOnly(1999, 12, 31) }]));
        var future = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertOrdersAsync(
            [IngestSample.Order("D-3") with { OrderDate = farAhead }]));

        Assert.Equal((2L, "order_date"), (old.RowNumber, old.Field));
        Assert.Contains("order_date 1999-12-31 is before 2000-01-01", old.Message);
        Assert.Equal((1L, "order_date"), (future.RowNumber, future.Field));
        Assert.Contains("is more than 31 days after today", future.Message);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no LIKE 'D-%'"));
    }

    [Fact]
    public async Task Receipts_goods_received_and_counts_after_the_merchants_today_and_expenses_past_the_range_are_rejected()
    {
        // A year typed wrong: a count dated ahead would stand as the latest one, so that every real count before its date adjusted
        // nothing; a receipt or a purchase would land in a period not begun. An expense may be booked ahead, within the range.
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);
        var merchantToday = await db.ScalarAsync<DateOnly>("SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date");
        var tomorrowNoon = new DateTimeOffset(merchantToday.AddDays(1).ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8));
        var refusals = new List<IngestException>
        {
            await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertPaymentsAsync(
                [new PaymentRow(1, "PAY-OK", merchantToday, DateTimeOffset.UtcNow, 5m), new PaymentRow(1, "PAY-AHEAD", merchantToday.AddDays(1), tomorrowNoon, 5m)])),
            await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertPurchasesAsync(
                [new PurchaseRow(1, "PO-AHEAD", IngestSample.Sku, 3, 2m, merchantToday.AddDays(1))])),
            await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertStockCountsAsync(
                [new StockCountRow(1, IngestSample.Sku, 5, tomorrowNoon.AddYears(1))])),
            await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertExpensesAsync(
                [new ExpenseRow(1, "BILL-AHEAD", merchantToday.AddYears(181), "rent", 10m)])),
        };
        // A count of today by its day alone stands at 23:59:59 tonight, ahead of the day's shipments still to be imported.
        var todayByDay = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertStockCountsAsync(
            [new StockCountRow(1, IngestSample.Sku, 5, default) { CountedOn = merchantToday }]));
        var booked = await ingestor.UpsertExpensesAsync([new ExpenseRow(1, "BILL-NEXT-MONTH", merchantToday.AddDays(20), "rent", 10m)]);
        var countedToday = await ingestor.UpsertStockCountsAsync([new StockCountRow(1, IngestSample.Sku, 5, DateTimeOffset.UtcNow)]);

        Assert.Equal([(2L, "receipt_date"), (1L, "received_date"), (1L, "counted_at"), (1L, "expense_date")], refusals.Select(r => (r.RowNumber, r.Field)));
        Assert.All(refusals.Take(2), r => Assert.Contains($"is after today, {merchantToday:yyyy-MM-dd} in the merchant's time zone Asia/Shanghai", r.Message));
        Assert.All([refusals[2], todayByDay], r => Assert.Contains($"is later than now, {merchantToday:yyyy-MM-dd}", r.Message));
        Assert.Contains($"counted_at {merchantToday:yyyy-MM-dd} 23:59:59 is later than now", todayByDay.Message);
        Assert.Equal((1L, "counted_at"), (todayByDay.RowNumber, todayByDay.Field));
        Assert.Contains("is more than 31 days after today", refusals[3].Message);
        Assert.Equal((1L, 1L), (booked.Inserted, countedToday.Inserted));
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT (SELECT count(*) FROM dw.fact_payment_receipts) + (SELECT count(*) FROM dw.fact_inventory_transactions WHERE transaction_type = 'purchase_in')
                 + (SELECT count(*) FROM dw.fact_stock_counts WHERE counted_at > now()) + (SELECT count(*) FROM dw.fact_expenses WHERE reference_no = 'BILL-AHEAD')
            """));
    }

    [Fact]
    public async Task RefreshWorker_creates_missing_partitions_when_it_starts()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var month = await db.ScalarAsync<string>("SELECT to_char(current_date + interval '2 months', 'YYYY_MM')");
        await db.ExecuteAsync($"DROP TABLE dw.fact_product_metrics_p{month}");
        var worker = new RefreshWorker(new ViewRefresher(db.DataSource), new RefreshWorkerOptions { Interval = TimeSpan.FromMilliseconds(200) });
        var ensured = new TaskCompletionSource<int>();
        worker.PartitionsEnsured += (_, created) => ensured.TrySetResult(created);

        await worker.StartAsync(CancellationToken.None);
        var created = await ensured.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal(1, created);
        Assert.Equal($"dw.fact_product_metrics_p{month}", await db.ScalarAsync<string>($"SELECT to_regclass('dw.fact_product_metrics_p{month}')::text"));
    }

    [Fact]
    public async Task The_daily_ensure_partitions_job_is_declared_and_migrate_registers_or_prints_it()
    {
        var schedule = Assert.Single(ScheduleScript.Embedded(), s => s.Name == "ensure_partitions");
        Assert.Equal(("41 0 * * *", false, "SELECT pg_catalog.set_config('lock_timeout', ops.scheduled_lock_timeout(), false); SELECT dw.ensure_partitions()"), (schedule.Cron, schedule.RunsInCronDatabase, schedule.CommandTemplate));

        await using var db = await TestDatabase.CreateMigratedAsync();
        var result = await new MigrationRunner(db.DataSource).MigrateAsync();
        var cronDatabase = await db.ScalarAsync<string>("SELECT current_setting('cron.database_name', true)");
        if (cronDatabase is null)
        {
            // Without pg_cron, migrate prints what a DBA must run, this job included.
            Assert.Contains(result.Notices, n => n.Contains($"cron.schedule_in_database('erpdb:{db.Name}:ensure_partitions', '41 0 * * *', 'SELECT pg_catalog.set_config(''lock_timeout'', ops.scheduled_lock_timeout(), false); SELECT dw.ensure_partitions()', '{db.Name}', '"));
            return;
        }
        Assert.Contains($"Scheduled pg_cron job erpdb:{db.Name}:ensure_partitions (41 0 * * *) in database {db.Name}.", result.Notices);
    }
}
