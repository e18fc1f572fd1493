namespace Erp.Db.Queries.Finance;

/// <summary>
/// Finance per calendar month over the whole months a period touches, and their totals. A window that starts or
/// ends mid-month still reports those whole months (<see cref="From"/>..<see cref="To"/> say which); what is owed
/// (<see cref="FinanceMonth.Outstanding"/>, <see cref="FinanceMonth.Overdue"/>, <see cref="FinanceMonth.OverdueCount"/>)
/// is, in the totals, as of <see cref="AsOf"/> over every receivable, whatever the window.
/// </summary>
/// <param name="Totals">Sums over the months; outstanding and overdue as of <see cref="AsOf"/> over every receivable.</param>
/// <param name="Months">One row per month with data, oldest first; each month's outstanding and overdue are of the receivables invoiced in it, as of today.</param>
public sealed record FinanceReport(FinanceMonth Totals, IReadOnlyList<FinanceMonth> Months)
{
    /// <summary>First day of the first month reported (the month of the period's start).</summary>
    public DateOnly From { get; init; }

    /// <summary>Last day of the last month reported (the month of the period's end); later than the period's end when it ends mid-month.</summary>
    public DateOnly To { get; init; }

    /// <summary>The day outstanding and overdue are counted as of: the database's today.</summary>
    public DateOnly AsOf { get; init; }
}

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
