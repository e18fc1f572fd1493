using System.Globalization;
using System.Text.RegularExpressions;

namespace Erp.Db.Cli.Import;

/// <summary>
/// Typed access to the current record of an import file. A blank cell, <c>\N</c> or a column the file lacks gives null (the row's default).
/// A required cell that is missing or a value that does not parse is recorded in <see cref="Problems"/> (naming line and column) and
/// read as a placeholder, so that every problem of the record is found; a record with problems is never imported. Strict formats:
/// numbers invariant without thousands separators (1234.50), dates yyyy-MM-dd unless <see cref="ImportSettings.DateFormat"/>
/// gives the file's, timestamps ISO 8601 (2026-03-05T10:00:00+08:00; without an offset in <see cref="ImportSettings.TimeZone"/>, else UTC).
/// </summary>
internal sealed partial class CsvRecord
{
    private const string IsoDate = "yyyy-MM-dd";

    /// <summary>
    /// How PostgreSQL's text COPY (psql's <c>\copy ... TO</c> without CSV) and MySQL's exports write NULL. Read as a blank cell, so
    /// that such a file's missing invoice or customer is missing, not a value <c>\N</c>.
    /// </summary>
    private const string NullMarker = @"\N";

    private static readonly string[] Separators = ["'T'", " "];
    private static readonly string[] Times = ["HH:mm:ss.FFFFFFF", "HH:mm:ss", "HH:mm"];
    // After the file's own date format, the hour may have one digit: a spreadsheet writes 2026/3/5 9:05 (h:mm), and a format
    // that reads 2026/3/5 takes its times as written.
    private static readonly string[] LocalTimes = ["H:mm:ss.FFFFFFF", "H:mm:ss", "H:mm"];
    // zzz: +08:00 or +0800; zz: +08, as PostgreSQL writes a whole-hour offset (psql \copy of a timestamptz: 2026-03-05 02:00:00+00).
    // An offset may follow one space, as .NET writes a DateTimeOffset and erpdb's tables a time (2026-03-05 10:00 +08:00).
    private static readonly string[] Zones = ["zzz", "zz", " zzz", " zz", "'Z'", ""];

    /// <summary>Each declared column's cell in a record, or -1 when the file lacks the column: one lookup per value read.</summary>
    private readonly Dictionary<string, int> index;
    private readonly string? dateFormat;
    private readonly string[] timestampFormats;
    private readonly string dateExpected;
    private readonly string timestampExpected;
    private readonly Func<string, DateOnly?> parseDate;
    private readonly Func<string, DateTimeOffset?> parseTimestamp;
    private readonly TimeZoneInfo? timeZone;
    private readonly ImportMerchant? merchant;
    private string?[] cells = [];

    public CsvRecord(IReadOnlyList<string> header, IReadOnlyList<CsvColumn> columns, ImportSettings settings)
    {
        var positions = header.Select((h, i) => (h, i)).GroupBy(x => x.h, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        index = columns.DistinctBy(c => c.Name).ToDictionary(c => c.Name, c => positions.GetValueOrDefault(c.Name, -1), StringComparer.Ordinal);
        dateFormat = settings.DateFormat;
        timeZone = settings.TimeZone;
        merchant = settings.Merchant;
        timestampFormats = TimestampFormats(dateFormat);
        dateExpected = $"a date in {DayFormats}";
        timestampExpected = $"a timestamp in ISO 8601 (2026-03-05T10:00:00+08:00{(dateFormat is null ? "" : $", or {dateFormat} H:mm:ss")})";
        parseDate = ParseDate;
        parseTimestamp = ParseTimestamp;
    }

    /// <summary>Every format a timestamp may have: ISO 8601 shapes, and with the file's date format that date and a time.</summary>
    public static string[] TimestampFormats(string? dateFormat) =>
    [
        .. from sep in Separators from time in Times from zone in Zones select $"{IsoDate}{sep}{time}{zone}",
        .. dateFormat is null ? [] : from time in LocalTimes from zone in Zones select $"{dateFormat} {time}{zone}",
    ];

    /// <summary>The current line of the file (or row of the sheet): the header is 1.</summary>
    public long Line { get; private set; }

    /// <summary>Whether a timestamp written without an offset was read as UTC, no time zone being given (<c>--time-zone</c>).</summary>
    public bool ReadAsUtc { get; private set; }

    /// <summary>The problems of the current record.</summary>
    public List<ImportProblem> Problems { get; } = [];

    public void Load(long line, string?[] record)
    {
        Line = line;
        cells = record;
        Problems.Clear();
    }

    public string Text(string column) => Cell(column, required: true) ?? "";

    public string? TextOrNull(string column) => Cell(column, required: false);

    public long Long(string column) => LongOrNull(column, required: true) ?? 0;

    public long? LongOrNull(string column, bool required = false) =>
        Parse(column, required, "a whole number", s => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : (long?)null);

    public int Int(string column) => IntOrNull(column, required: true) ?? 0;

    public int? IntOrNull(string column, bool required = false) =>
        Parse(column, required, "a whole number", s => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : (int?)null);

    public decimal Decimal(string column) => DecimalOrNull(column, required: true) ?? 0;

    public decimal? DecimalOrNull(string column, bool required = false) =>
        Parse(column, required, "a number", s => decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) ? v : (decimal?)null);

    public DateOnly Date(string column) => Parse(column, required: true, dateExpected, parseDate) ?? DateOnly.MinValue;

    public DateOnly? DateOrNull(string column) => Parse(column, required: false, dateExpected, parseDate);

    public DateTimeOffset Timestamp(string column) => TimestampOrNull(column, required: true) ?? DateTimeOffset.MinValue;

    public DateTimeOffset? TimestampOrNull(string column, bool required = false) => Parse(column, required, timestampExpected, parseTimestamp);

    /// <summary>
    /// A timestamp, or a day alone read as its last second (23:59:59, in the file's time zone like any time without an offset):
    /// a count dated a day counts what that day left on the shelf.
    /// </summary>
    public DateTimeOffset TimestampOrDayEnd(string column) =>
        Parse(column, required: true, $"{timestampExpected} or a day ({DayFormats}, read as 23:59:59)",
            s => ParseDate(s) is { } day ? ParseTimestamp(day.ToString(IsoDate, CultureInfo.InvariantCulture) + "T23:59:59") : ParseTimestamp(s)) ?? DateTimeOffset.MinValue;

    /// <summary>
    /// The day of a cell that holds a day alone, when the file names no time zone (<c>--time-zone</c>): whose last second is then the
    /// end of that day in the merchant's zone, which the database knows. Null for a timestamp, a blank cell, or a file with a zone.
    /// Registers no problem (the cell is read by <see cref="TimestampOrDayEnd"/> too).
    /// </summary>
    public DateOnly? DayWithoutZone(string column) =>
        timeZone is null && Cell(column, required: false) is { } cell ? ParseDate(cell) : null;

    public bool? BoolOrNull(string column) =>
        Parse(column, required: false, "true or false (t/f, yes/no, y/n, 1/0)", s => s.ToLowerInvariant() switch
        {
            "true" or "t" or "1" or "yes" or "y" => true,
            "false" or "f" or "0" or "no" or "n" => false,
            _ => (bool?)null,
        });

    /// <summary>1,234.50 or 1 234,50: digits grouped by thousands.</summary>
    [GeneratedRegex(@"^[-+]?\d{1,3}([,' \u00A0]\d{3})+([.,]\d+)?$")]
    private static partial Regex ThousandsSeparated();

    /// <summary>1.23457E+11, 1e20: a number in scientific notation.</summary>
    [GeneratedRegex(@"^[-+]?\d+(\.\d+)?[eE][-+]?\d+$")]
    private static partial Regex Exponent();

    /// <summary>¥35.50, $12, 12.50 USD, 35元: a number with a currency sign or code (in capitals: 100pcs is a unit, not a currency).</summary>
    [GeneratedRegex(@"^[-+]?[¥$€£₩₹][-+]?\d|^[A-Z]{3}\s*[-+]?\d|\d\s*([A-Z]{3}|元)$")]
    private static partial Regex CurrencyMarked();

    /// <summary>12,50: a decimal comma (one or two digits after it; three is a thousands separator).</summary>
    [GeneratedRegex(@"^[-+]?\d+,\d{1,2}$")]
    private static partial Regex DecimalComma();

    /// <summary>(12.50): a negative as accounting formats write it.</summary>
    [GeneratedRegex(@"^\(\s*\d[\d.,]*\s*\)$")]
    private static partial Regex Parenthesized();

    /// <summary>05/03/2026, 24.11.2026, 03-05-26: a day and a month in an order yyyy-MM-dd does not have.</summary>
    [GeneratedRegex(@"^(?<first>\d{1,2})(?<separator>[/.\-])(?<second>\d{1,2})\k<separator>(?<year>\d{2}|\d{4})$")]
    private static partial Regex DayMonthYear();

    /// <summary>The formats a day is read in (<see cref="ParseDate"/>): the file's, if given, then yyyy-MM-dd.</summary>
    private string DayFormats => dateFormat is null ? IsoDate : $"{dateFormat} or {IsoDate}";

    private T? Parse<T>(string column, bool required, string expected, Func<string, T?> parse)
        where T : struct
    {
        var cell = Cell(column, required);
        if (cell is null)
        {
            return null;
        }
        if (parse(cell) is { } value)
        {
            return value;
        }
        // Digits a whole-number column cannot hold are a whole number, only too large for it.
        Problems.Add(new ImportProblem(Line, column, null, expected == "a whole number" && WholeDigits().IsMatch(cell)
            ? $"{column} '{cell}' is out of range: a whole number up to {(typeof(T) == typeof(int) ? int.MaxValue : long.MaxValue)}"
            : $"{column} '{cell}' is not {expected}{Hint(cell, expected)}"));
        return null;
    }

    [GeneratedRegex(@"^[-+]?\d+$")]
    private static partial Regex WholeDigits();

    private string Hint(string cell, string expected)
    {
        if (expected.StartsWith("a number", StringComparison.Ordinal) || expected.StartsWith("a whole", StringComparison.Ordinal))
        {
            var example = expected.StartsWith("a whole", StringComparison.Ordinal) ? "1234" : "1234.50";
            return ThousandsSeparated().IsMatch(cell) ? $": it has a thousands separator; write it without one, e.g. {example}"
                : CurrencyMarked().IsMatch(cell) ? ": it has a currency sign or code; write the number alone (a row's currency is its currency_code)"
                : DecimalComma().IsMatch(cell) ? $": it has a decimal comma; write a point, e.g. {cell.Replace(',', '.')}"
                : Parenthesized().IsMatch(cell) ? $": a negative in parentheses, as accounting formats write it; write -{cell.Trim('(', ')', ' ')}"
                : cell.EndsWith('%') ? ": it has a percent sign; write the fraction, e.g. 0.2 for 20%"
                : Exponent().IsMatch(cell) ? ": it has an exponent, as a spreadsheet writes a long number it has shortened (digits may be lost); "
                    + "format the column as a number with all its digits, or as text, and export again"
                : "";
        }
        if (dateFormat is null && expected.StartsWith("a date", StringComparison.Ordinal) && DayMonthYear().Match(cell) is { Success: true } date)
        {
            return DayMonthHint(date);
        }
        return "";
    }

    /// <summary>
    /// What a date such as 24/11/2026 needs: the one format it can be (a first number above 12 is a day), or, when it could be
    /// read more ways (05/03/2026; 24.11.26, which yy.MM.dd reads too), that the file must say which. A day or month of one digit
    /// (5/3/2026) gets d and M, which read two digits too; dd and MM read two only.
    /// </summary>
    private static string DayMonthHint(Match date)
    {
        var (first, second, last) = (date.Groups["first"].Value, date.Groups["second"].Value, date.Groups["year"].Value);
        var (a, b, c) = (int.Parse(first, CultureInfo.InvariantCulture), int.Parse(second, CultureInfo.InvariantCulture), int.Parse(last, CultureInfo.InvariantCulture));
        var (day, month) = first.Length == 1 || second.Length == 1 ? ("d", "M") : ("dd", "MM");
        var separator = date.Groups["separator"].Value;
        var year = last.Length == 2 ? "yy" : "yyyy";
        string Format(params string[] parts) => string.Join(separator, parts);
        string[] formats =
        [
            .. a is >= 1 and <= 31 && b is >= 1 and <= 12 ? [Format(day, month, year)] : Array.Empty<string>(),
            .. a is >= 1 and <= 12 && b is >= 1 and <= 31 ? [Format(month, day, year)] : Array.Empty<string>(),
            // Two digits first and last: the year may come first (26.11.24 is yy.MM.dd).
            .. first.Length == 2 && last.Length == 2 && b is >= 1 and <= 12 && c is >= 1 and <= 31 ? [Format("yy", second.Length == 1 ? "M" : "MM", "dd")] : Array.Empty<string>(),
        ];
        return formats switch
        {
            [] => "",
            [var only] => $": it can only be {only}; give that format with --date-format {only}",
            _ => $": day, month and year could be read {formats.Length} ways; give the file's format with --date-format, {string.Join(" or ", formats)}",
        };
    }

    /// <summary>
    /// A date in the file's format, else yyyy-MM-dd (what a spreadsheet writes for the cells it took as dates; the file's format
    /// decides any text both could read); yyyy-MM-dd without the general parser (same values, same rejections).
    /// </summary>
    private DateOnly? ParseDate(string s) =>
        dateFormat is not null && DateOnly.TryParseExact(s, dateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var v) ? v
        : IsoText.TryDate(s, out var iso) ? iso : null;

    /// <summary>A timestamp; the common yyyy-MM-ddTHH:mm:ss[Z|+hh:mm] without trying every format in turn (same values, same rejections).</summary>
    private DateTimeOffset? ParseTimestamp(string s)
    {
        DateTimeOffset? read = IsoText.TryTimestamp(s, out var iso) ? iso
            : DateTimeOffset.TryParseExact(s, timestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var v) ? v : null;
        // Read as UTC when the text has no offset: in the file's time zone, the same wall-clock time at that zone's offset then.
        if (!ReadAsUtc && read is not null && timeZone is null && !Offset().IsMatch(s))
        {
            ReadAsUtc = true;
        }
        return read is { } value && timeZone is not null && !Offset().IsMatch(s)
            ? new DateTimeOffset(value.DateTime, timeZone.GetUtcOffset(value.DateTime))
            : read;
    }

    /// <summary>
    /// The merchant of a file restricted to one (<c>--merchant</c>): a blank or absent merchant_code is that merchant's code, and a
    /// merchant_code or merchant_id naming another merchant is a problem, so that a file handed over by one merchant cannot write
    /// another's rows.
    /// </summary>
    private string? MerchantCell(string column, string? cell, ImportMerchant only)
    {
        if (string.IsNullOrEmpty(cell) || cell == NullMarker)
        {
            return column == "merchant_code" ? only.Code : null;
        }
        var same = column == "merchant_code"
            ? cell == only.Code
            : long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) && id == only.Id;
        if (!same)
        {
            Problems.Add(new ImportProblem(Line, column, null,
                $"{column} {(cell.Length > 40 ? cell[..40] + "..." : cell)} is not merchant {only.Code} (id {only.Id}), which --merchant names: the file may hold that merchant's rows only"));
        }
        return cell;
    }

    /// <summary>A timestamp's own offset at its end: Z, +08:00, -0500 or +08.</summary>
    [GeneratedRegex(@"(Z|[+-]\d{2}(:?\d{2})?)$")]
    private static partial Regex Offset();

    private string? Cell(string column, bool required)
    {
        if (!index.TryGetValue(column, out var i))
        {
            throw new InvalidOperationException($"Column {column} is read but not declared.");
        }
        var cell = i >= 0 && i < cells.Length ? cells[i]?.Trim() : null;
        if (merchant is not null && column is "merchant_code" or "merchant_id")
        {
            return MerchantCell(column, cell, merchant);
        }
        if (string.IsNullOrEmpty(cell) || cell == NullMarker)
        {
            if (required)
            {
                Problems.Add(new ImportProblem(Line, column, null, $"{column} is missing"));
            }
            return null;
        }
        // PostgreSQL text cannot hold NUL: say so here, naming the cell, rather than fail the whole batch.
        if (cell.Contains('\0', StringComparison.Ordinal))
        {
            Problems.Add(new ImportProblem(Line, column, null, $"{column} contains a NUL character, which text columns cannot hold"));
            return null;
        }
        return cell;
    }
}
