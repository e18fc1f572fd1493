namespace Erp.Db.Queries.Finance;

/// <summary>Finance totals over the months of a period, and each month.</summary>
/// <param name="Totals">Sums over the months.</param>
/// <param name="Months">One row per month, oldest first.</param>
public sealed record FinanceReport(FinanceMonth Totals, IReadOnlyList<FinanceMonth> Months);

/// <summary>Finance figures of one month (or their totals), CNY.</summary>
public sealed record FinanceMonth
{
    /// <summary>First day of the month; null for totals.</summary>
    public DateOnly? Month { get; init; }

    /// <summary>Invoiced receivables.</summary>
    public decimal Invoiced { get; init; }

    /// <summary>Receivables still open.</summary>
    public decimal Outstanding { get; init; }

    /// <summary>Open receivables past their due date.</summary>
    public decimal Overdue { get; init; }

    /// <summary>Number of overdue receivables.</summary>
    public long OverdueCount { get; init; }

    /// <summary>Payments received.</summary>
    public decimal Receipts { get; init; }

    /// <summary>Expenses.</summary>
    public decimal Expenses { get; init; }

    /// <summary>GMV.</summary>
    public decimal Revenue { get; init; }

    /// <summary>Gross profit.</summary>
    public decimal GrossProfit { get; init; }

    /// <summary>Net profit after fees.</summary>
    public decimal NetProfit { get; init; }

    /// <summary>Net profit minus expenses.</summary>
    public decimal OperatingProfit { get; init; }

    /// <summary>Receipts minus expenses.</summary>
    public decimal NetCashFlow { get; init; }
}
