using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries.Finance;
using Erp.Db.Queries.Sales;
using Erp.Db.Queries.Trends;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb finance</c>: receivables, overdue, receipts, expenses and profit per month.</summary>
internal sealed class FinanceCommand : Command
{
    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PeriodOptions period;

    public FinanceCommand(CommandRunner runner, Database database)
        : base("finance", "Per calendar month, in CNY: invoiced receivables, receipts, expenses, revenue, net and operating profit and cash flow.\n"
            + "Exactly the days of the period count: a month the period cuts counts only its days in it (each month's from..to says which). "
            + "Every month the period touches is a row, one without data with its sums 0. "
            + "The totals' outstanding and overdue are as of today over every receivable, whatever the period (the same as 'erpdb receivables'); "
            + "each month's are of the receivables invoiced in that month. "
            + "netProfit and operatingProfit (netProfit - expenses) count valid sales only, as 'erpdb profit' does; orderFees are the fees of "
            + "every order, cancelled and refunded ones included (paid either way), so more than the fees profit subtracts: "
            + "netCashFlow = receipts - expenses - orderFees.")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        period = new PeriodOptions(this, defaultDays: 90);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var result = await erp.Queries.FinanceAsync(new FinanceQuery { MerchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken), Period = await period.ResolveAsync(parseResult, erp, cancellationToken) }, cancellationToken);
        var data = result.Data;
        var t = data.Totals;
        // The months' completeness as every monthly result states it, then what it means for finance's rows.
        var when = PeriodMeta.Buckets(new PeriodInfo(data.From, data.To, data.To.DayNumber - data.From.DayNumber + 1), Granularity.Month, result.AsOf);
        when = when.Note is null ? when : when with { Note = $"{when.Note} Each month counts only its days in the period (its from..to)." };
        var table = new TableView(
            // Net profit is the orders' (before expenses); operating profit, the footer's figure, is it less the expenses: both shown, so
            // that the month's rows add up to the footer. A month's overdue is of the receivables invoiced in it; the footer's, of all.
            ["Month", "Days", "Revenue", "Orders' net profit", "Expenses", "Operating profit", "Order fees (all orders)", "Receipts", "Net cash flow",
                "Overdue of month's invoices"],
            [.. result.Data.Months.Select(m => BiResult.Row($"{m.Month:yyyy-MM}", $"{m.From:dd}-{m.To:dd}", Cells.Money(m.Revenue), Cells.Money(m.NetProfit),
                Cells.Money(m.Expenses), Cells.Money(m.OperatingProfit), Cells.Money(m.OrderFees), Cells.Money(m.Receipts), Cells.Money(m.NetCashFlow),
                Cells.Money(m.Overdue)))],
            $"{data.From:yyyy-MM-dd}..{data.To:yyyy-MM-dd}: "
            + $"revenue {Cells.Money(t.Revenue)}, operating profit {Cells.Money(t.OperatingProfit)}. Owed as of {data.AsOf:yyyy-MM-dd}, any period: "
            + $"outstanding {Cells.Money(t.Outstanding)} ({Cells.Money(t.Overdue)} overdue in {Cells.Count(t.OverdueCount)} receivables).{when.Caption}", Records: result.Data.Months);
        return BiResult.From(result, when, table);
    }
}
