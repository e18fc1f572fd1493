using System.Text.RegularExpressions;
using Erp.Db.Cli.Import.Sources;

namespace Erp.Db.Cli.Import;

/// <summary>
/// One file being imported: reads its records into rows, collects the problems of every record (up to
/// <see cref="ImportSettings.MaxErrors"/>) and remembers which line each row came from, so that errors the database finds in
/// row n name the line of the file. Rows stream: only the lines where the row-to-line offset changes are kept.
/// </summary>
internal sealed partial class ImportRun(ImportSource source, string[] header, ImportSettings settings, Action<long>? progress = null)
{
    private readonly List<(long Row, long Line)> offsets = [];
    private long lastOffset = 1;

    public ImportSettings Settings { get; } = settings;

    public List<ImportProblem> Problems { get; } = [];

    /// <summary>Whether a timestamp of the file without an offset was read as UTC (no <c>--time-zone</c>).</summary>
    public bool ReadAsUtc { get; private set; }

    /// <summary>Records read (rows passed on plus rows with problems).</summary>
    public long Records { get; private set; }

    /// <summary>The file line of the batch's row <paramref name="row"/> (1-based).</summary>
    public long LineOf(long row)
    {
        var offset = 1L;
        foreach (var (from, line) in offsets)
        {
            if (from > row)
            {
                break;
            }
            offset = line - from;
        }
        return row + offset;
    }

    /// <summary>The rows of the file; throws <see cref="CsvImportException"/> at the end (or at the limit) when any record had problems.</summary>
    public IEnumerable<TRow> Rows<TRow>(IReadOnlyList<CsvColumn> columns, Func<CsvRecord, TRow> map)
    {
        var record = new CsvRecord(header, columns, Settings);
        long rows = 0;
        foreach (var (line, cells) in source.ReadLines())
        {
            Records++;
            if (Records % 10_000 == 0)
            {
                progress?.Invoke(Records);
            }
            var shape = Shape(line, cells);
            record.Load(line, cells);
            var row = map(record);
            if (shape is not null || record.Problems.Count > 0)
            {
                // A line of the wrong shape has its cells shifted: what they fail to parse as is noise.
                if (shape is not null)
                {
                    Problems.Add(shape);
                }
                else
                {
                    Problems.AddRange(record.Problems);
                }
                if (Problems.Count >= Settings.MaxErrors)
                {
                    break;
                }
                continue;
            }
            rows++;
            ReadAsUtc |= record.ReadAsUtc;
            if (line - rows != lastOffset)
            {
                lastOffset = line - rows;
                offsets.Add((rows, line));
            }
            yield return row;
        }
        if (Problems.Count > 0)
        {
            throw new CsvImportException(Problems.Take(Settings.MaxErrors).ToList());
        }
    }

    /// <summary>A split number: "1" then "234.50", what an unquoted 1,234.50 becomes.</summary>
    [GeneratedRegex(@"^[-+]?\d{1,3}$")]
    private static partial Regex Thousands();

    [GeneratedRegex(@"^\d{3}(\.\d+)?$")]
    private static partial Regex ThousandsRest();

    private ImportProblem? Shape(long line, string?[] cells)
    {
        if (cells.Length > header.Length)
        {
            // An unquoted 1,234.50 splits into two cells and shifts the rest: name the column where it happened.
            for (var i = 0; i + 1 < cells.Length && i < header.Length; i++)
            {
                if (Thousands().IsMatch(cells[i] ?? "") && ThousandsRest().IsMatch(cells[i + 1] ?? ""))
                {
                    return new ImportProblem(line, header[i], null,
                        $"the line has {cells.Length} cells but the header {header.Length}: {header[i]} '{cells[i]},{cells[i + 1]}' looks like a number with a thousands separator; write it without one (1234.50)");
                }
            }
            // Under one of the header's unnamed columns at its end (which the source has left out): a value whose column has no name.
            var unnamed = cells.Length <= header.Length + source.UnnamedColumns
                ? Array.FindIndex(cells, header.Length, c => !string.IsNullOrWhiteSpace(c))
                : -1;
            if (unnamed >= 0)
            {
                return new ImportProblem(line, $"cell {unnamed + 1}", null,
                    $"cell {unnamed + 1} holds '{cells[unnamed]}' but its column has no name in the header; name the column (or clear the cell)");
            }
            return new ImportProblem(line, $"cell {header.Length + 1}", null,
                $"the line has {cells.Length} cells but the header {header.Length} (an unquoted separator inside a value?)");
        }
        if (cells.Length < header.Length && !source.ShortRecordsAllowed)
        {
            return new ImportProblem(line, header[cells.Length], null, $"the line has {cells.Length} cells but the header {header.Length}");
        }
        return null;
    }
}
