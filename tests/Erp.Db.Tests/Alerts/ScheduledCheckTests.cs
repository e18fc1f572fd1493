using Erp.Db.Ingest;
using Erp.Db.Refresh;
using Erp.Db.Scheduling;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Ingest;
using Microsoft.Extensions.Logging;
using static Erp.Db.Tests.Posting.PostingSample;

namespace Erp.Db.Tests.Alerts;

public class ScheduledCheckTests
{
    private static readonly DateTimeOffset Paid = new(2026, 4, 20, 10, 0, 0, TimeSpan.Zero);

    private static Task<string?> AlertsAsync(TestDatabase db, string kind) => db.ScalarAsync<string>($"""
        SELECT string_agg(coalesce(merchant_id::text, '-') || ':' || subject || ':' || CASE WHEN resolved_at IS NULL THEN 'open' ELSE 'resolved' END,
                          ',' ORDER BY alert_id)
        FROM dw.alerts WHERE kind = '{kind}'
        """);

    [Fact]
    public async Task A_receivable_past_due_becomes_overdue_with_one_alert_and_paying_it_resolves_the_alert()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertOrdersAsync([Order("V-1", "completed", gmv: 100m) with { IsInvoiced = true, InvoiceId = "INV-1" }]);

        // Due 2026-03-19 (14 days after the order).
        var onDueDay = await db.ScalarAsync<int>("SELECT dw.mark_overdue_receivables(DATE '2026-03-19')");
        var dayAfter = await db.ScalarAsync<int>("SELECT dw.mark_overdue_receivables(DATE '2026-03-20')");
        var again = await db.ScalarAsync<int>("SELECT dw.mark_overdue_receivables(DATE '2026-03-21')");
        var overdue = await db.ScalarAsync<string>("SELECT status FROM dw.fact_accounts_receivable");
        var raised = await AlertsAsync(db, "overdue_receivable");
        var details = await db.ScalarAsync<string>("SELECT (details ->> 'outstanding') || '|' || (details ->> 'days_overdue') FROM dw.alerts WHERE kind = 'overdue_receivable'");
        await ingest.UpsertPaymentsAsync([new(1, "BANK-1", Day, Paid, 40m) { CurrencyCode = "USD", ExchangeRate = 7.1m, InvoiceNo = "INV-1" }]);
        var partlyPaid = await AlertsAsync(db, "overdue_receivable");
        await ingest.UpsertPaymentsAsync([new(1, "BANK-2", Day, Paid, 60m) { CurrencyCode = "USD", ExchangeRate = 7.1m, InvoiceNo = "INV-1" }]);

        Assert.Equal(0, onDueDay);
        Assert.Equal(1, dayAfter);
        Assert.Equal(0, again);
        Assert.Equal("overdue", overdue);
        Assert.Equal("1:INV-1:open", raised);
        Assert.Equal("100.00|2", details);
        Assert.Equal("1:INV-1:open", partlyPaid);
        Assert.Equal("paid", await db.ScalarAsync<string>("SELECT status FROM dw.fact_accounts_receivable"));
        Assert.Equal("1:INV-1:resolved", await AlertsAsync(db, "overdue_receivable"));
        Assert.Equal(0, await db.ScalarAsync<int>("SELECT dw.mark_overdue_receivables(DATE '2026-05-01')"));
        Assert.Equal("1:INV-1:resolved", await AlertsAsync(db, "overdue_receivable"));
    }

    [Fact]
    public async Task An_overdue_receivable_whose_due_date_moves_ahead_is_due_again_and_its_alert_resolves()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        var order = Order("V-2", "completed", gmv: 100m) with { IsInvoiced = true, InvoiceId = "INV-2" };
        await ingest.UpsertOrdersAsync([order]);
        await db.ScalarAsync<int>("SELECT dw.mark_overdue_receivables(DATE '2026-03-25')");
        await ingest.UpsertPaymentsAsync([new(1, "BANK-3", Day, Paid, 40m) { CurrencyCode = "USD", ExchangeRate = 7.1m, InvoiceNo = "INV-2" }]);
        var overdue = await db.ScalarAsync<string>("SELECT status FROM dw.fact_accounts_receivable");

        // The order's date was wrong: it is 2026-03-20, so the receivable is due 2026-04-03.
        await ingest.UpsertOrdersAsync([order with { OrderDate = new DateOnly(2026, 3, 20), OrderedAt = Morning.AddDays(15), PaidAt = Morning.AddDays(15).AddMinutes(5), ShippedAt = Morning.AddDays(15).AddHours(5) }]);
        var unmarked = await db.ScalarAsync<int>("SELECT dw.mark_overdue_receivables(DATE '2026-03-25')");
        var dueAgain = await db.ScalarAsync<string>("SELECT status || ' ' || due_date FROM dw.fact_accounts_receivable");
        var resolved = await AlertsAsync(db, "overdue_receivable");
        var pastNewDueDate = await db.ScalarAsync<int>("SELECT dw.mark_overdue_receivables(DATE '2026-04-04')");

        Assert.Equal("overdue", overdue);
        Assert.Equal(0, unmarked);
        Assert.Equal("partially_paid 2026-04-03", dueAgain);
        Assert.Equal("1:INV-2:resolved", resolved);
        Assert.Equal(1, pastNewDueDate);
        Assert.Equal("1:INV-2:resolved,1:INV-2:open", await AlertsAsync(db, "overdue_receivable"));
        Assert.Equal("1", await db.ScalarAsync<string>("SELECT details ->> 'days_overdue' FROM dw.alerts WHERE resolved_at IS NULL"));
    }

    [Fact]
    public async Task Low_stock_raises_then_out_of_stock_replaces_it_and_restocking_resolves_both()
    {
        await using var db = await IngestSample.CreateAsync();
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_inventory (merchant_id, product_id, quantity_on_hand, safety_stock) VALUES (1, 100, 50, 10), (2, 200, 3, 5)
            """);

        var first = await db.ScalarAsync<int>("SELECT dw.check_stock_levels()");
        var afterFirst = await AlertsAsync(db, "low_stock");
        await db.ExecuteAsync("UPDATE dw.fact_inventory SET quantity_on_hand = 10 WHERE merchant_id = 1");
        await db.ExecuteAsync("SELECT dw.check_stock_levels(); SELECT dw.check_stock_levels()");
        var atSafetyStock = await AlertsAsync(db, "low_stock");
        await db.ExecuteAsync("UPDATE dw.fact_inventory SET quantity_on_hand = 0 WHERE merchant_id = 1");
        await db.ExecuteAsync("SELECT dw.check_stock_levels()");
        var low = await AlertsAsync(db, "low_stock");
        var out1 = await AlertsAsync(db, "out_of_stock");
        await db.ExecuteAsync("UPDATE dw.fact_inventory SET quantity_on_hand = 11 WHERE merchant_id = 1");
        await db.ExecuteAsync("SELECT dw.check_stock_levels(1)");

        Assert.Equal(1, first);
        Assert.Equal("2:B-1@default:open", afterFirst);
        Assert.Equal("2:B-1@default:open,1:A-1@default:open", atSafetyStock);
        Assert.Equal("2:B-1@default:open,1:A-1@default:resolved", low);
        Assert.Equal("1:A-1@default:open", out1);
        Assert.Equal("1:A-1@default:resolved", await AlertsAsync(db, "out_of_stock"));
        Assert.Equal("2:B-1@default:open,1:A-1@default:resolved", await AlertsAsync(db, "low_stock"));
        // The inventory view says the same thing with the same function.
        await db.ExecuteAsync("SELECT ops.refresh_view('mart.mv_inventory_summary', 'test')");
        Assert.Equal("100:normal,200:low_stock", await db.ScalarAsync<string>(
            "SELECT string_agg(product_id || ':' || stock_status, ',' ORDER BY product_id) FROM mart.mv_inventory_summary"));
    }

    [Fact]
    public async Task Alerts_raised_before_migration_0087_take_the_names_the_checks_write_now()
    {
        await using var db = await IngestSample.CreateAsync();
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_inventory (merchant_id, product_id, quantity_on_hand, safety_stock) VALUES (2, 200, 3, 5);
            INSERT INTO dw.alerts (kind, merchant_id, subject, details, resolved_at)
            VALUES ('low_stock', 2, 'B-1@default', '{"sku": "B-1", "product_id": 200, "warehouse_code": "default", "quantity_available": 3, "safety_stock": 5}', NULL),
                   ('overdue_receivable', 1, 'INV-9', '{"invoice_no": "INV-9", "currency_code": "USD", "outstanding_amount": 12.5, "days_overdue": 4}', now()),
                   ('view_failing', NULL, 'mart.mv_daily_sales', '{"consecutive_failures": 3}', now());
            """);

        await db.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(Repository.SqlFolder, "migrations", "0087_alert_detail_names.sql")));
        var renamed = await db.ScalarAsync<string>("SELECT string_agg(details::text, ' ' ORDER BY alert_id) FROM dw.alerts");
        // The check finds the open alert it would raise now and has nothing to change in it.
        await db.ExecuteAsync("SELECT dw.check_stock_levels()");

        Assert.Equal(
            """{"sku": "B-1", "warehouse": "default", "product_id": 200, "safety_stock": 5, "quantity_available": 3} """
            + """{"currency": "USD", "invoice_no": "INV-9", "outstanding": 12.5, "days_overdue": 4} """
            + """{"consecutive_failures": 3}""",
            renamed);
        Assert.Equal(renamed, await db.ScalarAsync<string>("SELECT string_agg(details::text, ' ' ORDER BY alert_id) FROM dw.alerts"));
    }

    [Fact]
    public async Task A_view_failing_three_times_in_a_row_raises_one_alert_that_a_success_resolves()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var refresher = new ViewRefresher(db.DataSource);
        await db.ExecuteAsync("UPDATE ops.mv_registry SET consecutive_failures = 1 WHERE view_name = 'mart.mv_daily_sales'");
        await db.ExecuteAsync("UPDATE ops.mv_registry SET consecutive_failures = 2 WHERE view_name = 'mart.mv_daily_sales'");
        var afterTwo = await AlertsAsync(db, "view_failing");
        await db.ExecuteAsync("UPDATE ops.mv_registry SET consecutive_failures = 3 WHERE view_name = 'mart.mv_daily_sales'");
        await db.ExecuteAsync("UPDATE ops.mv_registry SET consecutive_failures = 4 WHERE view_name = 'mart.mv_daily_sales'");
        var afterFour = await AlertsAsync(db, "view_failing");
        await refresher.RefreshAsync(["mart.mv_daily_sales"]);

        Assert.Null(afterTwo);
        Assert.Equal("-:mart.mv_daily_sales:open", afterFour);
        Assert.Equal("-:mart.mv_daily_sales:resolved", await AlertsAsync(db, "view_failing"));
    }

    [Fact]
    public async Task A_refresh_slower_than_its_limit_raises_a_slow_refresh_alert()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var refresher = new ViewRefresher(db.DataSource);
        await db.ExecuteAsync("UPDATE ops.mv_registry SET slow_after = '1 microsecond' WHERE view_name = 'mart.mv_daily_sales'");
        await refresher.RefreshAsync(["mart.mv_daily_sales"]);
        var slow = await AlertsAsync(db, "slow_refresh");
        await db.ExecuteAsync("UPDATE ops.mv_registry SET slow_after = '1 hour' WHERE view_name = 'mart.mv_daily_sales'");

        Assert.Equal("-:mart.mv_daily_sales:open", slow);
        Assert.Equal("-:mart.mv_daily_sales:resolved", await AlertsAsync(db, "slow_refresh"));
    }

    [Fact]
    public async Task A_reader_sees_only_its_merchants_alerts_and_no_view_alerts()
    {
        await using var db = await IngestSample.CreateAsync();
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_inventory (merchant_id, product_id, quantity_on_hand, safety_stock) VALUES (1, 100, 0, 10), (2, 200, 3, 5);
            SELECT dw.check_stock_levels();
            UPDATE ops.mv_registry SET consecutive_failures = 3 WHERE view_name = 'mart.mv_daily_sales';
            """);
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 1)");

        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.alerts"));
        Assert.Equal("1:out_of_stock", await reader.ScalarAsync<string>("SELECT string_agg(merchant_id || ':' || kind, ',') FROM mart.alerts"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM ops.merchant_isolation_problems()"));
    }

    [Fact]
    public void The_overdue_check_runs_daily_and_the_stock_check_every_six_hours()
    {
        var schedules = ScheduleScript.Embedded().ToDictionary(s => s.Name);

        Assert.Equal("17 1 * * *", schedules["mark_overdue_receivables"].Cron);
        Assert.Equal("SELECT pg_catalog.set_config('lock_timeout', ops.scheduled_lock_timeout(), false); SELECT dw.mark_overdue_receivables()", schedules["mark_overdue_receivables"].CommandTemplate);
        Assert.Equal("23 */6 * * *", schedules["check_stock_levels"].Cron);
        Assert.Equal("SELECT pg_catalog.set_config('lock_timeout', ops.scheduled_lock_timeout(), false); SELECT dw.check_stock_levels()", schedules["check_stock_levels"].CommandTemplate);
    }

    [Fact]
    public async Task The_hosted_worker_runs_the_overdue_and_the_stock_checks()
    {
        await using var db = await IngestSample.CreateAsync();
        await new Ingestor(db.DataSource).UpsertOrdersAsync([Order("V-1", "completed", gmv: 100m) with { IsInvoiced = true, InvoiceId = "INV-1" }]);
        await db.ExecuteAsync("INSERT INTO dw.fact_inventory (merchant_id, product_id, quantity_on_hand, safety_stock) VALUES (1, 100, 2, 10)");
        var log = new ListLogger<RefreshWorker>();
        var worker = new RefreshWorker(new ViewRefresher(db.DataSource), new RefreshWorkerOptions { Interval = TimeSpan.FromMilliseconds(200) }, log);
        var overdue = new TaskCompletionSource();
        var stock = new TaskCompletionSource();
        worker.CheckCompleted += (_, name) => (name == "dw.mark_overdue_receivables" ? overdue : stock).TrySetResult();

        await worker.StartAsync(CancellationToken.None);
        await Task.WhenAll(overdue.Task, stock.Task).WaitAsync(TimeSpan.FromMinutes(2));
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal("overdue", await db.ScalarAsync<string>("SELECT status FROM dw.fact_accounts_receivable"));
        Assert.Equal("1:INV-1:open", await AlertsAsync(db, "overdue_receivable"));
        Assert.Equal("1:A-1@default:open", await AlertsAsync(db, "low_stock"));
        // What a check did is logged at Information, saying what its count counts.
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Information && e.Message == "dw.mark_overdue_receivables: 1 receivables marked overdue");
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Information && e.Message == "dw.check_stock_levels: 1 low or out of stock alerts raised or refreshed");
    }
}
