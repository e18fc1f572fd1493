namespace Erp.Db.Cli.Import;

/// <summary>
/// The shapes almost every import file uses, read without the general format parser: <c>yyyy-MM-dd</c> and
/// <c>yyyy-MM-ddTHH:mm:ss</c> (or a space for the T) with no offset (UTC), <c>Z</c>, <c>+hh:mm</c>/<c>-hh:mm</c> or
/// <c>+hh</c>/<c>-hh</c> (PostgreSQL's own output: <c>2026-03-05 02:00:00+00</c>), the offset right after the time or after one
/// space (.NET's and erpdb's own output: <c>2026-03-05 10:00:00 +08:00</c>).
/// Each accepts only text the format list of <see cref="CsvRecord"/> accepts, with the same value; anything else
/// (fractions of a second, other offsets, out-of-range fields) returns false and goes to that list.
/// </summary>
internal static class IsoText
{
    public static bool TryDate(ReadOnlySpan<char> s, out DateOnly date)
    {
        date = default;
        if (s.Length != 10 || s[4] != '-' || s[7] != '-'
            || !TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        date = new DateOnly(year, month, day);
        return true;
    }

    public static bool TryTimestamp(ReadOnlySpan<char> s, out DateTimeOffset timestamp)
    {
        timestamp = default;
        // yyyy-MM-ddTHH:mm:ss is 19 characters; then nothing, Z, or an offset of 3 or 6, the offset after one space or none.
        var zone = s.Length > 19 && s[19] == ' ' ? 20 : 19;
        var zoneLength = s.Length - zone;
        if (s.Length < 19 || (zone == 20 ? zoneLength is not (3 or 6) : zoneLength is not (0 or 1 or 3 or 6))
            || s[10] is not ('T' or ' ') || s[13] != ':' || s[16] != ':'
            || !TryDate(s[..10], out var date)
            || !TryDigits(s.Slice(11, 2), out var hour) || !TryDigits(s.Slice(14, 2), out var minute) || !TryDigits(s.Slice(17, 2), out var second)
            || hour > 23 || minute > 59 || second > 59
            // Far from the ends of the calendar, so that no offset can carry the instant out of DateTimeOffset's range.
            || date.Year is < 2 or > 9998)
        {
            return false;
        }
        var offset = TimeSpan.Zero;
        if (zoneLength == 1 && s[zone] != 'Z')
        {
            return false;
        }
        if (zoneLength is 3 or 6)
        {
            var offsetMinutes = 0;
            if (s[zone] is not ('+' or '-') || !TryDigits(s.Slice(zone + 1, 2), out var offsetHours)
                || (zoneLength == 6 && (s[zone + 3] != ':' || !TryDigits(s.Slice(zone + 4, 2), out offsetMinutes)))
                || offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > 14 * 60)
            {
                return false;
            }
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (s[zone] == '-')
            {
                offset = -offset;
            }
        }
        timestamp = new DateTimeOffset(date.Year, date.Month, date.Day, hour, minute, second, offset);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
