namespace Erp.Db.Queries.Reports;

/// <summary>A daily, weekly or monthly business report (<c>erpdb report</c>).</summary>
public sealed record ReportQuery
{
    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>Daily, weekly or monthly.</summary>
    public required ReportType Type { get; init; }

    /// <summary>A day inside the period to report.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>
    /// Today for this report. A period still running on it (this week, this month, today) is reported to <see cref="Date"/>
    /// ("to date") and compared with the same days of the period before, so like is compared with like. Null, the default:
    /// <see cref="WarehouseQueries.ReportAsync"/> takes the warehouse's today (<see cref="ErpDatabase.TodayAsync"/>, docs/today.md);
    /// <see cref="Period"/>, <see cref="Complete"/> and <see cref="ComparedTo"/> need it set.
    /// </summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>
    /// The days the report covers: the day, week (Monday to Sunday) or month of <see cref="Date"/>; when that period is still
    /// running on <see cref="AsOf"/>, its days up to <see cref="Date"/> (pass yesterday for complete days only).
    /// </summary>
    /// <exception cref="QueryValidationException"><see cref="Date"/> is after <see cref="AsOf"/>: nothing to report yet.</exception>
    /// <exception cref="InvalidOperationException"><see cref="AsOf"/> is null.</exception>
    public Period Period
    {
        get
        {
            var whole = Whole;
            var today = Today;
            if (Date > today)
            {
                throw new QueryValidationException("date", $"{Date:yyyy-MM-dd} is after today ({today:yyyy-MM-dd}): there is nothing to report yet.");
            }
            return whole.End >= today ? new Period(whole.Start, Date) : whole;
        }
    }

    /// <summary>True when every day of <see cref="Period"/> is over and it is the whole day, week or month; false while it is still running.</summary>
    /// <exception cref="InvalidOperationException"><see cref="AsOf"/> is null.</exception>
    public bool Complete => Period.End == Whole.End && Period.End < Today;

    /// <summary>
    /// What <see cref="Period"/> is compared with: the day before, the same weekdays of the week before, the whole month before
    /// (a complete month) or the same days of the month before (a month to date). When the period includes today, the last of these
    /// days counts only up to now's time of day (<see cref="Sales.PeriodInfo.Through"/> of <see cref="BusinessReport.ComparedTo"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="AsOf"/> is null.</exception>
    public Period ComparedTo
    {
        get
        {
            var period = Period;
            return Type switch
            {
                ReportType.Weekly => new Period(period.Start.AddDays(-7), period.End.AddDays(-7)),
                ReportType.Monthly when period.End == Whole.End => new Period(period.Start.AddMonths(-1), period.Start.AddDays(-1)),
                // AddMonths keeps the day, or the month's last day when it has fewer (30 March -> 28 February).
                ReportType.Monthly => new Period(period.Start.AddMonths(-1), period.End.AddMonths(-1)),
                _ => new Period(period.Start.AddDays(-1), period.End.AddDays(-1)),
            };
        }
    }

    private DateOnly Today => AsOf
        ?? throw new InvalidOperationException("The report's AsOf is not set: set it to today (await erp.TodayAsync(), the warehouse's today), or pass the query to ReportAsync, which does.");

    private Period Whole
    {
        get
        {
            var day = Period.InRange("date", Date);
            var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
            var firstOfMonth = new DateOnly(day.Year, day.Month, 1);
            return Type switch
            {
                ReportType.Weekly => new Period(monday, monday.AddDays(6)),
                ReportType.Monthly => new Period(firstOfMonth, firstOfMonth.AddMonths(1).AddDays(-1)),
                _ => new Period(day, day),
            };
        }
    }
}
