using System.Globalization;
using MiniExcelLibs;

namespace Erp.Db.Cli.Import.Sources;

/// <summary>
/// One sheet of an Excel .xlsx file (the first unless named), streamed row by row by MiniExcel. Row 1 is the header; a row's number is
/// its row in the sheet. Typed cells become the text an import reads: numbers invariant, dates yyyy-MM-dd (with a time, ISO 8601 without
/// an offset, so UTC).
/// </summary>
internal sealed class XlsxSource(string path, string? sheet) : ImportSource
{
    private IEnumerator<IDictionary<string, object?>>? rows;
    private string? sheetName;
    private long row;

    public override string Description => $"xlsx, sheet {sheetName}";

    public override bool ShortRecordsAllowed => true;

    /// <summary>The sheets of the file, in order.</summary>
    public IReadOnlyList<string> Sheets { get; } = MiniExcel.GetSheetNames(path);

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

    private static string?[] Cells(IDictionary<string, object?> row) => row.Values.Select(Text).ToArray();

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
