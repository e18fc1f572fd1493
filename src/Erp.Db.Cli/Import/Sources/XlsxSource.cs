using System.Globalization;
using System.IO.Compression;
using MiniExcelLibs;

namespace Erp.Db.Cli.Import.Sources;

/// <summary>
/// One sheet of an Excel .xlsx file (the first unless named), streamed row by row by MiniExcel. Row 1 is the header; a row's number is
/// its row in the sheet. Typed cells become the text an import reads: numbers invariant, dates yyyy-MM-dd (with a time, ISO 8601 without
/// an offset, so UTC). A workbook is a zip of XML parts: one that unpacks to more than erpdb reads (<see cref="MaxPartBytes"/>, or
/// <see cref="MaxRatio"/> times its packed size past <see cref="RatioFloorBytes"/>: a zip bomb, not a sheet) is refused before any
/// of it is read, and a cell longer than <see cref="CsvSource.MaxCellLength"/> as a CSV's is.
/// </summary>
internal sealed class XlsxSource : ImportSource
{
    /// <summary>The most one part of a workbook may unpack to: 1 GiB, several million rows of a sheet.</summary>
    public const long MaxPartBytes = 1L << 30;

    /// <summary>How many times its packed size a large part may unpack to: sheets' XML packs 5-50 times, a zip bomb a thousand.</summary>
    public const long MaxRatio = 250;

    /// <summary>The size from which <see cref="MaxRatio"/> applies: a small part costs little whatever it packs to.</summary>
    public const long RatioFloorBytes = 64L << 20;

    private readonly string path;
    private readonly string? sheet;
    private IEnumerator<IDictionary<string, object?>>? rows;
    private string? sheetName;
    private long row;

    public override string Description => $"xlsx, sheet {sheetName}";

    public override bool ShortRecordsAllowed => true;

    public XlsxSource(string path, string? sheet)
    {
        ThrowIfInflated(path);
        this.path = path;
        this.sheet = sheet;
        Sheets = MiniExcel.GetSheetNames(path);
    }

    /// <summary>The sheets of the file, in order.</summary>
    public IReadOnlyList<string> Sheets { get; }

    public override string[]? ReadHeader()
    {
        sheetName = sheet ?? (Sheets.Count > 0 ? Sheets[0] : null);
        if (sheetName is null)
        {
            return null;
        }
        rows = MiniExcel.Query(path, useHeaderRow: false, sheetName: sheetName, excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>().GetEnumerator();
        if (!rows.MoveNext())
        {
            return null;
        }
        row = 1;
        var header = Cells(rows.Current);
        var length = Array.FindLastIndex(header, c => !string.IsNullOrEmpty(c)) + 1;
        UnnamedColumns = header.Length - length;
        return header.Take(length).Select(c => c ?? "").ToArray();
    }

    public override IEnumerable<ImportLine> ReadLines()
    {
        var source = rows ?? throw new InvalidOperationException("Read the header first.");
        while (source.MoveNext())
        {
            row++;
            var cells = Cells(source.Current);
            var length = Array.FindLastIndex(cells, c => !string.IsNullOrEmpty(c)) + 1;
            if (length > 0)
            {
                yield return new ImportLine(row, length == cells.Length ? cells : cells[..length]);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            rows?.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// Refuses a part whose declared size is too large: .NET reads a zip entry no further than the size it declares, so the
    /// declaration bounds what MiniExcel can unpack.
    /// </summary>
    private static void ThrowIfInflated(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        foreach (var part in zip.Entries)
        {
            if (part.Length > MaxPartBytes || (part.Length > RatioFloorBytes && part.Length > MaxRatio * Math.Max(part.CompressedLength, 1)))
            {
                throw new InvalidDataException($"its part {part.FullName} unpacks to {part.Length:N0} bytes from {part.CompressedLength:N0}, more than erpdb reads "
                    + $"from a workbook (at most {MaxPartBytes:N0} bytes, and {MaxRatio} times its packed size past {RatioFloorBytes:N0}): save the sheet as CSV");
            }
        }
    }

    private string?[] Cells(IDictionary<string, object?> values)
    {
        var cells = values.Values.Select(Text).ToArray();
        return Array.Find(cells, c => c?.Length > CsvSource.MaxCellLength) is { } tooLong
            ? throw new InvalidDataException($"row {row} has a cell of {tooLong.Length:N0} characters, more than the {CsvSource.MaxCellLength:N0} erpdb reads: the sheet is not a table of rows")
            : cells;
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s.Trim(),
        DateTime d when d.TimeOfDay == TimeSpan.Zero => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        double d => Number(d),
        float f => Number(f),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    // An .xlsx number is a double: through decimal it prints as typed (0.1, not 0.1000000000000000055).
    private static string Number(double d) =>
        d is > -7.9e28 and < 7.9e28 ? ((decimal)d).ToString(CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture);
}
