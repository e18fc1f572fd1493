namespace Erp.Db.Queries.Reports;

/// <summary>A daily, weekly or monthly business report (<c>erpdb report</c>).</summary>
/// <param name="MerchantId">The merchant; isolation is enforced by the database.</param>
/// <param name="Type">Daily, weekly or monthly.</param>
/// <param name="Date">A day inside the period to report.</param>
public sealed record ReportQuery(long MerchantId, ReportType Type, DateOnly Date)
{
    /// <summary>The last day that counts; default today on this machine. A period still running on it (this week, this month)
    /// is cut there ("to date") and compared with the same days of the period before, so like is compared with like.</summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>The days the report covers: the day, week (Monday to Sunday) or month of <see cref="Date"/>, cut at <see cref="AsOf"/> when that falls inside it.</summary>
    public Period Period => Cut(Whole);

    /// <summary>False when <see cref="Period"/> was cut at <see cref="AsOf"/>: the week or month is still running.</summary>
    public bool Complete => Period.End == Whole.End;

    /// <summary>What <see cref="Period"/> is compared with: the day before, the same weekdays of the week before, or the same days of the month before.</summary>
    public Period ComparedTo
    {
        get
        {
            var period = Period;
            return Type switch
            {
                ReportType.Weekly => new Period(period.Start.AddDays(-7), period.End.AddDays(-7)),
                // AddMonths keeps the day, or the month's last day when it has fewer (31 March -> 28 February).
                ReportType.Monthly => new Period(period.Start.AddMonths(-1), period.End.AddMonths(-1)),
                _ => new Period(period.Start.AddDays(-1), period.End.AddDays(-1)),
            };
        }
    }

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

    private Period Cut(Period whole)
    {
        var asOf = AsOf ?? DateOnly.FromDateTime(DateTime.Now);
        return asOf >= whole.Start && asOf < whole.End ? new Period(whole.Start, asOf) : whole;
    }
}
