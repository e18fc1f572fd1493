namespace Erp.Db.Queries.Reports;

/// <summary>A daily, weekly or monthly business report (<c>erpdb report</c>).</summary>
/// <param name="MerchantId">The merchant; isolation is enforced by the database.</param>
/// <param name="Type">Daily, weekly or monthly.</param>
/// <param name="Date">A day inside the period to report.</param>
public sealed record ReportQuery(long MerchantId, ReportType Type, DateOnly Date)
{
    /// <summary>The days the report covers.</summary>
    public Period Period => Type switch
    {
        ReportType.Weekly => new Period(Date.AddDays(-(((int)Date.DayOfWeek + 6) % 7)), Date.AddDays(-(((int)Date.DayOfWeek + 6) % 7) + 6)),
        ReportType.Monthly => new Period(new DateOnly(Date.Year, Date.Month, 1), new DateOnly(Date.Year, Date.Month, 1).AddMonths(1).AddDays(-1)),
        _ => new Period(Date, Date),
    };
}
