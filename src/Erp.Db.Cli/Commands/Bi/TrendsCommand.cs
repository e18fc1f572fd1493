using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries.Trends;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb trends</c>: revenue, orders and profit per day, week or month.</summary>
internal sealed class TrendsCommand : Command
{
    private readonly Option<Granularity> granularity = new("--granularity") { Description = "day, week or month.", DefaultValueFactory = _ => Granularity.Day };
    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PeriodOptions period;

    public TrendsCommand(CommandRunner runner, Database database)
        : base("trends", "Revenue, orders, average order value and net profit per day, week or month, with the change per bucket and the overall direction.")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        period = new PeriodOptions(this, defaultDays: 90);
        Options.Add(granularity);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var query = new TrendQuery(await merchant.ResolveAsync(parseResult, erp, cancellationToken), period.Resolve(parseResult), parseResult.GetValue(granularity));
        var result = await erp.Queries.TrendsAsync(query, cancellationToken);
        var table = new TableView(
            [query.Granularity.ToString(), "Revenue", "Orders", "AOV", "Net profit", "Change"],
            [.. result.Data.Series.Select(p => BiResult.Row($"{p.Bucket:yyyy-MM-dd}", Cells.Money(p.Revenue), Cells.Count(p.Orders), Cells.Money(p.Aov), Cells.Money(p.NetProfit), Cells.Percent(p.RevenueChange)))],
            $"Trend {result.Data.Direction} ({Cells.Percent(result.Data.ChangeRate)}, second half against first).");
        return BiResult.From(result, table);
    }
}
