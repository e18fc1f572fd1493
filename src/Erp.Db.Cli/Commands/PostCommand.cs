using System.CommandLine;
using System.Globalization;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;

namespace Erp.Db.Cli.Commands;

/// <summary><c>erpdb post [--merchant ID|CODE] [--from DATE] [--to DATE]</c>: re-post the books from the facts (idempotent).</summary>
internal sealed class PostCommand : Command
{
    private readonly Option<string?> merchant = new("--merchant", "-m") { Description = "Merchant id or code to post; default: every merchant." };

    private readonly Option<DateOnly?> from = new("--from") { Description = "First order date to post (yyyy-MM-dd); default: the first." };

    private readonly Option<DateOnly?> to = new("--to") { Description = "Last order date to post (yyyy-MM-dd); default: the last." };

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
}
