using CsCheck;
using Erp.Db.Ingest;
using Erp.Db.Queries.Receipts;
using Erp.Db.Queries.Receivables;
using Erp.Db.Tests.Ingest;
using static Erp.Db.Tests.Posting.PostingSample;

namespace Erp.Db.Tests.Posting;

/// <summary>
/// What becomes of money received (<see cref="ReceiptRow.Application"/>): paid to a receivable that stands it is applied; paid to
/// one cancelled (before or after the payment) it is a credit, listed with the unapplied receipts until it is applied to another
/// invoice or its order is refunded. Every receipt is in exactly one of applied, unapplied and refunded.
/// </summary>
public class ReceiptApplicationTests
{
    private static readonly DateTimeOffset Paid = new(2026, 3, 20, 10, 0, 0, TimeSpan.Zero);

    private static OrderRow Invoiced(string orderNo, string invoice, string status = "completed") =>
        Order(orderNo, status, gmv: 100m) with { IsInvoiced = true, InvoiceId = invoice };

    private static PaymentRow Payment(string reference, decimal amount, string? invoice) =>
        new(1, reference, Day, Paid, amount) { CurrencyCode = "USD", ExchangeRate = 7.1m, InvoiceNo = invoice };

    private static async Task<ReceiptReport> ReceiptsAsync(ErpDatabase erp, bool unapplied = false) =>
        (await erp.Queries.ReceiptsAsync(new ReceiptQuery { MerchantId = 1, UnappliedOnly = unapplied, Paging = new(1, 500) })).Data;

    private static string Applications(ReceiptReport report) =>
        string.Join(',', report.Receipts.Items.OrderBy(r => r.ReferenceNo, StringComparer.Ordinal).Select(r => $"{r.ReferenceNo}:{r.Application}:{r.InvoiceNo}"));

    [Fact]
    public async Task A_payment_to_a_cancelled_invoice_is_a_credit_whether_it_came_before_or_after_the_cancellation()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        var erp = new ErpDatabase(db.DataSource);
        await ingest.UpsertOrdersAsync([Invoiced("V-1", "INV-1"), Invoiced("V-2", "INV-2"), Invoiced("V-3", "INV-3")]);

        // V-1 paid, then cancelled; V-2 cancelled, then paid; V-3 paid and standing.
        await ingest.UpsertPaymentsAsync([Payment("BANK-1", 40m, "INV-1"), Payment("BANK-3", 10m, "INV-3")]);
        await ingest.UpsertOrdersAsync([Invoiced("V-1", "INV-1", "cancelled"), Invoiced("V-2", "INV-2", "cancelled")]);
        await ingest.UpsertPaymentsAsync([Payment("BANK-2", 30m, "INV-2")]);
        var all = await ReceiptsAsync(erp);
        var unapplied = await ReceiptsAsync(erp, unapplied: true);
        var open = (await erp.Queries.ReceivablesAsync(new ReceivableQuery { MerchantId = 1 })).Data;

        Assert.Equal("BANK-1:credit:INV-1,BANK-2:credit:INV-2,BANK-3:applied:INV-3", Applications(all));
        Assert.Equal("BANK-1:credit:INV-1,BANK-2:credit:INV-2", Applications(unapplied));
        Assert.All(unapplied.Receipts.Items, r => Assert.True(r.Unapplied));
        Assert.Equal((3L, 568.00m, 1L, 71.00m, 2L, 497.00m, 2L, 497.00m, 0L, 0m), (all.Totals.Count, all.Totals.AmountCny, all.Totals.AppliedCount,
            all.Totals.AppliedCny, all.Totals.UnappliedCount, all.Totals.UnappliedCny, all.Totals.CreditCount, all.Totals.CreditCny,
            all.Totals.RefundedCount, all.Totals.RefundedCny));
        // The receivables the money was paid to are cancelled: nothing outstanding there, only V-3's 90 USD.
        Assert.Equal((1L, 639.00m), (open.Totals.Count, open.Totals.OutstandingCny));
        Assert.Equal("cancelled|40.00|cancelled|30.00", await db.ScalarAsync<string>(
            "SELECT string_agg(status || '|' || received_amount, '|' ORDER BY invoice_no) FROM dw.fact_accounts_receivable WHERE invoice_no IN ('INV-1', 'INV-2')"));

        // The credit is cleared the two ways an accountant has: V-2's money applied to V-3's invoice, V-1 refunded.
        await ingest.UpsertPaymentsAsync([Payment("BANK-2", 30m, "INV-3")]);
        await ingest.UpsertOrdersAsync([Invoiced("V-1", "INV-1", "refunded")]);
        var cleared = await ReceiptsAsync(erp);

        Assert.Equal("BANK-1:refunded:INV-1,BANK-2:applied:INV-3,BANK-3:applied:INV-3", Applications(cleared));
        Assert.Equal((0L, 0m, 1L, 284.00m), (cleared.Totals.UnappliedCount, cleared.Totals.UnappliedCny, cleared.Totals.RefundedCount, cleared.Totals.RefundedCny));
        Assert.Equal(cleared.Totals.AmountCny, cleared.Totals.AppliedCny + cleared.Totals.UnappliedCny + cleared.Totals.RefundedCny);
        Assert.Equal("40.00|partially_paid", await db.ScalarAsync<string>("SELECT received_amount || '|' || status FROM dw.fact_accounts_receivable WHERE invoice_no = 'INV-3'"));
    }

    /// <summary>
    /// Property: for any sequence of payments (to an invoice, or to none) and status changes of three invoiced orders, after each
    /// step every receipt is applied while its order is a sale, a credit while it is cancelled or returned, refunded while it is
    /// refunded, unapplied when it named no invoice; money in = applied + unapplied + refunded, in count and CNY; and the open
    /// receivables owe what the sales' invoices were not paid.
    /// </summary>
    [Fact]
    public async Task Money_received_is_always_applied_unapplied_or_refunded_whatever_the_order_of_payments_and_cancellations()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        var erp = new ErpDatabase(db.DataSource);
        string[] statuses = ["completed", "cancelled", "returned", "refunded"];
        // A step: (0 pay, 1 pay no invoice, 2 change status), the order, a share of what it still owes (%), a status.
        var step = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[1, 100], Gen.Int[0, 3]);
        var n = 0;
        await step.Array[1, 8].SampleAsync(async steps =>
        {
            var batch = ++n;
            var orders = Enumerable.Range(0, 3).Select(i => $"P{batch}-{i}").ToArray();
            await ingest.UpsertOrdersAsync([.. orders.Select(o => Invoiced(o, $"INV-{o}"))]);
            var status = orders.ToDictionary(o => o, _ => "completed");
            var received = orders.ToDictionary(o => o, _ => 0m);
            var receipts = new List<(string Reference, string? Order, decimal Cny)>();
            foreach (var ((kind, k, share, s), i) in steps.Select((x, i) => (x, i)))
            {
                var order = orders[k];
                if (kind == 2)
                {
                    status[order] = statuses[s];
                    await ingest.UpsertOrdersAsync([Invoiced(order, $"INV-{order}", statuses[s])]);
                }
                else
                {
                    var amount = kind == 1 ? share : Math.Round((100m - received[order]) * share / 100m, 2);
                    if (amount <= 0m)
                    {
                        continue;
                    }
                    await ingest.UpsertPaymentsAsync([Payment($"B{batch}-{i}", amount, kind == 1 ? null : $"INV-{order}")]);
                    if (kind == 0)
                    {
                        received[order] += amount;
                    }
                    receipts.Add(($"B{batch}-{i}", kind == 1 ? null : order, Math.Round(amount * 7.1m, 2, MidpointRounding.AwayFromZero)));
                }

                string Expected(string? o) => o is null ? "unapplied" : status[o] switch
                {
                    "completed" => "applied",
                    "refunded" => "refunded",
                    _ => "credit",
                };
                var report = await ReceiptsAsync(erp);
                var mine = report.Receipts.Items.Where(r => r.ReferenceNo!.StartsWith($"B{batch}-", StringComparison.Ordinal)).ToDictionary(r => r.ReferenceNo!);
                Assert.Equal(receipts.Select(r => $"{r.Reference}:{Expected(r.Order)}"), receipts.Select(r => $"{r.Reference}:{mine[r.Reference].Application}"));
                Assert.All(mine.Values, r => Assert.Equal(r.Application is "unapplied" or "credit", r.Unapplied));
                var t = report.Totals;
                Assert.Equal(t.Count, t.AppliedCount + t.UnappliedCount + t.RefundedCount);
                Assert.Equal(t.AmountCny, t.AppliedCny + t.UnappliedCny + t.RefundedCny);
                Assert.True(t.CreditCount <= t.UnappliedCount && t.CreditCny <= t.UnappliedCny);
                Assert.Equal(await db.ScalarAsync<decimal>("SELECT coalesce(sum(amount_cny), 0) FROM dw.fact_payment_receipts"), t.AmountCny);
                // This batch's part of each total is what the model says.
                foreach (var application in new[] { "applied", "unapplied", "credit", "refunded" })
                {
                    Assert.Equal(receipts.Where(r => Expected(r.Order) == application).Sum(r => r.Cny),
                        mine.Values.Where(r => r.Application == application).Sum(r => r.AmountCny));
                }
                // The open receivables of the batch owe each sale's invoice less what was paid to it.
                var open = (await erp.Queries.ReceivablesAsync(new ReceivableQuery { MerchantId = 1, Paging = new(1, 500) })).Data.Receivables.Items
                    .Where(r => r.OrderNo!.StartsWith($"P{batch}-", StringComparison.Ordinal)).ToList();
                Assert.Equal(orders.Where(o => status[o] == "completed" && received[o] < 100m).Select(o => $"{o}:{100m - received[o]:0.00}"),
                    open.OrderBy(r => r.OrderNo, StringComparer.Ordinal).Select(r => $"{r.OrderNo}:{r.Outstanding:0.00}"));
            }
        }, iter: 12, threads: 1, print: s => string.Join(' ', s.Select(x => x.ToString())));
    }
}
