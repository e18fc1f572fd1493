using System.Globalization;
using Erp.Db.Cli.Import;

namespace Erp.Db.Tests.Cli;

/// <summary>
/// The fast readers of the common date and timestamp shapes (<see cref="IsoText"/>) against the general format list an import
/// accepts: whatever they read, the list reads to the same instant and offset; what they leave, the list decides.
/// </summary>
public class ImportValueShapeTests
{
    private static readonly string[] Dates = ["2026-03-05", "2024-02-29", "2025-02-29", "0001-01-01", "9999-12-31", "2026-13-01", "2026-04-31", "2026-3-05", "20x6-03-05", "0000-01-01"];

    private static readonly string[] Separators = ["T", " ", "t"];

    private static readonly string[] Times = ["00:00:00", "23:59:59", "24:00:00", "10:60:00", "10:00:60", "10:00", "9:05:07", "10:00:00.5"];

    private static readonly string[] Zones = ["", "Z", "z", "+08:00", "-05:30", "+14:00", "+14:01", "-00:00", "+0800", "+08", "-05", "+15", "+00:60",
        " +08:00", " -05:30", " +0800", " +08", " Z", "  +08:00", " +15:00"];

    [Fact]
    public void A_date_read_fast_is_the_date_the_format_reads()
    {
        foreach (var text in Dates)
        {
            var general = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expected);
            if (IsoText.TryDate(text, out var fast))
            {
                Assert.True(general && fast == expected, text);
            }
        }
        Assert.True(IsoText.TryDate("2026-03-05", out var common) && common == new DateOnly(2026, 3, 5));
    }

    [Fact]
    public void A_timestamp_read_fast_is_the_instant_and_offset_the_formats_read()
    {
        var formats = CsvRecord.TimestampFormats(null);
        var fastOnes = 0;
        foreach (var text in from d in Dates from s in Separators from t in Times from z in Zones select d + s + t + z)
        {
            var general = DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expected);
            if (IsoText.TryTimestamp(text, out var fast))
            {
                fastOnes++;
                Assert.True(general && fast == expected && fast.Offset == expected.Offset, $"{text}: {fast:o} against {(general ? expected.ToString("o", CultureInfo.InvariantCulture) : "rejected")}");
            }
        }
        Assert.True(fastOnes > 0);
        Assert.True(IsoText.TryTimestamp("2026-03-05T09:30:00+08:00", out var shanghai) && shanghai == new DateTimeOffset(2026, 3, 5, 9, 30, 0, TimeSpan.FromHours(8)));
        Assert.True(IsoText.TryTimestamp("2026-03-05 09:30:00Z", out var utc) && utc == new DateTimeOffset(2026, 3, 5, 9, 30, 0, TimeSpan.Zero));
        Assert.True(IsoText.TryTimestamp("2026-03-05T09:30:00", out var plain) && plain.Offset == TimeSpan.Zero);
        // As psql's \copy writes a timestamptz whose zone is a whole number of hours.
        Assert.True(IsoText.TryTimestamp("2026-03-05 01:30:00+00", out var postgres) && postgres == new DateTimeOffset(2026, 3, 5, 1, 30, 0, TimeSpan.Zero));
        // As .NET writes a DateTimeOffset: one space before the offset.
        Assert.True(IsoText.TryTimestamp("2026-03-05 09:30:00 +08:00", out var dotnet) && dotnet == shanghai && dotnet.Offset == TimeSpan.FromHours(8));
        Assert.True(IsoText.TryTimestamp("2026-03-05 09:30:00 -05", out var hours) && hours == new DateTimeOffset(2026, 3, 5, 14, 30, 0, TimeSpan.Zero));
        Assert.True(DateTimeOffset.TryParseExact("2026-03-05 09:30 +0800", formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var table)
            && table == new DateTimeOffset(2026, 3, 5, 1, 30, 0, TimeSpan.Zero));
        Assert.True(DateTimeOffset.TryParseExact("2026-03-05 09:30:00.25-05", formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var fraction)
            && fraction == new DateTimeOffset(2026, 3, 5, 14, 30, 0, 250, TimeSpan.Zero));
    }
}
