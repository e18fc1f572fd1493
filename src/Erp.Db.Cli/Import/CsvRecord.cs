using System.Globalization;
using CsvHelper;

namespace Erp.Db.Cli.Import;

/// <summary>
/// Typed access to the current record of an import file. A blank cell or a column the file lacks gives null (the
/// row's default); a required one fails. Numbers and dates are invariant: 12.50, 2026-03-05, 2026-03-05T10:00:00+08:00
/// (a timestamp without an offset is UTC).
/// </summary>
internal sealed class CsvRecord(CsvReader csv, IReadOnlyList<CsvColumn> columns)
{
    private readonly HashSet<string> present = new(csv.HeaderRecord ?? [], StringComparer.Ordinal);
    private readonly HashSet<string> declared = new(columns.Select(c => c.Name), StringComparer.Ordinal);

    /// <summary>The current line of the file: the header is line 1.</summary>
    public long Line { get; set; }

    public string Text(string column) => Cell(column, required: true)!;

    public string? TextOrNull(string column) => Cell(column, required: false);

    public long Long(string column) => LongOrNull(column, required: true)!.Value;

    public long? LongOrNull(string column, bool required = false) =>
        Parse(column, required, "a whole number", s => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : (long?)null);

    public int Int(string column) => IntOrNull(column, required: true)!.Value;

    public int? IntOrNull(string column, bool required = false) =>
        Parse(column, required, "a whole number", s => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : (int?)null);

    public decimal Decimal(string column) => DecimalOrNull(column, required: true)!.Value;

    public decimal? DecimalOrNull(string column, bool required = false) =>
        Parse(column, required, "a number", s => decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) ? v : (decimal?)null);

    public DateOnly Date(string column) =>
        Parse(column, required: true, "a date (yyyy-mm-dd)", s => DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var v) ? v : (DateOnly?)null)!.Value;

    public DateTimeOffset Timestamp(string column) => TimestampOrNull(column, required: true)!.Value;

    public DateTimeOffset? TimestampOrNull(string column, bool required = false) =>
        Parse(column, required, "a timestamp (2026-03-05T10:00:00+08:00)", s => DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var v) ? v : (DateTimeOffset?)null);

    public bool? BoolOrNull(string column) =>
        Parse(column, required: false, "true or false", s => s.ToLowerInvariant() switch
        {
            "true" or "t" or "1" or "yes" => true,
            "false" or "f" or "0" or "no" => false,
            _ => (bool?)null,
        });

    private T? Parse<T>(string column, bool required, string expected, Func<string, T?> parse)
        where T : struct
    {
        var cell = Cell(column, required);
        if (cell is null)
        {
            return null;
        }
        return parse(cell) ?? throw new CsvImportException(Line, column, $"{column} '{cell}' is not {expected}");
    }

    private string? Cell(string column, bool required)
    {
        if (!declared.Contains(column))
        {
            throw new InvalidOperationException($"Column {column} is read but not declared.");
        }
        var cell = present.Contains(column) ? csv.GetField(column)?.Trim() : null;
        if (string.IsNullOrEmpty(cell))
        {
            return required ? throw new CsvImportException(Line, column, $"{column} is missing") : null;
        }
        // PostgreSQL text cannot hold NUL: say so here, naming the cell, rather than fail the whole batch.
        return cell.Contains('\0', StringComparison.Ordinal)
            ? throw new CsvImportException(Line, column, $"{column} contains a NUL character, which text columns cannot hold")
            : cell;
    }
}
