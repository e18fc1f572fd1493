using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries;
using Erp.Db.Queries.Products;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb products</c>: the product list with its filters, sorting and paging.</summary>
internal sealed class ProductsCommand : Command
{
    private readonly Option<string?> platform = new("--platform") { Description = "Only this platform (shopee, tiktok, amazon, lazada, ...)." };
    private readonly Option<long?> category = new("--category") { Description = "Only this category (its id, as sales and profit --group-by category key it) and its subcategories: a top-level category selects all below it. An id that is not one of the merchant's categories is an error naming its top-level categories." };
    private readonly Option<string?> status = new("--status") { Description = "Only this listing status on the platform: active, inactive, out_of_stock, banned or deleted." };
    private readonly Option<string?> stockStatus = new("--stock-status") { Description = "Only listings of products that are low_stock (warehouse stock available at or below the safety stock), out_of_stock (nothing available), normal, or untracked (no inventory record). The same rule as 'erpdb inventory --status' (dw.stock_status), which counts products where this lists listings (a product is listed once per shop)." };
    private readonly Option<decimal?> minPrice = new("--min-price") { Description = "Lowest price in CNY." };
    private readonly Option<decimal?> maxPrice = new("--max-price") { Description = "Highest price in CNY." };
    private readonly Option<string?> keyword = new("--keyword") { Description = "Text to find in the SKU or name (literal, case-insensitive)." };
    private readonly Option<ProductSort> sortBy = new("--sort-by") { Description = "revenue, sales, price, stock, rating, views, conversion or sku.", DefaultValueFactory = _ => ProductSort.Revenue };
    private readonly Option<SortDirection> order = new("--order") { Description = "descending (desc) or ascending (asc): the order of --sort-by; listings without the figure (no rating, no views) come last either way.", DefaultValueFactory = _ => SortDirection.Descending };
    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PagingOptions paging;

    public ProductsCommand(CommandRunner runner, Database database)
        : base("products", "The product list: each listing (a product in a shop) at its latest day of the last 90, filtered, sorted and paged.\nPrice in CNY, platform stock, the product's warehouse stock status, units sold, estimated revenue (that day's units x price, what --sort-by revenue orders by: best sellers over a period are 'erpdb sales --group-by product') and the sales the platform reported that day, traffic and rating.")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        foreach (var option in new Option[] { platform, category, status, stockStatus, minPrice, maxPrice, keyword, sortBy, order })
        {
            Options.Add(option);
        }
        paging = new PagingOptions(this, defaultSize: 20);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var query = new ProductQuery
        {
            MerchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken),
            Platform = parseResult.GetValue(platform),
            CategoryId = parseResult.GetValue(category),
            Status = parseResult.GetValue(status),
            StockStatus = parseResult.GetValue(stockStatus),
            MinPrice = parseResult.GetValue(minPrice),
            MaxPrice = parseResult.GetValue(maxPrice),
            Keyword = parseResult.GetValue(keyword),
            SortBy = parseResult.GetValue(sortBy),
            Direction = parseResult.GetValue(order),
            Paging = paging.Resolve(parseResult),
        };
        var result = await erp.Queries.ProductsAsync(query, cancellationToken);
        var page = result.Data;
        var table = new TableView(
            ["SKU", "Name", "Platform", "Price", "Stock", "Status", "Sold", "Est. revenue", "Sales"],
            [.. page.Items.Select(p => BiResult.Row(p.Sku, p.Name, p.Platform, Cells.Money(p.Price), Cells.Count(p.Stock),
                p.StockStatus.Replace("_stock", "", StringComparison.Ordinal), Cells.Count(p.Units), Cells.Money(p.EstimatedRevenue), Cells.Money(p.SalesAmount)))],
            $"Page {page.Page} of {page.Pages} ({Cells.Count(page.Total)} listings). Stock: the listing's stock on the platform; "
            + "Status: the product's warehouse stock (low = available at or below the safety stock, as erpdb inventory).", Records: page.Items, Page: PageOf.From(page));
        return BiResult.From(result, table);
    }
}
