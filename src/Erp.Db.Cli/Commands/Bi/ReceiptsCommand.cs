using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries.Receipts;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb receipts</c>: payment receipts one by one, above all the unapplied ones (those that settle no receivable).</summary>
internal sealed class ReceiptsCommand : Command
{
    private readonly Option<bool> unapplied = new("--unapplied")
    {
        Description = "Only unapplied receipts: payments that named neither an invoice nor an order, so settle no receivable, "
            + "and credits: payments to a receivable since cancelled, to refund or to apply to another invoice.",
    };

    private readonly Option<DateOnly?> from = new("--from", "--start") { Description = "First receipt date (yyyy-MM-dd), included. Default: no lower bound." };
    private readonly Option<DateOnly?> to = new("--to", "--end") { Description = "Last receipt date (yyyy-MM-dd), included. Default: no upper bound." };

    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PagingOptions paging;

    public ReceiptsCommand(CommandRunner runner, Database database)
        : base("receipts", "Payment receipts one by one, newest first; --unapplied: those that settle no receivable, and credits.\n"
            + "Each with its receipt date, time received, amount and currency, amount in CNY (at the receipt's own rate), payment method, "
            + "reference, the invoice and order number of the receivable it was paid to, and what became of it: applied, unapplied, "
            + "credit (paid to a receivable since cancelled) or refunded (its order refunded); with totals over every matching "
            + "receipt (count and CNY, and of them the applied, the unapplied with the credits, and the refunded). "
            + "Read from the receipts themselves: always current.")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        Options.Add(unapplied);
        Options.Add(from);
        Options.Add(to);
        paging = new PagingOptions(this, defaultSize: 50);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var first = parseResult.GetValue(from);
        var last = parseResult.GetValue(to);
        var query = new ReceiptQuery
        {
            MerchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken),
            UnappliedOnly = parseResult.GetValue(unapplied),
            From = first,
            To = last,
            Paging = paging.Resolve(parseResult),
        };
        var result = await erp.Queries.ReceiptsAsync(query, cancellationToken);
        var data = result.Data;
        var t = data.Totals;
        var what = query.UnappliedOnly ? "unapplied receipts" : "receipts";
        var when = (first, last) switch
        {
            (null, null) => "",
            ({ } f, null) => $" from {f:yyyy-MM-dd}",
            (null, { } l) => $" up to {l:yyyy-MM-dd}",
            ({ } f, { } l) => $" from {f:yyyy-MM-dd} to {l:yyyy-MM-dd}",
        };
        var table = new TableView(
            ["Date", "Received", "Amount", "Cur", "CNY", "Method", "Reference", "Invoice", "Order", "Applied"],
            [.. data.Receipts.Items.Select(r => BiResult.Row($"{r.ReceiptDate:yyyy-MM-dd}", Cells.Time(r.ReceivedAt), Cells.Money(r.Amount), r.Currency,
                Cells.Money(r.AmountCny), r.PaymentMethod, r.ReferenceNo, r.ReceivableId is null ? "" : r.InvoiceNo ?? $"#{r.ReceivableId}", r.OrderNo,
                r.Application))],
            $"{Cells.Count(t.Count)} {what}{when}: {Cells.Money(t.AmountCny)} CNY, of which "
            + (query.UnappliedOnly ? "" : $"applied {Cells.Money(t.AppliedCny)} in {Cells.Count(t.AppliedCount)}, unapplied {Cells.Money(t.UnappliedCny)} in {Cells.Count(t.UnappliedCount)} (")
            + $"credits on cancelled invoices {Cells.Money(t.CreditCny)} in {Cells.Count(t.CreditCount)}"
            + (query.UnappliedOnly ? ". " : $"), refunded {Cells.Money(t.RefundedCny)} in {Cells.Count(t.RefundedCount)}. ")
            + $"Page {data.Receipts.Page} of {Math.Max(1, data.Receipts.Pages)}.", Records: data.Receipts.Items, Page: PageOf.From(data.Receipts));
        return BiResult.From(result, table);
    }
}
