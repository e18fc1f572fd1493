using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries.Finance;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb finance</c>: receivables, overdue, receipts, expenses and profit per month.</summary>
internal sealed class FinanceCommand : Command
{
    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PeriodOptions period;

    public FinanceCommand(CommandRunner runner, Database database)
        : base("finance", "Receivables (invoiced, outstanding, overdue), receipts, expenses, profit and cash flow per month over a period.")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        period = new PeriodOptions(this, defaultDays: 90);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var result = await erp.Queries.FinanceAsync(new FinanceQuery(await merchant.ResolveAsync(parseResult, erp, cancellationToken), period.Resolve(parseResult)), cancellationToken);
        var t = result.Data.Totals;
        var table = new TableView(
            ["Month", "Revenue", "Net profit", "Expenses", "Receipts", "Overdue"],
            [.. result.Data.Months.Select(m => BiResult.Row($"{m.Month:yyyy-MM}", Cells.Money(m.Revenue), Cells.Money(m.NetProfit), Cells.Money(m.Expenses), Cells.Money(m.Receipts), Cells.Money(m.Overdue)))],
            $"Totals: revenue {Cells.Money(t.Revenue)}, operating profit {Cells.Money(t.OperatingProfit)}, outstanding {Cells.Money(t.Outstanding)} ({Cells.Money(t.Overdue)} overdue in {Cells.Count(t.OverdueCount)} receivables).");
        return BiResult.From(result, table);
    }
}
