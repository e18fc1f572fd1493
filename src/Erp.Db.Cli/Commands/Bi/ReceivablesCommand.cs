using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries.Receivables;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb receivables</c>: receivables one by one with days overdue and aging buckets.</summary>
internal sealed class ReceivablesCommand : Command
{
    private readonly Option<ReceivableStatus> status = new("--status")
    {
        Description = "open (not settled: open, partially paid or overdue), overdue (not settled and past the due date), paid, or all (cancelled and written off too).",
        DefaultValueFactory = _ => ReceivableStatus.Open,
    };

    private readonly Option<bool> aging = new("--aging")
    {
        Description = "Add the aging summary: receivables and outstanding CNY per bucket (current = not yet due; 0-30, 31-60, 61-90, 90+ days overdue) over every matching receivable.",
    };

    private readonly Option<ReceivableSort> sortBy = new("--sort-by")
    {
        Description = "overdue (most days overdue first, then the largest outstanding) or largest (largest outstanding CNY first, then the most overdue).",
        DefaultValueFactory = _ => ReceivableSort.Overdue,
    };

    private readonly Option<DateOnly?> asOf = new("--as-of")
    {
        Description = "Age as of this day (yyyy-MM-dd), e.g. a month end: before today, the receivables invoiced by then with the receipts dated by then (one cancelled or written off after the day, in the merchant's time zone, as it stood then); today or later, the stored figures aged as of that day. Default: today (the database's date: docs/today.md).",
    };

    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PagingOptions paging;

    public ReceivablesCommand(CommandRunner runner, Database database)
        : base("receivables", "Receivables one by one with their aging as of today (or --as-of a month end), and their totals.\nEach with invoice and order number, shop, amount, received and outstanding (CNY), due date, days overdue and aging bucket as of today (or --as-of), most overdue first, then the largest (--sort-by largest: the largest first); with totals.")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        Options.Add(status);
        Options.Add(aging);
        Options.Add(sortBy);
        Options.Add(asOf);
        paging = new PagingOptions(this, defaultSize: 50);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var query = new ReceivableQuery
        {
            MerchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken),
            AsOf = parseResult.GetValue(asOf),
            Status = parseResult.GetValue(status),
            Aging = parseResult.GetValue(aging),
            SortBy = parseResult.GetValue(sortBy),
            Paging = paging.Resolve(parseResult),
        };
        var result = await erp.Queries.ReceivablesAsync(query, cancellationToken);
        var data = result.Data;
        var t = data.Totals;
        var table = new TableView(
            ["Invoice", "Order", "Shop", "Amount", "Received", "Outstanding", "Due", "Days", "Aging", "Status"],
            [.. data.Receivables.Items.Select(r => BiResult.Row(r.InvoiceNo ?? $"#{r.ReceivableId}", r.OrderNo, r.ShopName, Cells.Money(r.AmountCny), Cells.Money(r.ReceivedCny),
                Cells.Money(r.OutstandingCny), $"{r.DueDate:yyyy-MM-dd}", r.DaysOverdue is { } days ? Cells.Count(days) : "", r.AgingBucket, r.Status))],
            $"{Cells.Count(t.Listed)} {query.Status.ToString().ToLowerInvariant()} receivables as of {data.AsOf:yyyy-MM-dd}"
            + (t.Listed != t.Count ? $", {Cells.Count(t.Count)} of them counted as invoiced (cancelled and written-off ones are not)" : "")
            + $"; amounts in CNY: outstanding {Cells.Money(t.OutstandingCny)}, "
            + $"{Cells.Money(t.OverdueCny)} overdue in {Cells.Count(t.OverdueCount)}. Page {data.Receivables.Page} of {Math.Max(1, data.Receivables.Pages)}.", Records: data.Receivables.Items, Page: PageOf.From(data.Receivables));
        if (data.Aging is not { } buckets)
        {
            return BiResult.From(result, table);
        }
        var summary = new TableView(
            ["Aging", "Receivables", "Outstanding"],
            [.. buckets.Select(b => BiResult.Row(b.Name, Cells.Count(b.Count), Cells.Money(b.OutstandingCny))),
             BiResult.Row("total", Cells.Count(buckets.Sum(b => b.Count)), Cells.Money(buckets.Sum(b => b.OutstandingCny)))],
            $"Aging: days past the due date as of {data.AsOf:yyyy-MM-dd}; current = not yet due.", Records: buckets);
        return BiResult.From(result, table, summary);
    }
}
