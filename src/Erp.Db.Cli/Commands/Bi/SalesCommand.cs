using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries.Sales;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb sales</c>: a merchant's sales over a period with growth, a breakdown and top products.</summary>
internal sealed class SalesCommand : Command
{
    private readonly Option<SalesGrouping> groupBy = new("--group-by")
    {
        Description = "Breakdown: day, week, month, shop, platform, product or category.",
        DefaultValueFactory = _ => SalesGrouping.Day,
        HelpName = "day|week|month|shop|platform|product|category",
    };

    private readonly Option<int> top = new("--limit")
    {
        Description = "How many top products to list (0-100); with --group-by product also the rows of the breakdown, the rest summed in one row 'others'.",
        DefaultValueFactory = _ => 10,
    };

    private readonly Option<string[]> platforms = new("--platform")
    {
        Description = "Only these platforms (shopee, tiktok, amazon, lazada, ...); repeat for several.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PeriodOptions period;

    public SalesCommand(CommandRunner runner, Database database)
        : base("sales", "A merchant's sales over a period: revenue, orders, average order value, growth against the previous period, a breakdown and the top products.")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        period = new PeriodOptions(this, defaultDays: 7);
        Options.Add(groupBy);
        Options.Add(top);
        Options.Add(platforms);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var query = new SalesQuery(
            await merchant.ResolveAsync(parseResult, erp, cancellationToken),
            period.Resolve(parseResult),
            parseResult.GetValue(groupBy),
            parseResult.GetValue(top),
            parseResult.GetValue(platforms));
        var result = await erp.Queries.SalesAsync(query, cancellationToken);
        var report = result.Data;
        var m = report.Metrics;
        var breakdown = new TableView(
            [query.GroupBy.ToString(), "Revenue", "Orders", "AOV"],
            [.. report.Breakdown.Select(r => (IReadOnlyList<string>)[r.Label, Cells.Money(r.Revenue), Cells.Count(r.Orders), Cells.Money(r.Aov)])],
            $"{report.Period.Start:yyyy-MM-dd}..{report.Period.End:yyyy-MM-dd}: revenue {Cells.Money(m.TotalRevenue)} CNY, {Cells.Count(m.TotalOrders)} orders, "
            + $"AOV {Cells.Money(m.AverageOrderValue)}, growth {Cells.Percent(m.GrowthRate)}.");
        var products = new TableView(
            ["Top product", "Revenue", "Orders", "Units"],
            [.. report.TopProducts.Select(p => (IReadOnlyList<string>)[$"{p.Sku} {p.Name}", Cells.Money(p.Revenue), Cells.Count(p.Orders), Cells.Count(p.Quantity)])]);
        return BiResult.From(result, breakdown, products);
    }
}
