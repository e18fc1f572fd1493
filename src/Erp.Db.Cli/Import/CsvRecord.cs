using System.Globalization;
using System.Text.RegularExpressions;

namespace Erp.Db.Cli.Import;

/// <summary>
/// Typed access to the current record of an import file. A blank cell or a column the file lacks gives null (the row's default).
/// A required cell that is missing or a value that does not parse is recorded in <see cref="Problems"/> (naming line and column) and
/// read as a placeholder, so that every problem of the record is found; a record with problems is never imported. Strict formats:
/// numbers invariant without thousands separators (1234.50), dates yyyy-MM-dd unless <see cref="ImportSettings.DateFormat"/>
/// gives the file's, timestamps ISO 8601 (2026-03-05T10:00:00+08:00; without an offset UTC).
/// </summary>
internal sealed partial class CsvRecord
{
    private const string IsoDate = "yyyy-MM-dd";

    private static readonly string[] Separators = ["'T'", " "];
    private static readonly string[] Times = ["HH:mm:ss.FFFFFFF", "HH:mm:ss", "HH:mm"];
    private static readonly string[] Zones = ["zzz", "'Z'", ""];

    private readonly Dictionary<string, int> index;
    private readonly HashSet<string> declared;
    private readonly string? dateFormat;
    private readonly string[] dateFormats;
    private readonly string[] timestampFormats;
    private string?[] cells = [];

    public CsvRecord(IReadOnlyList<string> header, IReadOnlyList<CsvColumn> columns, ImportSettings settings)
    {
        index = header.Select((h, i) => (h, i)).GroupBy(x => x.h, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        declared = new HashSet<string>(columns.Select(c => c.Name), StringComparer.Ordinal);
        dateFormat = settings.DateFormat;
        dateFormats = [dateFormat ?? IsoDate];
        timestampFormats =
        [
            .. from sep in Separators from time in Times from zone in Zones select $"{IsoDate}{sep}{time}{zone}",
            .. dateFormat is null ? [] : from time in Times from zone in Zones select $"{dateFormat} {time}{zone}",
        ];
    }

    /// <summary>The current line of the file (or row of the sheet): the header is 1.</summary>
    public long Line { get; private set; }

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

    public DateOnly Date(string column) =>
        Parse(column, required: true, $"a date in {dateFormats[0]}", s => DateOnly.TryParseExact(s, dateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var v) ? v : (DateOnly?)null)
        ?? DateOnly.MinValue;

    public DateOnly? DateOrNull(string column) =>
        Parse(column, required: false, $"a date in {dateFormats[0]}", s => DateOnly.TryParseExact(s, dateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var v) ? v : (DateOnly?)null);

    public DateTimeOffset Timestamp(string column) => TimestampOrNull(column, required: true) ?? DateTimeOffset.MinValue;

    public DateTimeOffset? TimestampOrNull(string column, bool required = false) =>
        Parse(column, required, $"a timestamp in ISO 8601 (2026-03-05T10:00:00+08:00{(dateFormat is null ? "" : $", or {dateFormat} HH:mm:ss")})",
            s => DateTimeOffset.TryParseExact(s, timestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var v) ? v : (DateTimeOffset?)null);

    public bool? BoolOrNull(string column) =>
        Parse(column, required: false, "true or false", s => s.ToLowerInvariant() switch
        {
            "true" or "t" or "1" or "yes" => true,
            "false" or "f" or "0" or "no" => false,
            _ => (bool?)null,
        });

    /// <summary>1,234.50 or 1 234,50: digits grouped by thousands.</summary>
    [GeneratedRegex(@"^[-+]?\d{1,3}([,' \u00A0]\d{3})+([.,]\d+)?$")]
    private static partial Regex ThousandsSeparated();

    /// <summary>05/03/2026, 5.3.2026, 03-05-26: a day and a month whose order the text does not tell.</summary>
    [GeneratedRegex(@"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}")]
    private static partial Regex DayMonthAmbiguous();

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
        Problems.Add(new ImportProblem(Line, column, null, $"{column} '{cell}' is not {expected}{Hint(cell, expected)}"));
        return null;
    }

    private string Hint(string cell, string expected)
    {
        if (expected.StartsWith("a number", StringComparison.Ordinal) || expected.StartsWith("a whole", StringComparison.Ordinal))
        {
            return ThousandsSeparated().IsMatch(cell) ? ": it has a thousands separator; write it without one, e.g. 1234.50" : "";
        }
        if (dateFormat is null && expected.StartsWith("a date", StringComparison.Ordinal) && DayMonthAmbiguous().IsMatch(cell))
        {
            return ": day and month are ambiguous; give the file's format with --date-format, e.g. dd/MM/yyyy";
        }
        return "";
    }

    private string? Cell(string column, bool required)
    {
        if (!declared.Contains(column))
        {
            throw new InvalidOperationException($"Column {column} is read but not declared.");
        }
        var cell = index.TryGetValue(column, out var i) && i < cells.Length ? cells[i]?.Trim() : null;
        if (string.IsNullOrEmpty(cell))
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
