namespace Erp.Db.Queries.Finance;

/// <summary>
/// Finance over exactly the days of a period (<see cref="From"/>..<see cref="To"/>), per calendar month and in total.
/// A month the period cuts counts only its days in the period (<see cref="FinanceMonth.From"/>..<see cref="FinanceMonth.To"/>).
/// What is owed (<see cref="FinanceMonth.Outstanding"/>, <see cref="FinanceMonth.Overdue"/>, <see cref="FinanceMonth.OverdueCount"/>)
/// is, in the totals, as of <see cref="AsOf"/> over every receivable, whatever the window.
/// </summary>
/// <param name="Totals">Sums over the period's days; outstanding and overdue as of <see cref="AsOf"/> over every receivable.</param>
/// <param name="Months">
/// One row per calendar month the period touches, oldest first, a month without data with its sums 0, so the months add up to the totals
/// (but for the totals' outstanding and overdue); each month's outstanding and overdue are of the receivables invoiced in its days of the
/// period, as of today.
/// </param>
public sealed record FinanceReport(FinanceMonth Totals, IReadOnlyList<FinanceMonth> Months)
{
    /// <summary>First day of the period.</summary>
    public DateOnly From { get; init; }

    /// <summary>Last day of the period.</summary>
    public DateOnly To { get; init; }

    /// <summary>The day outstanding and overdue are counted as of: the database's today.</summary>
    public DateOnly AsOf { get; init; }
}

/// <summary>Finance figures of one month (or their totals), CNY.</summary>
public sealed record FinanceMonth
{
    /// <summary>First day of the month; in the totals, the month's first day when the period lies in one calendar month, else null.</summary>
    public DateOnly? Month { get; init; }

    /// <summary>First day of the month counted: the month's first day, or the period's start when the period cuts the month; in the totals, the period's first day.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Last day of the month counted: the month's last day, or the period's end when the period cuts the month; in the totals, the period's last day.</summary>
    public DateOnly? To { get; init; }

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

    /// <summary>Expenses as stored (imported), order fees not included.</summary>
    public decimal Expenses { get; init; }

    /// <summary>
    /// Platform commission, payment and shipping fees of the orders dated in the period, whatever their status (the platform charged
    /// them). <see cref="NetProfit"/> already subtracts those of valid sales; <see cref="NetCashFlow"/> pays them all.
    /// </summary>
    public decimal OrderFees { get; init; }

    /// <summary>GMV.</summary>
    public decimal Revenue { get; init; }

    /// <summary>Gross profit.</summary>
    public decimal GrossProfit { get; init; }

    /// <summary>Net profit after fees.</summary>
    public decimal NetProfit { get; init; }

    /// <summary>Net profit minus expenses.</summary>
    public decimal OperatingProfit { get; init; }

    /// <summary>Receipts minus expenses minus order fees.</summary>
    public decimal NetCashFlow { get; init; }
}
