using Erp.Db.Ingest;
using Erp.Db.Posting;
using Erp.Db.Queries.Receivables;
using Erp.Db.Tests.Cli;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Ingest;
using static Erp.Db.Tests.Posting.PostingSample;

namespace Erp.Db.Tests.Posting;

/// <summary>Bad debts written off on purpose (<c>dw.write_off_receivables</c>, <see cref="ErpDatabase.WriteOffAsync"/>, <c>erpdb post --write-off</c>), and write-offs undone (<c>dw.reinstate_receivables</c>, <see cref="ErpDatabase.ReinstateAsync"/>, <c>erpdb post --reinstate</c>).</summary>
public class WriteOffTests
{
    private static readonly DateTimeOffset MonthEnd = new(2026, 3, 31, 23, 0, 0, TimeSpan.FromHours(8));

    /// <summary>
    /// Four invoiced orders of 5 March (USD 100 at 7.1, due 19 March), all overdue by the check of 20 March; INV-2 partly paid (40),
    /// INV-3 paid. Returns the database.
    /// </summary>
    private static async Task<TestDatabase> InvoicesAsync()
    {
        var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertOrdersAsync([.. Enumerable.Range(1, 4).Select(i => Order($"W-{i}", "completed", gmv: 100m) with { IsInvoiced = true, InvoiceId = $"INV-{i}" })]);
        await ingest.UpsertPaymentsAsync([
            new(1, "BANK-2", Day, Morning.AddDays(10), 40m) { CurrencyCode = "USD", ExchangeRate = 7.1m, InvoiceNo = "INV-2" },
            new(1, "BANK-3", Day, Morning.AddDays(10), 100m) { CurrencyCode = "USD", ExchangeRate = 7.1m, InvoiceNo = "INV-3" }]);
        await db.ExecuteAsync("SELECT dw.mark_overdue_receivables(DATE '2026-03-20')");
        return db;
    }

    private static Task<string?> ReceivablesAsync(TestDatabase db) => db.ScalarAsync<string>("""
        SELECT string_agg(r.invoice_no || ' ' || r.status || ' ' || coalesce(to_char(r.written_off_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI'), '-')
                          || ' ' || coalesce((SELECT 'alert ' || CASE WHEN bool_or(a.resolved_at IS NULL) THEN 'open' ELSE 'resolved' END FROM dw.alerts AS a
                                              WHERE a.kind = 'overdue_receivable' AND a.subject = r.invoice_no HAVING count(*) > 0), 'no alert'), ', ' ORDER BY r.invoice_no)
        FROM dw.fact_accounts_receivable AS r
        """);

    [Fact]
    public async Task Writing_off_invoices_dates_them_resolves_their_alerts_and_keeps_them_outstanding_as_of_an_earlier_day()
    {
        await using var db = await InvoicesAsync();
        var erp = new ErpDatabase(db.DataSource);
        // What the two still owe, in CNY, asked of the facts as mart.receivables counts a balance.
        var owed = await db.ScalarAsync<decimal>(
            "SELECT sum(amount_cny - round(received_amount * exchange_rate, 2)) FROM dw.fact_accounts_receivable WHERE invoice_no IN ('INV-1', 'INV-2')");
        var before = await ReceivablesAsync(db);

        var result = await erp.WriteOffAsync(1, ["INV-1", "INV-2"], MonthEnd);
        var after = await ReceivablesAsync(db);
        var again = await erp.WriteOffAsync(1, ["INV-2", "INV-1"]);
        string Rows(ReceivableReport report) => string.Join('|', report.Receivables.Items.OrderBy(r => r.InvoiceNo, StringComparer.Ordinal)
            .Select(r => $"{r.InvoiceNo} {r.Status} {r.Outstanding:0.00}{(r.WrittenOffAt is { } at ? $" {at.ToOffset(TimeSpan.FromHours(8)):MM-dd HH:mm}" : "")}"));
        var march30 = (await erp.Queries.ReceivablesAsync(new ReceivableQuery { MerchantId = 1, Status = ReceivableStatus.All, AsOf = new DateOnly(2026, 3, 30) })).Data;
        var march31 = (await erp.Queries.ReceivablesAsync(new ReceivableQuery { MerchantId = 1, Status = ReceivableStatus.All, AsOf = new DateOnly(2026, 3, 31) })).Data;

        Assert.Equal("INV-1 overdue - alert open, INV-2 overdue - alert open, INV-3 paid - no alert, INV-4 overdue - alert open", before);
        Assert.Equal(new WriteOffResult(2, owed, 2), result);
        Assert.Equal(710.00m + (710.00m - 284.00m), owed); // USD 100 at 7.1, and INV-2 less its USD 40 received
        Assert.Equal("INV-1 written_off 03-31 23:00 alert resolved, INV-2 written_off 03-31 23:00 alert resolved, INV-3 paid - no alert, INV-4 overdue - alert open", after);
        Assert.True(again.NothingChanged, again.ToString());
        Assert.Equal(after, await ReceivablesAsync(db));
        Assert.Equal("INV-1 overdue 100.00|INV-2 overdue 60.00|INV-3 paid 0.00|INV-4 overdue 100.00", Rows(march30));
        Assert.Equal("INV-1 written_off 100.00 03-31 23:00|INV-2 written_off 60.00 03-31 23:00|INV-3 paid 0.00|INV-4 overdue 100.00", Rows(march31));
    }

    [Theory]
    [InlineData("INV-9", null, "invoice_no INV-9 is not a receivable of merchant 1")]
    [InlineData("INV-3", null, "invoice_no INV-3 is paid: it owes nothing to write off")]
    [InlineData("INV-1", "2026-03-04T12:00:00+08:00", "invoice_no INV-1 was invoiced on 2026-03-05, after the write-off's time")]
    [InlineData("INV-1", "2099-01-01T00:00:00Z", "a write-off cannot be dated in the future")]
    public async Task A_write_off_that_names_an_invoice_it_cannot_write_off_fails_naming_it_and_writes_off_nothing(string refused, string? at, string message)
    {
        await using var db = await InvoicesAsync();
        var before = await ReceivablesAsync(db);

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            new ErpDatabase(db.DataSource).WriteOffAsync(1, ["INV-4", refused], at is null ? null : DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was written off", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await ReceivablesAsync(db));
    }

    [Fact]
    public async Task Erpdb_post_write_off_writes_off_a_merchants_invoices_and_refuses_without_the_merchant_or_with_a_re_post_s_options()
    {
        await using var db = await InvoicesAsync();
        string[] Post(params string[] args) => ["post", .. args, "--connection", db.ConnectionString, "--format", "json"];

        var noMerchant = await CliRun.RunAsync(Post("--write-off", "INV-1"));
        var withRange = await CliRun.RunAsync(Post("--write-off", "INV-1", "--merchant", "1", "--from", "2026-03-01"));
        var atAlone = await CliRun.RunAsync(Post("--at", "2026-03-31T23:00:00+08:00"));
        var unknown = await CliRun.RunAsync(Post("--write-off", "INV-9", "--merchant", "1"));
        var unchanged = await ReceivablesAsync(db);
        var written = await CliRun.RunAsync(Post("--write-off", "INV-1", "INV-4", "--merchant", "1", "--at", "2026-03-31T23:00:00+08:00"));

        Assert.Equal((2, 2, 2, 2), (noMerchant.ExitCode, withRange.ExitCode, atAlone.ExitCode, unknown.ExitCode));
        Assert.Contains("--write-off needs --merchant", noMerchant.Output + noMerchant.Error, StringComparison.Ordinal);
        Assert.Contains("does not go with --from", withRange.Output + withRange.Error, StringComparison.Ordinal);
        Assert.Contains("invoice_no INV-9 is not a receivable of merchant 1", unknown.Output + unknown.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", unknown.Output + unknown.Error, StringComparison.Ordinal);
        Assert.Equal("INV-1 overdue - alert open, INV-2 overdue - alert open, INV-3 paid - no alert, INV-4 overdue - alert open", unchanged);
        Assert.Equal(0, written.ExitCode);
        var data = written.Json().GetProperty("data");
        Assert.Equal((2, 1420.00m, 2), (data.GetProperty("receivables").GetInt32(), data.GetProperty("outstandingCny").GetDecimal(), data.GetProperty("alertsResolved").GetInt32()));
        Assert.Equal("INV-1 written_off 03-31 23:00 alert resolved, INV-2 overdue - alert open, INV-3 paid - no alert, INV-4 written_off 03-31 23:00 alert resolved",
            await ReceivablesAsync(db));
    }

    /// <summary>
    /// Undoing a write-off: INV-1 (nothing paid) and INV-2 (USD 40 of 100 paid) written off at the month end, then reinstated with
    /// INV-3 (paid, never written off, left as it is). Both owe again, overdue since 19 March with an open alert again; as of the
    /// month end they are still written off (its period kept); a second call changes nothing, and an unknown invoice fails the
    /// call naming it and reinstates nothing.
    /// </summary>
    [Fact]
    public async Task Reinstating_written_off_invoices_makes_them_owe_again_and_keeps_the_write_off_as_of_the_days_it_covered()
    {
        await using var db = await InvoicesAsync();
        var erp = new ErpDatabase(db.DataSource);
        await erp.WriteOffAsync(1, ["INV-1", "INV-2"], MonthEnd);
        var monthEnd = new ReceivableQuery { MerchantId = 1, Status = ReceivableStatus.All, AsOf = new DateOnly(2026, 3, 31) };
        string Rows(ReceivableReport report) => string.Join('|', report.Receivables.Items.OrderBy(r => r.InvoiceNo, StringComparer.Ordinal)
            .Select(r => $"{r.InvoiceNo} {r.Status} {r.Outstanding:0.00}"));
        var writtenOff = await ReceivablesAsync(db);
        var monthEndBefore = Rows((await erp.Queries.ReceivablesAsync(monthEnd)).Data);

        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => erp.ReinstateAsync(1, ["INV-1", "INV-9"]));
        var unchanged = await ReceivablesAsync(db);
        var result = await erp.ReinstateAsync(1, ["INV-1", "INV-2", "INV-3"]);
        var again = await erp.ReinstateAsync(1, ["INV-2", "INV-1"]);
        // What they owe, asked of the facts as mart.receivables counts a balance.
        var owed = await db.ScalarAsync<decimal>(
            "SELECT sum(amount_cny - round(received_amount * exchange_rate, 2)) FROM dw.fact_accounts_receivable WHERE invoice_no IN ('INV-1', 'INV-2')");

        Assert.Contains("invoice_no INV-9 is not a receivable of merchant 1", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was reinstated", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(writtenOff, unchanged);
        Assert.Equal(new ReinstateResult(2, owed, 2), result);
        Assert.Equal(710.00m + (710.00m - 284.00m), owed);
        Assert.True(again.NothingChanged, again.ToString());
        Assert.Equal("INV-1 overdue - alert open, INV-2 overdue - alert open, INV-3 paid - no alert, INV-4 overdue - alert open", await ReceivablesAsync(db));
        Assert.Equal("INV-1 written_off 100.00|INV-2 written_off 60.00|INV-3 paid 0.00|INV-4 overdue 100.00", monthEndBefore);
        Assert.Equal(monthEndBefore, Rows((await erp.Queries.ReceivablesAsync(monthEnd)).Data));
        Assert.Equal("INV-1 overdue 100.00|INV-2 overdue 60.00|INV-3 paid 0.00|INV-4 overdue 100.00",
            Rows((await erp.Queries.ReceivablesAsync(monthEnd with { AsOf = null })).Data));
    }

    [Fact]
    public async Task Erpdb_post_reinstate_undoes_a_merchants_write_offs_and_refuses_without_the_merchant_or_with_another_act()
    {
        await using var db = await InvoicesAsync();
        await new ErpDatabase(db.DataSource).WriteOffAsync(1, ["INV-1"], MonthEnd);
        string[] Post(params string[] args) => ["post", .. args, "--connection", db.ConnectionString, "--format", "json"];

        var noMerchant = await CliRun.RunAsync(Post("--reinstate", "INV-1"));
        var withAt = await CliRun.RunAsync(Post("--reinstate", "INV-1", "--merchant", "1", "--at", "2026-03-31T23:00:00+08:00"));
        var withWriteOff = await CliRun.RunAsync(Post("--reinstate", "INV-1", "--write-off", "INV-4", "--merchant", "1"));
        var unknown = await CliRun.RunAsync(Post("--reinstate", "INV-9", "--merchant", "1"));
        var unchanged = await ReceivablesAsync(db);
        var reinstated = await CliRun.RunAsync(Post("--reinstate", "INV-1", "--merchant", "1"));

        Assert.Equal((2, 2, 2, 2), (noMerchant.ExitCode, withAt.ExitCode, withWriteOff.ExitCode, unknown.ExitCode));
        Assert.Contains("--reinstate needs --merchant", noMerchant.Output + noMerchant.Error, StringComparison.Ordinal);
        Assert.Contains("does not go with --at", withAt.Output + withAt.Error, StringComparison.Ordinal);
        Assert.Contains("does not go with --reinstate", withWriteOff.Output + withWriteOff.Error, StringComparison.Ordinal);
        Assert.Contains("invoice_no INV-9 is not a receivable of merchant 1", unknown.Output + unknown.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", unknown.Output + unknown.Error, StringComparison.Ordinal);
        Assert.Equal("INV-1 written_off 03-31 23:00 alert resolved, INV-2 overdue - alert open, INV-3 paid - no alert, INV-4 overdue - alert open", unchanged);
        Assert.Equal(0, reinstated.ExitCode);
        var data = reinstated.Json().GetProperty("data");
        Assert.Equal((1, 710.00m, 1), (data.GetProperty("receivables").GetInt32(), data.GetProperty("outstandingCny").GetDecimal(), data.GetProperty("overdue").GetInt32()));
        Assert.Equal("INV-1 overdue - alert open, INV-2 overdue - alert open, INV-3 paid - no alert, INV-4 overdue - alert open", await ReceivablesAsync(db));
    }
}
