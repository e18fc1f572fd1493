using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries.StockMovements;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb movements</c>: stock movements one by one, each with the book balance on hand right after it.</summary>
internal sealed class MovementsCommand : Command
{
    private readonly Option<string?> sku = new("--sku") { Description = "Only this product's movements (its SKU, exactly as imported). Default: every product." };
    private readonly Option<string?> warehouse = new("--warehouse") { Description = "Only this warehouse's movements (its code, without case; orders ship from their merchant's shipping warehouse, 'default' unless set); a code none of the merchant's positions or movements has is an error listing those it has. Default: every warehouse." };

    private readonly Option<string[]> types = ListOption.Create("--type",
        $"Only these transaction types: {string.Join(", ", StockMovementQuery.Types)}; several separated by commas, by spaces or by "
        + "repeating the option. reserve and release move the reserved quantity, every other type the goods on hand. Default: all.");

    private readonly Option<string?> orderNo = new("--order-no") { Description = "Only the movements that post this order (its order number; an order that moved no stock lists none, a number that is not one of the merchant's orders is an error). Default: any movement." };
    private readonly Option<DateOnly?> from = new("--from", "--start") { Description = "First transaction date (yyyy-MM-dd), included. Default: no lower bound." };
    private readonly Option<DateOnly?> to = new("--to", "--end") { Description = "Last transaction date (yyyy-MM-dd), included. Default: no upper bound." };

    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PagingOptions paging;

    public MovementsCommand(CommandRunner runner, Database database)
        : base("movements", "Stock movements one by one, newest first: where a stock figure comes from.\n"
            + "Each with its date and time, SKU, warehouse, type, units (+ in, - out), unit cost, the order and line it posts or the "
            + "document it came from, and onHandAfter: the book balance on hand of that product and warehouse right after it (its balance "
            + "now minus every later on-hand movement; negative while goods were shipped that the book did not have). Totals over every "
            + "matching movement: units in and out on hand, and the change of the reserved quantity. Read from the movements themselves: "
            + "always current. An inventory file overwrites a position, so balances before such an import do not add up to it.")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        Options.Add(sku);
        Options.Add(warehouse);
        Options.Add(types);
        Options.Add(orderNo);
        Options.Add(from);
        Options.Add(to);
        paging = new PagingOptions(this, defaultSize: 50);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var query = new StockMovementQuery
        {
            MerchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken),
            Sku = parseResult.GetValue(sku),
            Warehouse = parseResult.GetValue(warehouse),
            TransactionTypes = ListOption.Values(parseResult, types),
            OrderNo = parseResult.GetValue(orderNo),
            From = parseResult.GetValue(from),
            To = parseResult.GetValue(to),
            Paging = paging.Resolve(parseResult),
        };
        var result = await erp.Queries.StockMovementsAsync(query, cancellationToken);
        var data = result.Data;
        var t = data.Totals;
        var table = new TableView(
            ["Time", "SKU", "Warehouse", "Type", "Units", "Unit cost", "Order", "Reference", "On hand after"],
            [.. data.Movements.Items.Select(m => BiResult.Row(Cells.Time(m.OccurredAt), m.Sku, m.Warehouse, m.Type, Signed(m.QuantityChange),
                m.UnitCost is { } cost ? Cells.Money(cost) : "", m.OrderNo is { } order ? $"{order} #{m.LineNo}" : "", m.ReferenceNo, Cells.Count(m.OnHandAfter)))],
            $"{Cells.Count(t.Count)} movements{(query.Sku is { } s ? $" of {s}" : "")}: on hand +{Cells.Count(t.OnHandIn)} -{Cells.Count(t.OnHandOut)} "
            + $"({Signed(t.OnHandChange)}), reserved {Signed(t.ReservedChange)}. Page {data.Movements.Page} of {Math.Max(1, data.Movements.Pages)}.",
            Records: data.Movements.Items, Page: PageOf.From(data.Movements));
        return BiResult.From(result, table);
    }

    private static string Signed(long units) => units > 0 ? "+" + Cells.Count(units) : Cells.Count(units);
}
