using System.CommandLine;
using System.Globalization;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries;
using Erp.Db.Queries.Shops;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb shops</c>: each shop's health score, its components and the shop rankings of one period.</summary>
internal sealed class ShopsCommand : Command
{
    private readonly Option<ShopPeriod> period = new("--period") { Description = "day, week (ISO, from Monday) or month.", DefaultValueFactory = _ => ShopPeriod.Month };
    private readonly Option<DateOnly?> date = new("--date") { Description = "A day of the period to show (yyyy-MM-dd). Default: today (the database's date: docs/today.md). Kept: the last 90 days, 26 weeks, 24 months. A day, week or month that starts after today in every time zone is an error." };
    private readonly Option<ShopSort> sortBy = new("--sort-by") { Description = "health, revenue or profit: by that rank, best first.", DefaultValueFactory = _ => ShopSort.Health };
    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PagingOptions paging;

    public ShopsCommand(CommandRunner runner, Database database)
        : base("shops", "Shops of one day, week or month: health score 0-100 with its components, and the ranks by health, revenue and profit.\nThe components: sales growth, gross margin, fulfilment time, return rate, stock-out rate. Scoring rule: docs/business-flows.md.\nSales growth of a period that includes today: against the same days of the period before, the last only up to the time of day the results were computed (data.comparedTo.through; docs/metrics.md).")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        Options.Add(period);
        Options.Add(date);
        Options.Add(sortBy);
        paging = new PagingOptions(this, defaultSize: 50);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var query = new ShopQuery
        {
            MerchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken),
            Period = parseResult.GetValue(period),
            Date = parseResult.GetValue(date),
            SortBy = parseResult.GetValue(sortBy),
            Paging = paging.Resolve(parseResult),
        };
        var result = await erp.Queries.ShopsAsync(query, cancellationToken);
        var data = result.Data;
        var today = result.AsOf;
        // An empty list says why it may be empty: otherwise it reads as shops that sold nothing.
        // A result computed while its period ran compares with today's counterpart cut at that time of day (comparedTo.through).
        // One computed on an earlier day (its counterpart is not today's) and read now says so: its figures stop at that run.
        var compared = data.ComparedTo;
        var cut = compared?.Through is { } through
            ? string.Create(CultureInfo.InvariantCulture, $"its sales growth against {compared.Start:yyyy-MM-dd}..{compared.End:yyyy-MM-dd}, the last day up to {through:HH:mm} (the time of day it was computed, the merchant's zone)")
            : null;
        var counterpart = query.Period switch { ShopPeriod.Day => today.AddDays(-1), ShopPeriod.Week => today.AddDays(-7), _ => today.AddMonths(-1) };
        var earlier = cut is not null && compared!.End != counterpart;
        var note = data.Shops.Total == 0
            ? $"No shop results for this {data.PeriodType}: no shop had an order or a listing in it{(data.End >= today ? " yet" : "")}, or it is older than the results kept (see --help), or they are not computed yet (erpdb refresh)."
            : earlier
                ? $"Computed on an earlier day, while the {data.PeriodType} was running: its figures stop at that time, {cut}; erpdb refresh recomputes it."
                : data.End < today ? null : $"The {data.PeriodType} is still running: its figures are to date, {cut ?? $"its sales growth against the same days of the {data.PeriodType} before"}.";
        var when = new PeriodMeta(data.Start, data.End, data.End.DayNumber - data.Start.DayNumber + 1, data.PeriodType, data.End < today && cut is null, note);
        var table = new TableView(
            ["Shop", "Platform", "Health", "Health rank", "Revenue", "Revenue rank", "Profit", "Profit rank", "Growth", "Margin", "Ship h", "Returns", "Stock-out"],
            [.. data.Shops.Items.Select(s => BiResult.Row(s.Name, s.Platform, s.Score is { } score ? Cells.Money(score) : "n/a", s.HealthRank?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Cells.Money(s.Revenue), Cells.Count(s.RevenueRank), Cells.Money(s.GrossProfit), Cells.Count(s.ProfitRank),
                Cells.Percent(s.Components.SalesGrowth.Value), Cells.Percent(s.Components.GrossMargin.Value),
                s.Components.FulfilmentHours.Value is { } hours ? Cells.Money(hours) : "n/a",
                Cells.Percent(s.Components.ReturnRate.Value), Cells.Percent(s.Components.StockOutRate.Value)))],
            $"{data.PeriodType} {data.Start:yyyy-MM-dd}..{data.End:yyyy-MM-dd}: {Cells.Count(data.Shops.Total)} shops.{when.Caption}", Records: data.Shops.Items, Page: PageOf.From(data.Shops));
        return BiResult.From(result, when, table);
    }
}
