using System.Globalization;
using System.Text.Json;
using Erp.Db.Queries;
using Erp.Db.Queries.Receipts;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Queries;

namespace Erp.Db.Tests.Cli;

/// <summary>
/// erpdb receipts (<see cref="WarehouseQueries.ReceiptsAsync"/>): payment receipts imported by <c>erpdb import payments</c>, above all the
/// unapplied ones (a payment naming neither an invoice nor an order), each answer equal to the same question asked of
/// dw.fact_payment_receipts.
/// </summary>
public class ReceiptsCommandTests
{
    /// <summary>
    /// Imports, besides the fixture's receipts (applied, no reference): for merchant 1 an unapplied CNY receipt today, one applied to
    /// inv-2 by invoice number, one by order number to a receivable made here for an order that is not invoiced (a credit once settled), an unapplied USD one ten days ago at 7.1; for
    /// merchant 2 an unapplied one.
    /// </summary>
    private static async Task<string> ImportPaymentsAsync(TestDatabase db)
    {
        var orderNo = await db.ScalarAsync<string>("""
            WITH o AS (SELECT * FROM dw.fact_sales_orders WHERE merchant_id = 1 ORDER BY order_id LIMIT 1)
            INSERT INTO dw.fact_accounts_receivable (merchant_id, shop_id, invoice_no, amount, invoice_date, due_date, status, order_id, order_date)
            SELECT merchant_id, shop_id, 'inv-o', 90, order_date, order_date + 30, 'open', order_id, order_date FROM o
            RETURNING (SELECT order_no FROM o)
            """);
        var today = await db.ScalarAsync<DateOnly>("SELECT CURRENT_DATE");
        string Day(int back) => today.AddDays(-back).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var file = Path.Combine(Path.GetTempPath(), $"erpdb-receipts-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(file,
        [
            "merchant_code,reference_no,receipt_date,received_at,amount,currency_code,exchange_rate,payment_method,invoice_no,order_no",
            $"m1,U-1,{Day(0)},{Day(0)}T09:30:00+08:00,75,,,bank_transfer,,",
            $"m1,A-INV,{Day(1)},{Day(1)}T10:00:00+08:00,120,,,platform_settlement,inv-2,",
            $"m1,A-ORD,{Day(2)},{Day(2)}T11:00:00+08:00,40,,,card,,{orderNo}",
            $"m1,U-USD,{Day(10)},{Day(10)}T08:00:00+08:00,10.55,USD,7.1,e_wallet,,",
            $"m2,U-B,{Day(1)},{Day(1)}T12:00:00+08:00,33,,,cash,,",
        ]);
        try
        {
            var run = await CliRun.RunAsync("import", "payments", file, "--connection", db.ConnectionString, "--format", "json");
            Assert.True(run.ExitCode == 0, run.Output + run.Error);
        }
        finally
        {
            File.Delete(file);
        }
        return orderNo!;
    }

    /// <summary>
    /// The receipts of the facts with what became of each (<c>state</c>): named no receivable, paid to one that stands, to one
    /// cancelled whose order is refunded, to one otherwise cancelled. <c>unapplied</c>: the ones to match by hand.
    /// </summary>
    private static string Facts(long merchant) => $"""
        SELECT p.*, r.invoice_no, o.order_no, s.state, s.state IN ('none', 'cancelled') AS unapplied
        FROM dw.fact_payment_receipts AS p
        LEFT JOIN dw.fact_accounts_receivable AS r ON r.merchant_id = p.merchant_id AND r.receivable_id = p.receivable_id
        LEFT JOIN dw.fact_sales_orders AS o ON o.merchant_id = r.merchant_id AND o.order_id = r.order_id AND o.order_date = r.order_date
        CROSS JOIN LATERAL (SELECT CASE WHEN r.receivable_id IS NULL THEN 'none' WHEN r.status = 'cancelled'
                                        THEN CASE o.status WHEN 'refunded' THEN 'refunded' ELSE 'cancelled' END ELSE 'stands' END AS state) AS s
        WHERE p.merchant_id = {merchant}
        """;

    /// <summary>The merchant's receipts from the facts, newest first, one string per receipt.</summary>
    private static string Expected(long merchant, string where = "true") => $"""
        SELECT coalesce(string_agg(concat_ws('|', coalesce(p.reference_no, '-'), p.receipt_date, p.amount, p.currency_code, p.amount_cny, p.payment_method,
                   coalesce(p.invoice_no, '-'), coalesce(p.order_no, '-'), p.state, p.unapplied::text), ',' ORDER BY p.receipt_date DESC, p.received_at DESC, p.receipt_id DESC), '')
        FROM ({Facts(merchant)}) AS p
        WHERE {where}
        """;

    /// <summary>The totals from the facts: count and CNY, then of them the applied, unapplied, credit and refunded count and CNY.</summary>
    private static string ExpectedTotals(long merchant, string where = "true") => $"""
        SELECT concat_ws('|', count(*), coalesce(sum(amount_cny), 0)::numeric(18, 2),
                         count(*) FILTER (WHERE state = 'stands'), coalesce(sum(amount_cny) FILTER (WHERE state = 'stands'), 0)::numeric(18, 2),
                         count(*) FILTER (WHERE unapplied), coalesce(sum(amount_cny) FILTER (WHERE unapplied), 0)::numeric(18, 2),
                         count(*) FILTER (WHERE state = 'cancelled'), coalesce(sum(amount_cny) FILTER (WHERE state = 'cancelled'), 0)::numeric(18, 2),
                         count(*) FILTER (WHERE state = 'refunded'), coalesce(sum(amount_cny) FILTER (WHERE state = 'refunded'), 0)::numeric(18, 2))
        FROM ({Facts(merchant)}) AS p WHERE {where}
        """;

    /// <summary>The facts' words for what became of a receipt, by the report's.</summary>
    private static string State(string? application) => application switch
    {
        "applied" => "stands",
        "unapplied" => "none",
        "credit" => "cancelled",
        _ => application ?? "-",
    };

    private static string Actual(JsonElement data) => string.Join(",", data.GetProperty("receipts").GetProperty("items").EnumerateArray()
        .Select(r => string.Join("|", Text(r, "referenceNo") ?? "-", r.GetProperty("receiptDate").GetString(), Money(r, "amount"), Text(r, "currency"),
            Money(r, "amountCny"), Text(r, "paymentMethod"), Text(r, "invoiceNo") ?? "-", Text(r, "orderNo") ?? "-", State(Text(r, "application")),
            r.GetProperty("unapplied").GetBoolean() ? "true" : "false")));

    private static string Totals(JsonElement data)
    {
        var t = data.GetProperty("totals");
        return string.Join("|", t.GetProperty("count").GetInt64(), Money(t, "amountCny"), t.GetProperty("appliedCount").GetInt64(), Money(t, "appliedCny"),
            t.GetProperty("unappliedCount").GetInt64(), Money(t, "unappliedCny"), t.GetProperty("creditCount").GetInt64(), Money(t, "creditCny"),
            t.GetProperty("refundedCount").GetInt64(), Money(t, "refundedCny"));
    }

    private static string? Text(JsonElement row, string name) => row.GetProperty(name).ValueKind == JsonValueKind.Null ? null : row.GetProperty(name).GetString();

    private static string Money(JsonElement row, string name) => row.GetProperty(name).GetDecimal().ToString("0.00", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Receipts_list_every_receipt_newest_first_with_the_invoice_and_order_it_settled_and_totals_as_the_facts_have_them()
    {
        await using var f = await QueryFixture.CreateAsync();
        var orderNo = await ImportPaymentsAsync(f.Db);
        string[] common = ["--merchant", "1", "--page-size", "500", "--format", "json", "--connection", f.Db.ConnectionString];

        var all = await CliRun.RunAsync(["receipts", .. common]);

        Assert.True(all.ExitCode == 0, all.Output + all.Error);
        var data = all.Json().GetProperty("data");
        Assert.Equal(await f.Db.ScalarAsync<string>(Expected(1)), Actual(data));
        Assert.Equal(await f.Db.ScalarAsync<string>(ExpectedTotals(1)), Totals(data));
        var rows = data.GetProperty("receipts").GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("U-1", rows[0].GetProperty("referenceNo").GetString());
        Assert.True(rows[0].GetProperty("unapplied").GetBoolean());
        var byOrder = rows.Single(r => Text(r, "referenceNo") == "A-ORD");
        // The receivable made by hand belongs to an order that is not invoiced: settling it cancelled it, and the money paid to it
        // is a credit, listed with the unapplied receipts, not lost.
        Assert.Equal("cancelled", await f.Db.ScalarAsync<string>("SELECT status FROM dw.fact_accounts_receivable WHERE invoice_no = 'inv-o'"));
        Assert.Equal(("inv-o", orderNo, true, "credit"),
            (Text(byOrder, "invoiceNo"), Text(byOrder, "orderNo"), byOrder.GetProperty("unapplied").GetBoolean(), Text(byOrder, "application")));
        var usd = rows.Single(r => Text(r, "referenceNo") == "U-USD");
        Assert.Equal(("USD", 10.55m, 74.91m), (Text(usd, "currency"), usd.GetProperty("amount").GetDecimal(), usd.GetProperty("amountCny").GetDecimal()));
        Assert.Equal(await f.Db.ScalarAsync<DateTime>("SELECT received_at FROM dw.fact_payment_receipts WHERE reference_no = 'U-USD'"),
            usd.GetProperty("receivedAt").GetDateTimeOffset().UtcDateTime);
        Assert.Equal(0, all.Json().GetProperty("meta").GetProperty("freshness").GetArrayLength());
    }

    [Fact]
    public async Task Unapplied_lists_the_receipts_imported_without_invoice_or_order_and_the_credits_not_the_applied_ones()
    {
        await using var f = await QueryFixture.CreateAsync();
        await ImportPaymentsAsync(f.Db);
        string[] common = ["--merchant", "1", "--page-size", "500", "--format", "json", "--connection", f.Db.ConnectionString];

        var unapplied = await CliRun.RunAsync(["receipts", "--unapplied", .. common]);

        Assert.True(unapplied.ExitCode == 0, unapplied.Output + unapplied.Error);
        var data = unapplied.Json().GetProperty("data");
        var items = data.GetProperty("receipts").GetProperty("items").EnumerateArray().ToList();
        // The receipts that named no receivable, and the credit: A-ORD, paid to a receivable that settling cancelled.
        Assert.Equal(["U-1", "A-ORD", "U-USD"], items.Select(r => Text(r, "referenceNo")));
        Assert.Equal(["unapplied", "credit", "unapplied"], items.Select(r => Text(r, "application")));
        Assert.Equal(await f.Db.ScalarAsync<string>(Expected(1, "unapplied")), Actual(data));
        Assert.Equal(await f.Db.ScalarAsync<string>(ExpectedTotals(1, "unapplied")), Totals(data));
        var t = data.GetProperty("totals");
        Assert.Equal((3L, 189.91m, 1L, 40m), (t.GetProperty("unappliedCount").GetInt64(), t.GetProperty("unappliedCny").GetDecimal(),
            t.GetProperty("creditCount").GetInt64(), t.GetProperty("creditCny").GetDecimal()));
        Assert.True(data.GetProperty("unappliedOnly").GetBoolean());
    }

    [Fact]
    public async Task From_and_to_bound_the_receipt_dates_and_the_totals_cover_every_page()
    {
        await using var f = await QueryFixture.CreateAsync();
        await ImportPaymentsAsync(f.Db);
        var today = await f.Db.ScalarAsync<DateOnly>("SELECT CURRENT_DATE");
        string Day(int back) => today.AddDays(-back).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string[] common = ["--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString];

        var window = await CliRun.RunAsync(["receipts", "--from", Day(3), "--to", Day(1), "--page-size", "500", .. common]);
        var whole = (await CliRun.RunAsync(["receipts", "--page-size", "500", .. common])).Json().GetProperty("data");
        var second = (await CliRun.RunAsync(["receipts", "--page-size", "2", "--page", "2", .. common])).Json().GetProperty("data");
        var backwards = await CliRun.RunAsync(["receipts", "--from", Day(1), "--to", Day(3), .. common]);

        Assert.True(window.ExitCode == 0, window.Output + window.Error);
        var where = $"p.receipt_date BETWEEN DATE '{Day(3)}' AND DATE '{Day(1)}'";
        Assert.Equal(await f.Db.ScalarAsync<string>(Expected(1, where)), Actual(window.Json().GetProperty("data")));
        Assert.Equal(await f.Db.ScalarAsync<string>(ExpectedTotals(1, where)), Totals(window.Json().GetProperty("data")));
        Assert.Equal(Day(3), window.Json().GetProperty("data").GetProperty("from").GetString());
        // Page 2 of 2-row pages is the third and fourth receipt of the whole list; the totals are the whole list's.
        var items = whole.GetProperty("receipts").GetProperty("items").EnumerateArray().Select(r => r.GetProperty("receiptId").GetInt64()).ToList();
        Assert.True(items.Count >= 5, "the data needs five receipts of merchant 1");
        Assert.Equal(items.Skip(2).Take(2), second.GetProperty("receipts").GetProperty("items").EnumerateArray().Select(r => r.GetProperty("receiptId").GetInt64()));
        Assert.Equal(Totals(whole), Totals(second));
        Assert.Equal(items.Count, second.GetProperty("receipts").GetProperty("total").GetInt64());
        Assert.Equal((items.Count + 1) / 2, second.GetProperty("receipts").GetProperty("pages").GetInt64());
        Assert.Equal(2, backwards.ExitCode);
        Assert.Equal("VALIDATION_ERROR", backwards.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("--from", backwards.Json().GetProperty("error").GetProperty("details").GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_reader_scoped_to_one_merchant_never_sees_the_others_receipts()
    {
        await using var f = await QueryFixture.CreateAsync();
        await ImportPaymentsAsync(f.Db);
        await using var reader = await TestLogin.CreateAsync(f.Db, "erp_reader");
        await using var unscoped = await TestLogin.CreateAsync(f.Db, "erp_reader");
        await f.Db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 1)");
        string[] common = ["--page-size", "500", "--format", "json", "--connection", reader.ConnectionString];

        var own = await CliRun.RunAsync(["receipts", .. common]);
        var unapplied = await CliRun.RunAsync(["receipts", "--unapplied", .. common]);
        var other = await CliRun.RunAsync(["receipts", "--merchant", "2", .. common]);
        var otherByCode = await CliRun.RunAsync(["receipts", "--merchant", "m2", .. common]);

        Assert.True(own.ExitCode == 0, own.Output + own.Error);
        Assert.Equal(await f.Db.ScalarAsync<string>(Expected(1)), Actual(own.Json().GetProperty("data")));
        Assert.Equal(await f.Db.ScalarAsync<string>(ExpectedTotals(1, "unapplied")), Totals(unapplied.Json().GetProperty("data")));
        Assert.DoesNotContain("U-B", own.Output, StringComparison.Ordinal);
        Assert.Equal((7, "FORBIDDEN"), (other.ExitCode, other.Json().GetProperty("error").GetProperty("code").GetString()));
        Assert.Equal(2, otherByCode.ExitCode);
        // The view itself: the reader's merchant whatever it asks for, nothing without a scope.
        Assert.Equal(0L, await reader.ScalarAsync<long>("SELECT count(*) FROM mart.receipts WHERE merchant_id <> 1"));
        Assert.True(await reader.ScalarAsync<long>("SELECT count(*) FROM mart.receipts") > 0);
        Assert.Equal(0L, await unscoped.ScalarAsync<long>("SELECT count(*) FROM mart.receipts"));
        Assert.Equal(0L, await f.Db.ScalarAsync<long>("SELECT count(*) FROM ops.merchant_isolation_problems()"));
        // The library as the owner, scoped per transaction: merchant 2's receipts only.
        var owner = await f.Erp.Queries.ReceiptsAsync(new ReceiptQuery { MerchantId = 2, UnappliedOnly = true });
        Assert.Equal(["U-B"], owner.Data.Receipts.Items.Select(r => r.ReferenceNo));
    }

    [Fact]
    public async Task The_library_refuses_a_bad_page_and_dates_out_of_order_before_reading_anything()
    {
        await using var f = await QueryFixture.CreateAsync();

        var page = await Assert.ThrowsAsync<QueryValidationException>(() =>
            f.Erp.Queries.ReceiptsAsync(new ReceiptQuery { MerchantId = 1, Paging = new Paging(0, 10) }));
        var order = await Assert.ThrowsAsync<QueryValidationException>(() =>
            f.Erp.Queries.ReceiptsAsync(new ReceiptQuery { MerchantId = 1, From = new DateOnly(2026, 3, 2), To = new DateOnly(2026, 3, 1) }));
        var range = await Assert.ThrowsAsync<QueryValidationException>(() =>
            f.Erp.Queries.ReceiptsAsync(new ReceiptQuery { MerchantId = 1, To = new DateOnly(1999, 12, 31) }));
        var future = await Assert.ThrowsAsync<QueryValidationException>(() =>
            f.Erp.Queries.ReceiptsAsync(new ReceiptQuery { MerchantId = 1, From = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(3) }));

        Assert.Equal(("page", "from", "to", "from"), (page.Field, order.Field, range.Field, future.Field));
    }
}
