namespace Erp.Db.Queries.Reports;

/// <summary>A daily, weekly or monthly business report (<c>erpdb report</c>).</summary>
/// <param name="MerchantId">The merchant; isolation is enforced by the database.</param>
/// <param name="Type">Daily, weekly or monthly.</param>
/// <param name="Date">A day inside the period to report.</param>
public sealed record ReportQuery(long MerchantId, ReportType Type, DateOnly Date)
{
    /// <summary>The days the report covers.</summary>
    public Period Period
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
