using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries;
using Erp.Db.Queries.Profit;
using Erp.Db.Queries.Trends;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb profit</c>: revenue, cost, fees, profits, margins and ROI by shop, platform, product, category or period.</summary>
internal sealed class ProfitCommand : Command
{
    private readonly Option<ProfitGrouping> by = GroupByOption.Create(
        "shop, platform, product, category or period. By period every day, week or month of the period is a row (a page of them), "
            + "one without sales or expenses with its amounts 0 and margins and expense ROI null; by shop, platform, product and category only groups with sales or expenses, largest revenue first (to rank by profit, sort the rows by grossProfit or netProfit).",
        ProfitGrouping.Shop);
    private readonly Option<Granularity> grain = GrainOption.Create("day, week (ISO, from Monday) or month, for --group-by period.", Granularity.Month);
    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PeriodOptions period;
    private readonly PagingOptions paging;

    public ProfitCommand(CommandRunner runner, Database database)
        : base("profit", "Revenue, cost, fees, profit, margins, expenses and ROI per shop, platform, product, category or period.\n"
            + "Gross and net profit, margins, expenses, operating profit and the ROI of expenses per row, the totals, and the ROI of the campaigns that overlap the period. By product and category the figures "
            + "are the order lines' (no fees, net profit or expenses). JSON fields are the camelCase of the names below (gross_profit is grossProfit).\n" + MetricDefinitions.Profit)
    {
        this.database = database;
        merchant = new MerchantOption(this);
        period = new PeriodOptions(this, defaultDays: 30);
        Options.Add(by);
        Options.Add(grain);
        paging = new PagingOptions(this, defaultSize: 50);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var query = new ProfitQuery
        {
            MerchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken),
            Period = await period.ResolveAsync(parseResult, erp, cancellationToken),
            By = parseResult.GetValue(by),
            Grain = parseResult.GetValue(grain),
            Paging = paging.Resolve(parseResult),
        };
        var result = await erp.Queries.ProfitAsync(query, cancellationToken);
        var data = result.Data;
        var table = new TableView(
            [query.By == ProfitGrouping.Period ? query.Grain.ToString() : query.By.ToString(), "Revenue", "Cost", "Fees", "Gross profit", "Net profit", "Gross margin", "Net margin", "Expenses", "Operating profit", "Expense ROI"],
            [.. data.Rows.Items.Append(data.Totals).Select(r => BiResult.Row(r.Label, Cells.Money(r.Revenue), Cells.Money(r.Cost), Cells.Money(r.Fees), Cells.Money(r.GrossProfit),
                Cells.Money(r.NetProfit), Cells.Percent(r.GrossMargin), Cells.Percent(r.NetMargin), Cells.Money(r.Expenses), Cells.Money(r.OperatingProfit), Cells.Percent(r.ExpenseRoi)))],
            $"{data.Period.Start:yyyy-MM-dd}..{data.Period.End:yyyy-MM-dd}, CNY: {Cells.Count(data.Rows.Total)} rows (page {data.Rows.Page} of {Math.Max(1, data.Rows.Pages)}); the last row is the total"
            + (query.By is ProfitGrouping.Product or ProfitGrouping.Category
                ? " of the orders: rows are order lines, each converted to CNY on its own, so they may add up to a few cents apart."
                : "."), Records: data.Rows.Items, Page: PageOf.From(data.Rows));
        var campaigns = new TableView(
            ["Campaign", "Start", "End", "Budget", "Revenue", "Gross profit", "ROI"],
            [.. data.Campaigns.Select(c => BiResult.Row(c.Name, $"{c.Start:yyyy-MM-dd}", $"{c.End:yyyy-MM-dd}", Cells.Money(c.Budget), Cells.Money(c.Revenue), Cells.Money(c.GrossProfit), Cells.Percent(c.Roi)))],
            "Campaigns overlapping the period: ROI = (gross profit - budget) / budget.", Records: data.Campaigns);
        return BiResult.From(result, PeriodMeta.Buckets(data.Period, query.By == ProfitGrouping.Period ? query.Grain : null, result.AsOf), table, campaigns);
    }
}
