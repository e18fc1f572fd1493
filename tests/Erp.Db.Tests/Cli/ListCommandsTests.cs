using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Erp.Db.Queries;
using Erp.Db.Queries.Alerts;
using Erp.Db.Queries.Receivables;
using Erp.Db.Refresh;
using Erp.Db.Scheduling;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Queries;

namespace Erp.Db.Tests.Cli;

/// <summary>erpdb receivables, alerts, targets and campaigns: each answer equals the same question asked of the facts.</summary>
public class ListCommandsTests
{
    /// <summary>Merchant 1 gets receivables in every aging bucket, one in USD and one cancelled; merchant 2 one more.</summary>
    private const string MoreReceivables = """
        INSERT INTO dw.fact_accounts_receivable (merchant_id, shop_id, invoice_no, currency_code, exchange_rate, amount, received_amount, invoice_date, due_date, status)
        VALUES (1, 11, 'inv-45', 'CNY', 1, 450, 50, CURRENT_DATE - 60, CURRENT_DATE - 45, 'overdue'),
               (1, 12, 'inv-75', 'USD', 7.1, 100, 20, CURRENT_DATE - 90, CURRENT_DATE - 75, 'partially_paid'),
               (1, 11, 'inv-120', 'CNY', 1, 2000, 0, CURRENT_DATE - 140, CURRENT_DATE - 120, 'overdue'),
               (1, 11, 'inv-old', 'CNY', 1, 900, 0, CURRENT_DATE - 140, CURRENT_DATE - 100, 'cancelled'),
               (1, 11, 'inv-31', 'CNY', 1, 70, 0, CURRENT_DATE - 40, CURRENT_DATE - 31, 'open'),
               (2, 22, 'inv-b', 'CNY', 1, 640, 0, CURRENT_DATE - 50, CURRENT_DATE - 35, 'overdue');
        INSERT INTO dw.fact_payment_receipts (merchant_id, receivable_id, receipt_date, received_at, currency_code, exchange_rate, amount)
        SELECT r.merchant_id, r.receivable_id, CURRENT_DATE - 2, now(), r.currency_code, r.exchange_rate, r.received_amount
        FROM dw.fact_accounts_receivable AS r WHERE r.received_amount > 0 AND r.invoice_no IN ('inv-45', 'inv-75');
        """;

    /// <summary>Each receivable of a merchant from the facts: received is the sum of its payments, outstanding what is left.</summary>
    private static string ExpectedReceivables(long merchant, string where = "true") => $"""
        SELECT coalesce(string_agg(concat_ws('|', r.receivable_id, r.invoice_no, o.order_no, s.shop_name, r.amount_cny::numeric(18, 2),
                   round(coalesce(p.paid, 0) * r.exchange_rate, 2)::numeric(18, 2),
                   round((r.amount - coalesce(p.paid, 0)) * r.exchange_rate, 2)::numeric(18, 2), r.due_date,
                   coalesce(CASE WHEN r.status IN ('open', 'partially_paid', 'overdue') THEN greatest(CURRENT_DATE - r.due_date, 0) END::text, '-'),
                   coalesce(dw.receivable_aging_bucket(r.due_date, r.status, CURRENT_DATE), '-'), r.status), ',' ORDER BY r.receivable_id), '')
        FROM dw.fact_accounts_receivable AS r
        LEFT JOIN (SELECT merchant_id, receivable_id, sum(amount) AS paid FROM dw.fact_payment_receipts GROUP BY 1, 2) AS p USING (merchant_id, receivable_id)
        LEFT JOIN dw.dim_shops AS s ON s.merchant_id = r.merchant_id AND s.shop_id = r.shop_id
        LEFT JOIN dw.fact_sales_orders AS o ON o.merchant_id = r.merchant_id AND o.order_id = r.order_id AND o.order_date = r.order_date
        WHERE r.merchant_id = {merchant} AND ({where})
        """;

    private static string Actual(JsonElement rows) => string.Join(",", rows.EnumerateArray()
        .OrderBy(r => r.GetProperty("receivableId").GetInt64())
        .Select(r => string.Join("|", new[]
        {
            r.GetProperty("receivableId").GetInt64().ToString(CultureInfo.InvariantCulture), Text(r, "invoiceNo"), Text(r, "orderNo"), Text(r, "shopName"),
            Money(r, "amountCny"), Money(r, "receivedCny"), Money(r, "outstandingCny"), r.GetProperty("dueDate").GetString(),
            r.GetProperty("daysOverdue").ValueKind == JsonValueKind.Null ? "-" : r.GetProperty("daysOverdue").GetInt32().ToString(CultureInfo.InvariantCulture),
            Text(r, "agingBucket") ?? "-", Text(r, "status"),
        }.Where(v => v is not null))));

    private static string? Text(JsonElement row, string name) => row.GetProperty(name).ValueKind == JsonValueKind.Null ? null : row.GetProperty(name).GetString();

    private static string Money(JsonElement row, string name) => row.GetProperty(name).GetDecimal().ToString("0.00", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Receivables_list_each_receivable_as_the_facts_and_payments_have_it_most_overdue_first()
    {
        await using var f = await QueryFixture.CreateAsync();
        await f.Db.ExecuteAsync(MoreReceivables);
        string[] common = ["--merchant", "1", "--page-size", "500", "--format", "json", "--connection", f.Db.ConnectionString];

        var all = await CliRun.RunAsync(["receivables", "--status", "all", .. common]);
        var open = await CliRun.RunAsync(["receivables", .. common]);
        var overdue = await CliRun.RunAsync(["receivables", "--status", "overdue", .. common]);
        var paid = await CliRun.RunAsync(["receivables", "--status", "paid", .. common]);

        Assert.True(all.ExitCode == 0, all.Output + all.Error);
        var allData = all.Json().GetProperty("data");
        Assert.Equal(await f.Db.ScalarAsync<string>(ExpectedReceivables(1)), Actual(allData.GetProperty("receivables").GetProperty("items")));
        // Listed: every receivable of the merchant; counted, as the amounts sum them: those that count as invoiced.
        Assert.Equal((8L, await f.Db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_accounts_receivable WHERE merchant_id = 1 AND status NOT IN ('cancelled', 'written_off')")),
            (allData.GetProperty("totals").GetProperty("listed").GetInt64(), allData.GetProperty("totals").GetProperty("count").GetInt64()));
        Assert.Equal(8, allData.GetProperty("receivables").GetProperty("total").GetInt64());
        Assert.Equal(await f.Db.ScalarAsync<string>(ExpectedReceivables(1, "r.status IN ('open', 'partially_paid', 'overdue')")),
            Actual(open.Json().GetProperty("data").GetProperty("receivables").GetProperty("items")));
        Assert.Equal(await f.Db.ScalarAsync<string>(ExpectedReceivables(1, "r.status IN ('open', 'partially_paid', 'overdue') AND r.due_date < CURRENT_DATE")),
            Actual(overdue.Json().GetProperty("data").GetProperty("receivables").GetProperty("items")));
        Assert.Equal(await f.Db.ScalarAsync<string>(ExpectedReceivables(1, "r.status = 'paid'")),
            Actual(paid.Json().GetProperty("data").GetProperty("receivables").GetProperty("items")));

        // Most overdue first: inv-120 (120 days, 90+), then inv-75 (75 days, 61-90 bucket, 80 USD = 568 CNY outstanding).
        var rows = open.Json().GetProperty("data").GetProperty("receivables").GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["inv-120", "inv-75", "inv-45", "inv-31", "inv-1", "inv-2"], rows.Select(r => r.GetProperty("invoiceNo").GetString()));
        Assert.Equal("61-90", rows[1].GetProperty("agingBucket").GetString());
        Assert.Equal(568.00m, rows[1].GetProperty("outstandingCny").GetDecimal());
        Assert.Equal(80m, rows[1].GetProperty("outstanding").GetDecimal());
        Assert.Equal("USD", rows[1].GetProperty("currency").GetString());
        var totals = open.Json().GetProperty("data").GetProperty("totals");
        Assert.Equal(await f.Db.ScalarAsync<decimal>("""
            SELECT sum(round(outstanding_amount * exchange_rate, 2)) FROM dw.fact_accounts_receivable
            WHERE merchant_id = 1 AND status IN ('open', 'partially_paid', 'overdue')
            """), totals.GetProperty("outstandingCny").GetDecimal());
        Assert.Equal(5, totals.GetProperty("overdueCount").GetInt64());
        Assert.True(open.Json().GetProperty("meta").TryGetProperty("freshness", out _));
    }

    [Fact]
    public async Task The_aging_summary_has_every_bucket_in_order_and_equals_the_sum_of_the_rows()
    {
        await using var f = await QueryFixture.CreateAsync();
        await f.Db.ExecuteAsync(MoreReceivables);

        var run = await CliRun.RunAsync("receivables", "--aging", "--merchant", "1", "--page-size", "500", "--format", "json", "--connection", f.Db.ConnectionString);
        var withoutAging = await CliRun.RunAsync("receivables", "--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var data = run.Json().GetProperty("data");
        Assert.Equal(await f.Db.ScalarAsync<string>("SELECT CURRENT_DATE::text"), data.GetProperty("asOf").GetString());
        var aging = data.GetProperty("aging").EnumerateArray().ToList();
        Assert.Equal(["current", "0-30", "31-60", "61-90", "90+"], aging.Select(b => b.GetProperty("name").GetString()));
        var rows = data.GetProperty("receivables").GetProperty("items").EnumerateArray().ToList();
        foreach (var bucket in aging)
        {
            var inBucket = rows.Where(r => r.GetProperty("agingBucket").GetString() == bucket.GetProperty("name").GetString()).ToList();
            Assert.Equal(inBucket.Count, bucket.GetProperty("count").GetInt64());
            Assert.Equal(inBucket.Sum(r => r.GetProperty("outstandingCny").GetDecimal()), bucket.GetProperty("outstandingCny").GetDecimal());
        }
        Assert.Equal(data.GetProperty("totals").GetProperty("outstandingCny").GetDecimal(), aging.Sum(b => b.GetProperty("outstandingCny").GetDecimal()));
        Assert.Equal(await f.Db.ScalarAsync<string>("""
            SELECT string_agg(b || ':' || n || ':' || o, ',' ORDER BY b)
            FROM (SELECT dw.receivable_aging_bucket(due_date, status, CURRENT_DATE) AS b, count(*) AS n,
                         sum(round(outstanding_amount * exchange_rate, 2)) AS o
                  FROM dw.fact_accounts_receivable WHERE merchant_id = 1 GROUP BY 1) AS g
            WHERE b IS NOT NULL
            """), string.Join(",", aging.Where(b => b.GetProperty("count").GetInt64() > 0)
                .OrderBy(b => b.GetProperty("name").GetString(), StringComparer.Ordinal)
                .Select(b => $"{b.GetProperty("name").GetString()}:{b.GetProperty("count").GetInt64()}:{Money(b, "outstandingCny")}")));
        Assert.Equal(JsonValueKind.Null, withoutAging.Json().GetProperty("data").GetProperty("aging").ValueKind);
    }

    [Fact]
    public async Task An_overdue_alert_names_and_values_its_figures_as_receivables_does()
    {
        await using var f = await QueryFixture.CreateAsync();
        await f.Db.ExecuteAsync(MoreReceivables);
        await f.Db.ExecuteAsync("SELECT dw.mark_overdue_receivables()");
        string[] common = ["--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString];

        var alerts = await CliRun.RunAsync(["alerts", "--kind", "overdue_receivable", .. common]);
        var receivables = await CliRun.RunAsync(["receivables", "--status", "overdue", .. common]);

        Assert.True(alerts.ExitCode == 0, alerts.Output + alerts.Error);
        string[] shared = ["invoiceNo", "currency", "outstanding", "dueDate", "daysOverdue"];
        static string Figures(JsonElement e, string[] names) => string.Join("|", names.Select(n => e.GetProperty(n).GetRawText()));
        var fromAlerts = alerts.Json().GetProperty("data").GetProperty("alerts").GetProperty("items").EnumerateArray()
            .Select(a => Figures(a.GetProperty("details"), shared)).Order(StringComparer.Ordinal).ToList();
        var fromReceivables = receivables.Json().GetProperty("data").GetProperty("receivables").GetProperty("items").EnumerateArray()
            .Select(r => Figures(r, shared)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(await f.Db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_accounts_receivable WHERE merchant_id = 1 AND status = 'overdue'"), fromAlerts.Count);
        Assert.Equal(fromReceivables, fromAlerts);
    }

    [Fact]
    public async Task Alerts_equal_the_alerts_table_and_open_keeps_the_unresolved()
    {
        await using var f = await QueryFixture.CreateAsync();
        await f.Db.ExecuteAsync(MoreReceivables);
        await f.Db.ExecuteAsync("""
            SELECT dw.mark_overdue_receivables();
            INSERT INTO dw.alerts (kind, merchant_id, subject, raised_at, resolved_at, details)
            VALUES ('low_stock', 1, 'SKU-102@default', now() - interval '2 days', now() - interval '1 day', '{"available": 3}');
            """);
        string[] common = ["--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString];

        var all = await CliRun.RunAsync(["alerts", .. common]);
        var open = await CliRun.RunAsync(["alerts", "--open", .. common]);

        Assert.True(all.ExitCode == 0, all.Output + all.Error);
        const string Expected = """
            SELECT string_agg(alert_id || '|' || kind || '|' || subject || '|' || (resolved_at IS NULL) || '|' || coalesce(details ->> 'days_overdue', '-'), ','
                              ORDER BY resolved_at IS NULL DESC, raised_at DESC, alert_id DESC)
            FROM dw.alerts WHERE merchant_id = 1
            """;
        static string Rows(CliRun run) => string.Join(",", run.Json().GetProperty("data").GetProperty("alerts").GetProperty("items").EnumerateArray().Select(a =>
            $"{a.GetProperty("alertId").GetInt64()}|{a.GetProperty("kind").GetString()}|{a.GetProperty("subject").GetString()}|"
            + $"{(a.GetProperty("resolvedAt").ValueKind == JsonValueKind.Null ? "true" : "false")}|"
            + $"{(a.GetProperty("details").TryGetProperty("daysOverdue", out var days) ? days.GetRawText() : "-")}"));
        Assert.Equal(await f.Db.ScalarAsync<string>(Expected), Rows(all));
        Assert.Equal(await f.Db.ScalarAsync<string>(Expected.Replace("WHERE merchant_id = 1", "WHERE merchant_id = 1 AND resolved_at IS NULL", StringComparison.Ordinal)), Rows(open));
        Assert.Contains("overdue_receivable|inv-120|true|120", Rows(all), StringComparison.Ordinal);
        Assert.Equal(await f.Db.ScalarAsync<long>("SELECT count(*) FROM dw.alerts WHERE merchant_id = 1 AND resolved_at IS NULL"),
            open.Json().GetProperty("data").GetProperty("open").GetInt64());

        // One kind: its rows only; the counts per kind, over the same filter, as the table gives them.
        var lowStock = await CliRun.RunAsync(["alerts", "--kind", "low_stock", .. common]);
        Assert.Equal(await f.Db.ScalarAsync<string>(Expected.Replace("WHERE merchant_id = 1", "WHERE merchant_id = 1 AND kind = 'low_stock'", StringComparison.Ordinal)), Rows(lowStock));
        static string ByKind(CliRun run) => string.Join(",", run.Json().GetProperty("data").GetProperty("byKind").EnumerateArray()
            .Select(k => $"{k.GetProperty("kind").GetString()}:{k.GetProperty("total").GetInt64()}:{k.GetProperty("open").GetInt64()}"));
        const string PerKind = """
            SELECT string_agg(kind || ':' || total || ':' || open, ',' ORDER BY kind)
              FROM (SELECT kind, count(*) AS total, count(*) FILTER (WHERE resolved_at IS NULL) AS open FROM dw.alerts WHERE merchant_id = 1 GROUP BY kind) AS k
            """;
        Assert.Equal(await f.Db.ScalarAsync<string>(PerKind), ByKind(all));
        Assert.Contains(",", ByKind(all), StringComparison.Ordinal);
        Assert.Equal(await f.Db.ScalarAsync<string>(PerKind.Replace("WHERE merchant_id = 1", "WHERE merchant_id = 1 AND kind = 'low_stock'", StringComparison.Ordinal)), ByKind(lowStock));
        var unknown = await CliRun.RunAsync(["alerts", "--kind", "low_stock,late_payment", .. common]);
        Assert.Equal(2, unknown.ExitCode);
        var error = unknown.Json().GetProperty("error");
        Assert.Equal(("VALIDATION_ERROR", "--kind"), (error.GetProperty("code").GetString(), error.GetProperty("details").GetProperty("field").GetString()));
        Assert.Equal("--kind: 'late_payment' is not an alert kind; use low_stock, out_of_stock, stock_shortage, overdue_receivable.", error.GetProperty("message").GetString());
        // The kinds --kind accepts are those the table's CHECK constraint allows, but the two about views (no merchant's).
        Assert.Equal(await f.Db.ScalarAsync<string>("""
                SELECT string_agg(k, ',' ORDER BY k COLLATE "C")
                FROM regexp_matches(pg_get_constraintdef((SELECT oid FROM pg_constraint WHERE conname = 'alerts_kind_known')), '''(\w+)''', 'g') AS m(v),
                     unnest(m.v) AS k
                WHERE k NOT IN ('view_failing', 'slow_refresh')
                """), string.Join(",", AlertQuery.Kinds.Order(StringComparer.Ordinal)));

        // The help says when each kind changes, as scheduled: stock alerts only at the stock check, not at once.
        var help = Regex.Replace((await CliRun.RunAsync("alerts", "--help")).Output, @"\s+", " ");  // as wrapped at any width
        // (Both schedulers check every 6 hours: WorkerScheduleTests.)
        Assert.Equal(TimeSpan.FromHours(6), new RefreshWorkerOptions().StockCheckInterval);
        Assert.Contains("low_stock and out_of_stock at the scheduled stock check (every 6 hours by default: the pg_cron job check_stock_levels", help, StringComparison.Ordinal);
        Assert.Contains("overdue_receivable at the daily overdue check", help, StringComparison.Ordinal);
        Assert.DoesNotContain("resolves itself when its condition clears", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Targets_equal_the_configured_targets_against_valid_sales_in_the_facts()
    {
        await using var f = await QueryFixture.CreateAsync();
        await f.Db.ExecuteAsync("""
            INSERT INTO dw.cfg_sales_targets (merchant_id, shop_id, metric, period_type, period_start, period_end, target_value)
            VALUES (1, 11, 'orders', 'week', CURRENT_DATE - 6, CURRENT_DATE, 1000),
                   (1, 12, 'gmv_cny', 'month', CURRENT_DATE - 70, CURRENT_DATE - 41, 100);
            """);

        var run = await CliRun.RunAsync("targets", "--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var expected = await f.Db.ScalarAsync<string>("""
            SELECT string_agg(concat_ws('|', t.target_id, t.metric, t.target_value, a.actual::numeric(18, 2), round(a.actual / t.target_value, 6)), ',' ORDER BY t.target_id)
            FROM dw.cfg_sales_targets AS t
            CROSS JOIN LATERAL (
                SELECT coalesce(CASE t.metric WHEN 'gmv_cny' THEN sum(o.gmv_cny) WHEN 'orders' THEN count(*) END, 0) AS actual
                FROM dw.fact_sales_orders AS o
                WHERE o.merchant_id = t.merchant_id AND (t.shop_id IS NULL OR o.shop_id = t.shop_id)
                  AND o.order_date BETWEEN t.period_start AND t.period_end AND dw.is_valid_sale(o.status)) AS a
            WHERE t.merchant_id = 1
            """);
        var rows = run.Json().GetProperty("data").GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(expected, string.Join(",", rows.OrderBy(r => r.GetProperty("targetId").GetInt64()).Select(r =>
            $"{r.GetProperty("targetId").GetInt64()}|{r.GetProperty("metric").GetString()}|{Money(r, "targetValue")}|{Money(r, "actualValue")}|"
            + r.GetProperty("achievementRate").GetDecimal().ToString("0.000000", CultureInfo.InvariantCulture))));
        Assert.Equal(3, rows.Count);
        // Latest period first; the one that ended without sales in its shop's window is missed, the running week behind, the month achieved.
        Assert.Equal(["behind", "achieved", "missed"], rows.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("Shop 11", rows[0].GetProperty("shopName").GetString());
    }

    [Fact]
    public async Task Campaigns_equal_gmv_gross_profit_and_roi_of_valid_sales_in_the_facts()
    {
        await using var f = await QueryFixture.CreateAsync();
        await f.Db.ExecuteAsync("""
            INSERT INTO dw.cfg_sales_campaigns (merchant_id, campaign_code, campaign_name, shop_id, start_date, end_date, target_gmv_cny, budget_cny)
            VALUES (1, 'all-10', 'Last ten days', NULL, CURRENT_DATE - 9, CURRENT_DATE, 5000, 300),
                   (1, 's11-20', 'Shop 11, twenty days', 11, CURRENT_DATE - 29, CURRENT_DATE - 10, 1000, NULL),
                   (2, 'b-10', 'Merchant two', NULL, CURRENT_DATE - 9, CURRENT_DATE, 100, 10);
            INSERT INTO dw.cfg_sales_campaigns (merchant_id, campaign_code, campaign_name, platform_id, start_date, end_date, target_gmv_cny)
            SELECT 1, 'next', 'Next week on one platform', s.platform_id, CURRENT_DATE + 1, CURRENT_DATE + 7, 100
            FROM dw.dim_shops AS s WHERE s.merchant_id = 1 AND s.shop_id = 11;
            """);

        var run = await CliRun.RunAsync("campaigns", "--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        var expected = await f.Db.ScalarAsync<string>("""
            SELECT string_agg(concat_ws('|', c.campaign_code, s.gmv::numeric(18, 2), s.gp::numeric(18, 2), s.n,
                                        coalesce(round(s.gmv / nullif(c.target_gmv_cny, 0), 6)::text, '-'),
                                        coalesce(round((s.gp - c.budget_cny) / nullif(c.budget_cny, 0), 6)::text, '-')), ',' ORDER BY c.campaign_code)
            FROM dw.cfg_sales_campaigns AS c
            CROSS JOIN LATERAL (
                SELECT coalesce(sum(o.gmv_cny), 0) AS gmv, coalesce(sum(o.gross_profit_cny), 0) AS gp, count(*) AS n
                FROM dw.fact_sales_orders AS o
                WHERE o.merchant_id = c.merchant_id AND (c.shop_id IS NULL OR o.shop_id = c.shop_id)
                  AND o.order_date BETWEEN c.start_date AND c.end_date AND dw.is_valid_sale(o.status)) AS s
            WHERE c.merchant_id = 1
            """);
        var data = run.Json().GetProperty("data");
        var rows = data.GetProperty("campaigns").GetProperty("items").EnumerateArray().ToList();
        static string Rate(JsonElement r, string name) => r.GetProperty(name).ValueKind == JsonValueKind.Null ? "-" : r.GetProperty(name).GetDecimal().ToString("0.000000", CultureInfo.InvariantCulture);
        Assert.Equal(expected, string.Join(",", rows.OrderBy(r => r.GetProperty("code").GetString(), StringComparer.Ordinal).Select(r =>
            $"{r.GetProperty("code").GetString()}|{Money(r, "revenue")}|{Money(r, "grossProfit")}|{r.GetProperty("orders").GetInt64()}|{Rate(r, "achievementRate")}|{Rate(r, "roi")}")));
        Assert.Equal(["next", "all-10", "s11-20"], rows.Select(r => r.GetProperty("code").GetString()));
        Assert.Equal(
            [await f.Db.ScalarAsync<string>("SELECT p.platform_code FROM dw.dim_shops AS s JOIN dw.dim_platforms AS p USING (platform_id) WHERE s.merchant_id = 1 AND s.shop_id = 11"), null, null],
            rows.Select(r => r.GetProperty("platform").GetString()));
        Assert.Equal(rows.Sum(r => r.GetProperty("revenue").GetDecimal()), data.GetProperty("totals").GetProperty("revenue").GetDecimal());
        Assert.Contains(run.Json().GetProperty("meta").GetProperty("freshness").EnumerateArray(), v => v.GetProperty("view").GetString() == "mart.mv_daily_sales");
    }

    [Fact]
    public async Task A_reader_scoped_to_one_merchant_sees_none_of_the_others_receivables_alerts_targets_or_campaigns()
    {
        await using var f = await QueryFixture.CreateAsync();
        await f.Db.ExecuteAsync(MoreReceivables);
        await f.Db.ExecuteAsync("""
            SELECT dw.mark_overdue_receivables();
            INSERT INTO dw.cfg_sales_campaigns (merchant_id, campaign_code, campaign_name, start_date, end_date, target_gmv_cny, budget_cny)
            VALUES (1, 'a', 'A', CURRENT_DATE - 9, CURRENT_DATE, 100, 10), (2, 'b', 'B', CURRENT_DATE - 9, CURRENT_DATE, 100, 10);
            """);
        Assert.True(await f.Db.ScalarAsync<long>("SELECT count(*) FROM dw.alerts WHERE merchant_id = 2") > 0);
        await using var reader = await TestLogin.CreateAsync(f.Db, "erp_reader");
        await f.Db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 1)");
        string[] common = ["--page-size", "500", "--format", "json", "--connection", reader.ConnectionString];

        var receivables = await CliRun.RunAsync(["receivables", "--status", "all", .. common]);
        var alerts = await CliRun.RunAsync(["alerts", .. common]);
        var targets = await CliRun.RunAsync(["targets", .. common]);
        var campaigns = await CliRun.RunAsync(["campaigns", .. common]);
        var other = await CliRun.RunAsync(["receivables", "--merchant", "2", .. common]);

        Assert.Equal(await f.Db.ScalarAsync<string>(ExpectedReceivables(1)), Actual(receivables.Json().GetProperty("data").GetProperty("receivables").GetProperty("items")));
        var alertRows = alerts.Json().GetProperty("data").GetProperty("alerts").GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(await f.Db.ScalarAsync<long>("SELECT count(*) FROM dw.alerts WHERE merchant_id = 1"), alertRows.Count);
        Assert.All(alertRows, a => Assert.Equal(1, a.GetProperty("merchantId").GetInt64()));
        Assert.Equal(["gmv_cny"], targets.Json().GetProperty("data").GetProperty("items").EnumerateArray().Select(t => t.GetProperty("metric").GetString()));
        Assert.Equal(["a"], campaigns.Json().GetProperty("data").GetProperty("campaigns").GetProperty("items").EnumerateArray().Select(c => c.GetProperty("code").GetString()));
        Assert.Equal(7, other.ExitCode);
        Assert.Equal("FORBIDDEN", other.Json().GetProperty("error").GetProperty("code").GetString());

        // The views themselves: scoped to merchant 1 whatever the caller asks for; nothing without a scope.
        await using var unscoped = await TestLogin.CreateAsync(f.Db, "erp_reader");
        foreach (var view in new[] { "mart.receivables", "mart.receipts", "mart.targets", "mart.campaigns" })
        {
            Assert.Equal(0L, await reader.ScalarAsync<long>($"SELECT count(*) FROM {view} WHERE merchant_id <> 1"));
            Assert.True(await reader.ScalarAsync<long>($"SELECT count(*) FROM {view}") > 0, view);
            Assert.Equal(0L, await unscoped.ScalarAsync<long>($"SELECT count(*) FROM {view}"));
        }
        Assert.Equal(0L, await f.Db.ScalarAsync<long>("SELECT count(*) FROM ops.merchant_isolation_problems()"));
    }

    [Fact]
    public async Task The_library_refuses_an_undefined_status_and_a_bad_page_before_reading_anything()
    {
        await using var f = await QueryFixture.CreateAsync();

        var status = await Assert.ThrowsAsync<QueryValidationException>(() =>
            f.Erp.Queries.ReceivablesAsync(new ReceivableQuery { MerchantId = 1, Status = (ReceivableStatus)42 }));
        var page = await Assert.ThrowsAsync<QueryValidationException>(() =>
            f.Erp.Queries.ReceivablesAsync(new ReceivableQuery { MerchantId = 1, Paging = new Paging(0, 10) }));
        var merchant = await Assert.ThrowsAsync<QueryValidationException>(() =>
            f.Erp.Queries.AlertsAsync(new Erp.Db.Queries.Alerts.AlertQuery { MerchantId = 0 }));

        Assert.Equal("status", status.Field);
        Assert.Equal("page", page.Field);
        Assert.Equal("merchant", merchant.Field);
    }

    [Theory]
    [InlineData("1999-12-31")]
    [InlineData("2101-01-01")]
    public async Task An_as_of_day_outside_the_dates_every_query_takes_is_refused_naming_the_option(string day)
    {
        await using var f = await QueryFixture.CreateAsync();

        var run = await CliRun.RunAsync("receivables", "--merchant", "1", "--as-of", day, "--connection", f.Db.ConnectionString, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal(("VALIDATION_ERROR", "--as-of"), (error.GetProperty("code").GetString(), error.GetProperty("details").GetProperty("field").GetString()));
        Assert.Contains($"--as-of: dates must lie between 2000-01-01 and 2100-12-31; got {day}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
