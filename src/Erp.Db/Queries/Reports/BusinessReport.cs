using Erp.Db.Queries.Customers;
using Erp.Db.Queries.Finance;
using Erp.Db.Queries.Inventory;
using Erp.Db.Queries.Sales;

namespace Erp.Db.Queries.Reports;

/// <summary>A business report: sales with growth and best sellers, stock alerts, customers and finance of one period.</summary>
/// <param name="Type">Daily, weekly or monthly.</param>
/// <param name="Period">The days covered.</param>
/// <param name="Sales">Sales totals and growth against <see cref="ComparedTo"/>.</param>
/// <param name="TopProducts">The five best sellers.</param>
/// <param name="Inventory">Stock totals now (low, out, overstock).</param>
/// <param name="Customers">Customer totals now; the active customers are those who ordered in <see cref="Period"/>.</param>
/// <param name="Finance">
/// Finance totals over the period's days; what is owed (outstanding, overdue) as of the period's last day when it ended before
/// today (the database's date; as <see cref="Receivables.ReceivableQuery.AsOf"/> ages it), else as of today.
/// </param>
public sealed record BusinessReport(
    ReportType Type,
    PeriodInfo Period,
    SalesMetrics Sales,
    IReadOnlyList<TopProduct> TopProducts,
    InventorySummary Inventory,
    CustomerSummary Customers,
    FinanceMonth Finance)
{
    /// <summary>False while the day, week or month is still running: <see cref="Period"/> ends on the report's date, its last day not over yet or not the period's own.</summary>
    public bool Complete { get; init; } = true;

    /// <summary>The days the growth is measured against: the day before, the same weekdays of the week before, the whole month before (a complete month) or the same days of the month before (a month to date).</summary>
    public PeriodInfo? ComparedTo { get; init; }
}
