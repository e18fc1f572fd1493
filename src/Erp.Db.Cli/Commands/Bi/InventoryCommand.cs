using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries.Inventory;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb inventory</c>: stock status, turnover and reorder suggestions.</summary>
internal sealed class InventoryCommand : Command
{
    private readonly Option<StockFilter> status = new("--status") { Description = "all, low (or low_stock), out (or out_of_stock) or overstock. Low stock (dw.stock_status, the rule of the low_stock alerts): available at or below the safety stock, above 0; out: nothing available (not counted as low: ask for both to see everything to reorder, or sort all by reorder); overstock: the stock above the safety stock would last more than 90 days at the last 30 days' rate, or did not sell in them (dead stock); with the products' own safety stock (no --threshold) a product to reorder is never overstock.", DefaultValueFactory = _ => StockFilter.All };
    private readonly Option<int?> threshold = new("--threshold") { Description = "Low stock means available at or below this (default: each product's safety stock)." };
    private readonly Option<string?> sku = new("--sku") { Description = "Only this product (its SKU, exactly as imported; an unknown SKU is an error). Its movements: erpdb movements --sku." };
    private readonly Option<long?> category = new("--category") { Description = "Only this category (its id, as sales and profit --group-by category key it) and its subcategories: a top-level category selects all below it. An id that is not one of the merchant's categories is an error naming its top-level categories." };
    private readonly Option<InventorySort> sortBy = new("--sort-by") { Description = "stock (least available first), turnover, sales or reorder (each largest first).", DefaultValueFactory = _ => InventorySort.Stock };
    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PagingOptions paging;

    public InventoryCommand(CommandRunner runner, Database database)
        : base("inventory", "Stock position per product over all warehouses: low, out of stock and overstocked products, 30-day sales and turnover, and suggested reorder quantities. "
            + "Each warehouse's position, as the stock alerts see it: erpdb stock.\n"
            + "Reorder = max(0, safety stock + units sold in the last 30 days (today excluded) - available - incoming): 30 more days at the last 30 days' rate above the safety stock; "
            + "for a low or out-of-stock product that sold in those 30 days incoming is left out (it did not keep the product above its safety stock), so the suggestion is never 0 while it still sells. "
            + "Fields: currentStock = available (on hand - reserved, all warehouses); unitsLast30Days = units sold in the 30 days; "
            + "daysOfCover = currentStock / (unitsLast30Days / 30), null without sales; turnoverRate = cost of the units sold in the 30 days / inventory value at average cost.")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        Options.Add(status);
        Options.Add(threshold);
        Options.Add(category);
        Options.Add(sku);
        Options.Add(sortBy);
        paging = new PagingOptions(this, defaultSize: 50);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var query = new InventoryQuery
        {
            MerchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken),
            Status = parseResult.GetValue(status),
            Threshold = parseResult.GetValue(threshold),
            CategoryId = parseResult.GetValue(category),
            Sku = parseResult.GetValue(sku),
            SortBy = parseResult.GetValue(sortBy),
            Paging = paging.Resolve(parseResult),
        };
        var result = await erp.Queries.InventoryAsync(query, cancellationToken);
        var s = result.Data.Summary;
        var table = new TableView(
            ["SKU", "Name", "Stock", "Safety", "Sold 30d", "Status", "Reorder"],
            [.. result.Data.Products.Items.Select(p => BiResult.Row(p.Sku, p.Name, Cells.Count(p.CurrentStock), Cells.Count(p.SafetyStock), Cells.Count(p.UnitsLast30Days), p.Status, Cells.Count(p.SuggestedReorder)))],
            $"{Cells.Count(s.TotalProducts)} products: {Cells.Count(s.LowStockProducts)} low, {Cells.Count(s.OutOfStockProducts)} out, {Cells.Count(s.OverstockProducts)} overstocked; value {Cells.Money(s.InventoryValue)} CNY.", Records: result.Data.Products.Items, Page: PageOf.From(result.Data.Products));
        return BiResult.From(result, table);
    }
}
