namespace Erp.Db.Queries;

/// <summary>An inclusive range of days, validated: start on or before end, within 2000-01-01..2100-12-31, at most 3,660 days.</summary>
public sealed record Period
{
    private static readonly DateOnly Earliest = new(2000, 1, 1);
    private static readonly DateOnly Latest = new(2100, 12, 31);

    /// <summary>Creates a period; throws <see cref="QueryValidationException"/> when it is not a sensible range.</summary>
    public Period(DateOnly start, DateOnly end)
    {
        if (start < Earliest || end > Latest)
        {
            throw new QueryValidationException("start", $"Dates must lie between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}; got {start:yyyy-MM-dd}..{end:yyyy-MM-dd}.");
        }
        if (start > end)
        {
            throw new QueryValidationException("start", $"The start {start:yyyy-MM-dd} is after the end {end:yyyy-MM-dd}.");
        }
        if (end.DayNumber - start.DayNumber + 1 > 3660)
        {
            throw new QueryValidationException("start", "A period may span at most 3,660 days (about ten years).");
        }
        Start = start;
        End = end;
    }

    /// <summary>First day, inclusive.</summary>
    public DateOnly Start { get; }

    /// <summary>Last day, inclusive.</summary>
    public DateOnly End { get; }

    /// <summary>Number of days in the period.</summary>
    public int Days => End.DayNumber - Start.DayNumber + 1;

    /// <summary>
    /// Throws <see cref="QueryValidationException"/> naming <paramref name="field"/> when the period starts after today in every time
    /// zone: a period that has not begun has no data yet. Today is the latest date anywhere (UTC+14): a merchant's today may be ahead
    /// of this machine's.
    /// </summary>
    /// <param name="field">What set the start, as the caller names it to its user (<c>start</c>, <c>--start</c>, <c>--date</c>).</param>
    public void ThrowIfNotBegun(string field) => ThrowIfNotBegun(Start, field);

    /// <summary>The rule of <see cref="ThrowIfNotBegun(string)"/> for a period that starts on <paramref name="start"/>.</summary>
    internal static void ThrowIfNotBegun(DateOnly start, string field)
    {
        var latestToday = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(14));
        if (start > latestToday)
        {
            throw new QueryValidationException(field,
                $"The period starts on {start:yyyy-MM-dd}, after today in every time zone ({latestToday:yyyy-MM-dd}): there is nothing to report yet; give an earlier {field}.");
        }
    }

    /// <summary>The period of the same length just before this one.</summary>
    public Period Previous() => new(Start.AddDays(-Days), Start.AddDays(-1));

    /// <summary>The last <paramref name="days"/> days ending on <paramref name="end"/>.</summary>
    public static Period LastDays(int days, DateOnly end)
    {
        if (days is < 1 or > 3660)
        {
            throw new QueryValidationException("days", $"days must be between 1 and 3660; got {days}.");
        }
        // Checked before counting back: DateOnly.MinValue minus a day is out of range, not a period.
        return new Period(InRange("end", end).AddDays(1 - days), end);
    }

    /// <summary>Returns <paramref name="day"/> when it lies in the range a period may cover, so that
    /// counting days from it cannot overflow <see cref="DateOnly"/>; throws <see cref="QueryValidationException"/> naming <paramref name="field"/> otherwise.</summary>
    internal static DateOnly InRange(string field, DateOnly day) =>
        day >= Earliest && day <= Latest
            ? day
            : throw new QueryValidationException(field, $"Dates must lie between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}; got {day:yyyy-MM-dd}.");
}
