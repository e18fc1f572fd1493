namespace Erp.Db.Queries.Trends;

/// <summary>Bucket arithmetic of a trend: where buckets start (as PostgreSQL's date_trunc), and which are complete.</summary>
internal static class TrendBuckets
{
    /// <summary>The first day of the bucket holding <paramref name="day"/>: the day, its ISO week's Monday, or its month's first day.</summary>
    public static DateOnly Start(Granularity granularity, DateOnly day) => granularity switch
    {
        Granularity.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        Granularity.Month => new DateOnly(day.Year, day.Month, 1),
        _ => day,
    };

    /// <summary>The first day of the bucket after the one starting on <paramref name="bucket"/>.</summary>
    public static DateOnly Next(Granularity granularity, DateOnly bucket) => granularity switch
    {
        Granularity.Week => bucket.AddDays(7),
        Granularity.Month => bucket.AddMonths(1),
        _ => bucket.AddDays(1),
    };

    /// <summary>Every bucket the period touches, oldest first.</summary>
    public static IReadOnlyList<DateOnly> All(Granularity granularity, Period period)
    {
        var buckets = new List<DateOnly>();
        for (var bucket = Start(granularity, period.Start); bucket <= period.End; bucket = Next(granularity, bucket))
        {
            buckets.Add(bucket);
        }
        return buckets;
    }

    /// <summary>A bucket is complete when all its days lie in the period and before <paramref name="today"/>.</summary>
    public static bool IsComplete(Granularity granularity, DateOnly bucket, Period period, DateOnly today)
    {
        var last = Next(granularity, bucket).AddDays(-1);
        return bucket >= period.Start && last <= period.End && last < today;
    }
}
