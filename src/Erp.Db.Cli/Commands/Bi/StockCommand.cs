using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries.StockPositions;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb stock</c>: the stock positions one by one, per product and warehouse, as the stock alerts see them.</summary>
internal sealed class StockCommand : Command
{
    private readonly Option<string?> sku = new("--sku") { Description = "Only this product's positions (its SKU, exactly as imported; an unknown SKU is an error). Default: every product." };
    private readonly Option<string?> warehouse = new("--warehouse") { Description = "Only this warehouse's positions (its code, without case); a code that is neither the merchant's shipping warehouse nor one it holds stock in is an error listing those it has. Default: every warehouse." };
    private readonly Option<long?> category = new("--category") { Description = "Only products of this category (its id) and its subcategories; an id that is not one of the merchant's categories is an error. Default: every category." };
    private readonly Option<PositionFilter> status = new("--status") { Description = "all; out: nothing available; low: available at or below the position's safety stock, above 0; shortage: goods shipped that the book did not have, or orders that could not be reserved. The out_of_stock, low_stock and stock_shortage alerts' conditions, position by position.", DefaultValueFactory = _ => PositionFilter.All };
    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PagingOptions paging;

    public StockCommand(CommandRunner runner, Database database)
        : base("stock", "Stock positions one by one, per product and warehouse, least available first: what erpdb inventory sums over the warehouses, "
            + "as the stock alerts (raised per position) see it, so that an empty shipping warehouse does not hide behind stock held elsewhere.\n"
            + "Fields: onHand; reserved (for orders not yet shipped); available = onHand - reserved; incoming (purchased, in transit); "
            + "shortageOnHand (units shipped that the book did not have: the book balance is onHand - shortageOnHand, as erpdb movements' onHandAfter); "
            + "shortageReserved (units ordered that could not be reserved); safetyStock; status (out_of_stock, low_stock or normal against the position's safety stock); "
            + "shipping (the merchant's shipping warehouse, where new order lines move stock); averageUnitCost and value (onHand x it, CNY); lastCountedAt. "
            + "Totals over every position of the --sku, --warehouse and --category filters. Read from the positions themselves: always current.")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        Options.Add(sku);
        Options.Add(warehouse);
        Options.Add(category);
        Options.Add(status);
        paging = new PagingOptions(this, defaultSize: 50);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var query = new StockPositionsQuery
        {
            MerchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken),
            Sku = parseResult.GetValue(sku),
            Warehouse = parseResult.GetValue(warehouse),
            CategoryId = parseResult.GetValue(category),
            Status = parseResult.GetValue(status),
            Paging = paging.Resolve(parseResult),
        };
        var result = await erp.Queries.StockPositionsAsync(query, cancellationToken);
        var data = result.Data;
        var t = data.Totals;
        var table = new TableView(
            ["SKU", "Warehouse", "On hand", "Reserved", "Available", "Short", "Safety", "Status"],
            [.. data.Positions.Items.Select(p => BiResult.Row(p.Sku, p.Shipping ? p.Warehouse + "*" : p.Warehouse, Cells.Count(p.OnHand),
                Cells.Count(p.Reserved), Cells.Count(p.Available), Cells.Count(p.ShortageOnHand + p.ShortageReserved), Cells.Count(p.SafetyStock), p.Status))],
            $"{Cells.Count(t.Positions)} positions: {Cells.Count(t.OutOfStock)} out, {Cells.Count(t.LowStock)} low, {Cells.Count(t.ShortOfStock)} short; "
            + $"on hand {Cells.Count(t.OnHand)}, available {Cells.Count(t.Available)}; value {Cells.Money(t.Value)} CNY. * the shipping warehouse. "
            + $"Page {data.Positions.Page} of {Math.Max(1, data.Positions.Pages)}.",
            Records: data.Positions.Items, Page: PageOf.From(data.Positions));
        return BiResult.From(result, table);
    }
}
