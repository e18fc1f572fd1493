using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries.Reports;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb report</c>: a daily, weekly or monthly business report.</summary>
internal sealed class ReportCommand : Command
{
    private readonly Option<ReportType> type = new("--type") { Description = "daily, weekly or monthly.", DefaultValueFactory = _ => ReportType.Daily };
    private readonly Option<DateOnly?> date = new("--date") { Description = "A day in the period to report (yyyy-MM-dd). Default: today (the database's date: docs/today.md). A week or month still running is reported up to this day and compared with the same days of the week or month before; a complete month with the whole month before. Today's orders are still coming in: for complete days only (month to yesterday against the same days of last month), pass yesterday's date. A later day than today is an error." };
    private readonly Database database;
    private readonly MerchantOption merchant;

    public ReportCommand(CommandRunner runner, Database database)
        : base("report", "A business report for a day, week or month: sales with growth, best sellers, stock alerts, customers and finance.")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        Options.Add(type);
        Options.Add(date);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var merchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken);
        // Without --date, the report of the warehouse's today, as of that day; with it, ReportAsync asks for today itself.
        var asked = parseResult.GetValue(date);
        DateOnly? today = asked is null ? await erp.TodayAsync(cancellationToken) : null;
        var query = new ReportQuery { MerchantId = merchantId, Type = parseResult.GetValue(type), Date = asked ?? today!.Value, AsOf = today };
        var result = await erp.Queries.ReportAsync(query, cancellationToken);
        var r = result.Data;
        // One row per figure: the table shows its text, CSV its place in data's JSON and its raw value.
        (string Field, string Name, decimal? Value, string Text)[] figures =
        [
            ("sales.revenue", "Revenue (CNY)", r.Sales.Revenue, Cells.Money(r.Sales.Revenue)),
            ("sales.orders", "Orders", r.Sales.Orders, Cells.Count(r.Sales.Orders)),
            ("sales.aov", "Average order value", r.Sales.Aov, Cells.Money(r.Sales.Aov)),
            ("sales.growthRate", "Growth vs previous", r.Sales.GrowthRate, Cells.Percent(r.Sales.GrowthRate)),
            ("sales.netProfit", "Net profit", r.Sales.NetProfit, Cells.Money(r.Sales.NetProfit)),
            ("inventory.lowStockProducts", "Low stock", r.Inventory.LowStockProducts, Cells.Count(r.Inventory.LowStockProducts)),
            ("inventory.outOfStockProducts", "Out of stock", r.Inventory.OutOfStockProducts, Cells.Count(r.Inventory.OutOfStockProducts)),
            ("customers.totalCustomers", "Customers", r.Customers.TotalCustomers, Cells.Count(r.Customers.TotalCustomers)),
            ("customers.activeCustomers", "Active customers", r.Customers.ActiveCustomers, Cells.Count(r.Customers.ActiveCustomers)),
            ("customers.churnedCustomers", "Churned customers", r.Customers.ChurnedCustomers, Cells.Count(r.Customers.ChurnedCustomers)),
            ("finance.overdue", "Overdue receivables", r.Finance.Overdue, Cells.Money(r.Finance.Overdue)),
        ];
        var table = new TableView(["Figure", "Value"], [.. figures.Select(f => BiResult.Row(f.Name, f.Text))],
            $"{r.Type} report {r.Period.Start:yyyy-MM-dd}..{r.Period.End:yyyy-MM-dd}{(r.Complete ? "" : " (to date: the period is still running)")}"
            + $"{(r.ComparedTo is { } c ? $", growth against {c.Start:yyyy-MM-dd}..{c.End:yyyy-MM-dd}{SalesCommand.Through(c)}" : "")}.", Records: figures.Select(f => new Figure(f.Field, f.Name, f.Value)));
        var top = new TableView(["Top product", "Revenue", "Units"], [.. r.TopProducts.Select(p => BiResult.Row($"{p.Sku} {p.Name}", Cells.Money(p.Revenue), Cells.Count(p.Units)))],
            r.TopProducts.Count == 0 ? "Top products: none, no product sold in the period." : null);
        var grain = r.Type switch { ReportType.Weekly => "week", ReportType.Monthly => "month", _ => "day" };
        var when = r.Complete
            ? PeriodMeta.From(r.Period, grain, true, result.AsOf)
            : new PeriodMeta(r.Period.Start, r.Period.End, r.Period.Days, grain, false, Running(r, grain, result.AsOf));
        if (TodaysFigures(r, result.AsOf) is { } now)
        {
            when = when with { Note = when.Note is null ? now : $"{when.Note} {now}" };
            table = table with { Caption = $"{table.Caption} {now}" };
        }
        return BiResult.From(result, when, table, top);
    }

    /// <summary>
    /// meta.period's note for a period that ended before today: its stock and customer figures are today's, as
    /// <see cref="BusinessReport"/> documents, and nothing else in the answer would say so.
    /// </summary>
    private static string? TodaysFigures(BusinessReport r, DateOnly today) => r.Period.End < today
        ? $"Stock (data.inventory) and customers (data.customers, but activeCustomers) are as of today, {today:yyyy-MM-dd}, not of "
            + $"{r.Period.End:yyyy-MM-dd}: the warehouse keeps no history of stock positions or customer segments."
        : null;

    /// <summary>One figure of the report in CSV: where it is in data (a JSON path), its name for people and its raw value.</summary>
    private sealed record Figure(string Field, string Name, decimal? Value);

    /// <summary>meta.period's note for a report whose period is still running.</summary>
    private static string Running(BusinessReport r, string grain, DateOnly today)
    {
        var coming = r.Period.End >= today ? $" Today's ({today:yyyy-MM-dd}) orders are still coming in." : "";
        var through = r.ComparedTo?.Through is { } at
            ? $" Growth compares like with like: {r.ComparedTo.End:yyyy-MM-dd} counts only up to {at:yyyy-MM-dd HH:mm} in the merchant's time zone, the time of day now (data.comparedTo.through; whole hours, the current one prorated by the minutes elapsed)."
            : "";
        return r.Type == ReportType.Daily
            ? $"The day is not over.{coming}{through}"
            : $"The {grain} is still running: reported to {r.Period.End:yyyy-MM-dd} and compared with the same days of the {grain} before.{coming}{through}";
    }
}
