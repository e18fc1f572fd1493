using System.CommandLine;
using System.Globalization;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;

namespace Erp.Db.Cli.Commands;

/// <summary><c>erpdb post [--merchant ID|CODE] [--from DATE] [--to DATE] [--recost [--order-no N]]</c>: re-post the books from the facts, or re-cost booked lines (both idempotent).</summary>
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

    private readonly Database database;

    public PostCommand(CommandRunner runner, Database database)
        : base("post", "Re-post orders to the books, then pending purchases and stock counts; posting again changes nothing.\n"
            + "Orders: cost and units from lines, stock movements and positions (shortages raise alerts), "
            + "receivables of invoiced orders and their settlement by payments. "
            + "Imports already post what they write; this re-posts history. See docs/business-flows.md.")
    {
        this.database = database;
        Options.Add(merchant);
        Options.Add(from);
        Options.Add(to);
        Options.Add(recost);
        Options.Add(orderNo);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var first = parseResult.GetValue(from);
        var last = parseResult.GetValue(to);
        if (first is { } f && last is { } l && l < f)
        {
            throw CliException.Validation($"--to {l:yyyy-MM-dd} is before --from {f:yyyy-MM-dd}.", new { from = f, to = l });
        }

        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        long? merchantId = parseResult.GetValue(merchant) is { } requested && !string.IsNullOrWhiteSpace(requested)
            ? await Bi.MerchantOption.ResolveAsync(erp, requested, cancellationToken, toWrite: true)
            : null;
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
            merchant = merchantId,
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

    private static async Task<CommandResult> RecostAsync(ErpDatabase erp, long? merchantId, DateOnly? first, DateOnly? last, string? number, CancellationToken cancellationToken)
    {
        var result = await erp.RecostAsync(merchantId, first, last, number, cancellationToken);
        if (number is not null && result.Orders == 0)
        {
            throw CliException.Validation($"--order-no {number} is not an order{(merchantId is { } m ? $" of merchant {m}" : "")}{(first is not null || last is not null ? " in --from/--to" : "")}; nothing was re-costed.",
                new { field = "--order-no", orderNo = number, merchant = merchantId });
        }
        var data = new
        {
            merchant = merchantId,
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
