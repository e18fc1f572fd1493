using System.Text.Json.Serialization;
using Erp.Db.Queries.Sales;
using Erp.Db.Queries.Trends;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary>
/// meta.period of a BI result: the days covered (start and end both included), the grain of its
/// buckets, and whether the first and last buckets are complete, with a note saying why not.
/// </summary>
/// <param name="Start">First day, included.</param>
/// <param name="End">Last day, included.</param>
/// <param name="Days">Days from start to end.</param>
/// <param name="Grain">day, week, month or hour (buckets of the series), or period (one figure for the whole period).</param>
/// <param name="LastBucketComplete">False when the last bucket reaches today (the warehouse's, <see cref="Queries.QueryResult{T}.AsOf"/>: data still coming in) or runs past the end.</param>
/// <param name="Note">Why the first or last bucket is not complete; null when both are.</param>
internal sealed record PeriodMeta(DateOnly Start, DateOnly End, int Days, string Grain, bool LastBucketComplete, string? Note)
{
    /// <summary>meta.period of a result whose last bucket is complete or not as <paramref name="lastBucketComplete"/> says, as of <paramref name="today"/>.</summary>
    public static PeriodMeta From(PeriodInfo period, string grain, bool lastBucketComplete, DateOnly today)
    {
        var notes = new[] { StartsOnBucket(period.Start, grain) ? null : $"The first {grain} starts before {period.Start:yyyy-MM-dd}: it counts only the days from then.",
                            lastBucketComplete ? null : Why(period, grain, today) };
        var note = string.Join(" ", notes.OfType<string>());
        return new(period.Start, period.End, period.Days, grain, lastBucketComplete, note.Length == 0 ? null : note);
    }

    /// <summary>
    /// False when the first bucket is a week or month that starts before the period (a period from a Wednesday cuts its first week):
    /// that bucket counts only the period's days of it, and its bucket is the week's or month's first day.
    /// </summary>
    public bool FirstBucketComplete => StartsOnBucket(Start, Grain);

    private static bool StartsOnBucket(DateOnly start, string grain) => grain switch
    {
        "week" => start.DayOfWeek == DayOfWeek.Monday,
        "month" => start.Day == 1,
        _ => true,
    };

    /// <summary>
    /// meta.period of a result in buckets of <paramref name="grain"/> (null: one figure for the whole period): its last bucket is
    /// complete when it ends inside the period and before <paramref name="today"/>.
    /// </summary>
    public static PeriodMeta Buckets(PeriodInfo period, Granularity? grain, DateOnly today)
    {
        var lastDay = grain switch
        {
            Granularity.Week => period.End.AddDays(6 - (((int)period.End.DayOfWeek + 6) % 7)),
            Granularity.Month => new DateOnly(period.End.Year, period.End.Month, 1).AddMonths(1).AddDays(-1),
            _ => period.End,
        };
        return From(period, grain?.ToString().ToLowerInvariant() ?? "period", lastDay <= period.End && period.End < today, today);
    }

    /// <summary>The sentence a table caption ends with when the last bucket is not complete; "" when it is. Tables only: JSON has <see cref="Note"/>.</summary>
    [JsonIgnore]
    public string Caption => Note is null ? "" : " " + Note;

    private static string Why(PeriodInfo period, string grain, DateOnly today)
    {
        // A period that starts after the warehouse's today is accepted only while it is already today somewhere (PeriodOptions).
        return period.Start > today
            ? $"Starts after today in the database's time zone ({today:yyyy-MM-dd}), on a day begun only in time zones ahead of it: its data is still coming in, the last {grain} is incomplete."
            : period.End > today
            ? $"Runs {period.End.DayNumber - today.DayNumber} day{(period.End.DayNumber - today.DayNumber == 1 ? "" : "s")} past today ({today:yyyy-MM-dd}) to {period.End:yyyy-MM-dd}: "
              + $"those days have no data yet and today's is still coming in, so the last {grain} is incomplete and the figures cover only the days to today. "
              + "sales compares these days with as many days at the start of the period before (data.comparedTo), not with all of it, "
              + "the last of them only up to the same time of day as now (data.comparedTo.through)."
            : period.End == today
            ? $"Includes today ({today:yyyy-MM-dd}), whose data is still coming in: the last {grain} is incomplete; "
              + "sales' growth counts today's counterpart only up to the same time of day (data.comparedTo.through)."
            : $"The last {grain} runs past {period.End:yyyy-MM-dd}: it is incomplete.";
    }
}
