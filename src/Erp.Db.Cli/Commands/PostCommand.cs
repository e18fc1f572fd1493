using System.CommandLine;
using System.Globalization;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Posting;

namespace Erp.Db.Cli.Commands;

/// <summary><c>erpdb post [--merchant ID|CODE] [--from DATE] [--to DATE] [--recost [--order-no N]] [--write-off INVOICE... [--at TIME]] [--reinstate INVOICE...]</c>: re-post the books from the facts, re-cost booked lines, write off bad debts or undo a write-off (each idempotent).</summary>
internal sealed class PostCommand : Command
{
    private readonly Option<string?> merchant = new("--merchant", "-m") { Description = "Merchant id or code to post; default: every merchant." };

    private readonly Option<DateOnly?> from = new("--from") { Description = "First order date to post (yyyy-MM-dd); default: the first." };

    private readonly Option<DateOnly?> to = new("--to") { Description = "Last order date to post (yyyy-MM-dd); default: the last." };

    private readonly Option<bool> recost = new("--recost")
    {
        Description = "Instead of re-posting: restate the booked cost of the selected orders' lines from their product's unit_cost now (in CNY at the "
            + "order date's rate), and post those orders so their cost and profit follow. Booked costs are otherwise kept when a product's cost "
            + "is corrected. Stock positions and movements keep their costs. Running it again changes nothing.",
    };

    private readonly Option<string?> orderNo = new("--order-no") { Description = "With --recost: only the orders with this number (of --merchant, within --from/--to)." };

    private readonly Option<string[]> writeOff = new("--write-off")
    {
        Description = "Instead of re-posting: write off these invoices of --merchant as bad debts (repeat, or list them after it). Each must "
            + "still owe something (open, partially paid or overdue); its overdue alert resolves. One written off already is left as it is, "
            + "so running it again changes nothing. An unknown, paid or cancelled invoice fails the run and nothing is written off.",
        AllowMultipleArgumentsPerToken = true,
        HelpName = "invoice_no",
    };

    private readonly Option<string[]> reinstate = new("--reinstate")
    {
        Description = "Instead of re-posting: undo the write-off of these invoices of --merchant (a debt recovered, a write-off by mistake; repeat, "
            + "or list them after it). Each owes again with the status its receipts give it, overdue with an alert when past due; "
            + "erpdb receivables --as-of a day the write-off covered still counts it written off. One not written off is left as it is, "
            + "so running it again changes nothing. An unknown invoice fails the run and nothing is reinstated.",
        AllowMultipleArgumentsPerToken = true,
        HelpName = "invoice_no",
    };

    private readonly Option<DateTimeOffset?> at = new("--at")
    {
        HelpName = "time",
        Description = "With --write-off: when the debts were written off (e.g. 2026-11-30T23:59:59+08:00), not in the future nor before an invoice's "
            + "date; default now. erpdb receivables --as-of an earlier day counts them as outstanding.",
    };

    private readonly Database database;

    public PostCommand(CommandRunner runner, Database database)
        : base("post", "Re-post orders to the books, then pending purchases and stock counts; posting again changes nothing.\n"
            + "Orders: cost and units from lines, stock movements and positions (shortages raise alerts), "
            + "receivables of invoiced orders and their settlement by payments. "
            + "Imports already post what they write; this re-posts history. "
            + "--recost restates booked line costs; --write-off writes off bad debts, --reinstate undoes that. See docs/business-flows.md.")
    {
        this.database = database;
        Options.Add(merchant);
        Options.Add(from);
        Options.Add(to);
        Options.Add(recost);
        Options.Add(orderNo);
        Options.Add(writeOff);
        Options.Add(at);
        Options.Add(reinstate);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var first = parseResult.GetValue(from);
        var last = parseResult.GetValue(to);
        if (first is { } f && last is { } l && l < f)
        {
            throw CliException.Validation($"--from: the first day {f:yyyy-MM-dd} is after the last day {l:yyyy-MM-dd}.", new { field = "--from", from = f, to = l });
        }

        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        long? merchantId = parseResult.GetValue(merchant) is { } requested && !string.IsNullOrWhiteSpace(requested)
            ? await Bi.MerchantOption.ResolveAsync(erp, requested, cancellationToken, toWrite: true)
            : null;
        if (parseResult.GetValue(writeOff) is { Length: > 0 } invoices)
        {
            return await WriteOffAsync(erp, parseResult, merchantId, invoices, cancellationToken);
        }
        if (parseResult.GetValue(reinstate) is { Length: > 0 } reinstated)
        {
            return await ReinstateAsync(erp, parseResult, merchantId, reinstated, cancellationToken);
        }
        if (parseResult.GetValue(at) is { } time)
        {
            throw CliException.Validation($"--at goes with --write-off (when the debts were written off), not alone: {time:O}. Add --write-off INVOICE..., or leave --at out.", new { field = "--at" });
        }
        if (parseResult.GetValue(recost))
        {
            return await RecostAsync(erp, merchantId, first, last, parseResult.GetValue(orderNo), cancellationToken);
        }
        if (parseResult.GetValue(orderNo) is { } number)
        {
            throw CliException.Validation($"--order-no goes with --recost (a re-post is of a merchant and a range of order dates), not alone: {number}.",
                new { field = "--order-no", orderNo = number });
        }
        var result = await erp.PostAsync(merchantId, first, last, cancellationToken);
        var data = new
        {
            merchantId,
            from = first,
            to = last,
            orders = result.Orders,
            ordersCosted = result.OrdersCosted,
            movements = result.Movements,
            positions = result.Positions,
            receivables = result.Receivables,
            settled = result.Settled,
            stockCounts = result.StockCounts,
            nothingChanged = result.NothingChanged,
        };
        string[] header = ["orders", "costed", "movements", "positions", "receivables", "settled", "stock_counts"];
        int[] values = [result.Orders, result.OrdersCosted, result.Movements, result.Positions, result.Receivables, result.Settled, result.StockCounts];
        var table = new TableView(header, [values.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray()],
            result.NothingChanged ? "The books were already posted: nothing changed." : "Posted.");
        return new CommandResult(data, table);
    }

    private async Task<CommandResult> WriteOffAsync(ErpDatabase erp, ParseResult parseResult, long? merchantId, string[] invoices, CancellationToken cancellationToken)
    {
        var merchantOfInvoices = MerchantOfInvoices(parseResult, "--write-off", merchantId, ("--reinstate", parseResult.GetValue(reinstate) is { Length: > 0 }));
        WriteOffResult result;
        try
        {
            result = await erp.WriteOffAsync(merchantOfInvoices, invoices, parseResult.GetValue(at), cancellationToken);
        }
        catch (ArgumentException e)
        {
            throw CliException.Validation(e, new { field = "--write-off", invoices, merchantId = merchantOfInvoices });
        }
        var data = new
        {
            merchantId = merchantOfInvoices,
            invoices,
            receivables = result.Receivables,
            outstandingCny = result.OutstandingCny,
            alertsResolved = result.AlertsResolved,
            nothingChanged = result.NothingChanged,
        };
        var table = new TableView(["receivables", "outstanding_cny", "alerts_resolved"],
            [[result.Receivables.ToString(CultureInfo.InvariantCulture), result.OutstandingCny.ToString("0.00", CultureInfo.InvariantCulture), result.AlertsResolved.ToString(CultureInfo.InvariantCulture)]],
            result.NothingChanged ? "Every invoice named was written off already: nothing changed." : "Written off.");
        return new CommandResult(data, table);
    }

    private async Task<CommandResult> ReinstateAsync(ErpDatabase erp, ParseResult parseResult, long? merchantId, string[] invoices, CancellationToken cancellationToken)
    {
        var merchantOfInvoices = MerchantOfInvoices(parseResult, "--reinstate", merchantId, ("--at", parseResult.GetValue(at) is not null));
        ReinstateResult result;
        try
        {
            result = await erp.ReinstateAsync(merchantOfInvoices, invoices, cancellationToken);
        }
        catch (ArgumentException e)
        {
            throw CliException.Validation(e, new { field = "--reinstate", invoices, merchantId = merchantOfInvoices });
        }
        var data = new
        {
            merchantId = merchantOfInvoices,
            invoices,
            receivables = result.Receivables,
            outstandingCny = result.OutstandingCny,
            overdue = result.Overdue,
            nothingChanged = result.NothingChanged,
        };
        var table = new TableView(["receivables", "outstanding_cny", "overdue"],
            [[result.Receivables.ToString(CultureInfo.InvariantCulture), result.OutstandingCny.ToString("0.00", CultureInfo.InvariantCulture), result.Overdue.ToString(CultureInfo.InvariantCulture)]],
            result.NothingChanged ? "No invoice named was written off: nothing changed." : "Reinstated.");
        return new CommandResult(data, table);
    }

    /// <summary>
    /// The merchant an option naming invoices (--write-off, --reinstate) acts for; refuses a re-post's options (--recost, --from,
    /// --to, --order-no) and <paramref name="other"/>, which do not go with it, or no merchant.
    /// </summary>
    private long MerchantOfInvoices(ParseResult parseResult, string option, long? merchantId, (string Name, bool Given) other)
    {
        (string Name, bool Given)[] conflicting =
        [
            ("--recost", parseResult.GetValue(recost)), ("--from", parseResult.GetValue(from) is not null),
            ("--to", parseResult.GetValue(to) is not null), ("--order-no", parseResult.GetValue(orderNo) is not null), other,
        ];
        var others = conflicting.Where(o => o.Given).Select(o => o.Name).ToList();
        if (others.Count > 0)
        {
            throw CliException.Validation($"{option} names invoices; it does not go with {string.Join(", ", others)}. Run them in separate runs of erpdb post.", new { field = option, conflicting = others });
        }
        return merchantId ?? throw CliException.Validation($"{option} needs --merchant ID|CODE: invoice numbers are a merchant's own. Add the merchant the invoices belong to.", new { field = "--merchant" });
    }

    private static async Task<CommandResult> RecostAsync(ErpDatabase erp, long? merchantId, DateOnly? first, DateOnly? last, string? number, CancellationToken cancellationToken)
    {
        var result = await erp.RecostAsync(merchantId, first, last, number, cancellationToken);
        if (number is not null && result.Orders == 0)
        {
            throw CliException.Validation($"--order-no {number} is not an order{(merchantId is { } m ? $" of merchant {m}" : "")}{(first is not null || last is not null ? " in --from/--to" : "")}; nothing was re-costed.",
                new { field = "--order-no", orderNo = number, merchantId });
        }
        var data = new
        {
            merchantId,
            from = first,
            to = last,
            orderNo = number,
            orders = result.Orders,
            lines = result.Lines,
            ordersCosted = result.OrdersCosted,
            nothingChanged = result.NothingChanged,
        };
        int[] values = [result.Orders, result.Lines, result.OrdersCosted];
        var table = new TableView(["orders", "lines", "costed"], [values.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray()],
            result.NothingChanged ? "Every line was at its product's cost: nothing changed." : "Re-costed.");
        return new CommandResult(data, table);
    }
}
