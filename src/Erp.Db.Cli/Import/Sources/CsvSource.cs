using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Erp.Db.Cli.Import.Sources;

/// <summary>
/// A CSV or TSV file, decoded strictly in <paramref name="encoding"/> (a UTF-8 BOM is skipped) and parsed by CsvHelper record by record;
/// blank lines and records of empty cells only are skipped. Empty cells at the end of the header name no column and are left out, as a
/// sheet's are; so are a record's cells under them when they are empty.
/// </summary>
internal sealed class CsvSource(string path, string encoding, string delimiter) : ImportSource
{
    private readonly StreamReader reader = new(path, TextEncodings.Get(encoding), detectEncodingFromByteOrderMarks: encoding == TextEncodings.Utf8Name, 1 << 16);
    private CsvParser? parser;
    private int named;

    public string Encoding { get; } = encoding;

    /// <summary>The cell separator.</summary>
    public string Delimiter { get; } = delimiter;

    public override string Description => $"{(Delimiter == "\t" ? "tsv" : "csv")}, {Encoding}";

    public override bool ShortRecordsAllowed => false;

    /// <summary>The longest cell read, in characters: a longer one is refused (CsvHelper's MaxFieldSizeException).</summary>
    public const int MaxCellLength = 100_000;

    /// <summary>The line the parser stood at, for errors raised while decoding or parsing.</summary>
    public long CurrentLine => parser?.RawRow ?? 1;

    public override string[]? ReadHeader()
    {
        parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = Delimiter,
            TrimOptions = TrimOptions.Trim,
            DetectColumnCountChanges = false,
            // No cell of a business file comes near it; without a limit one huge cell (a file that is no CSV) filled memory.
            MaxFieldSize = MaxCellLength,
        });
        if (!parser.Read() || parser.Record is not { } record)
        {
            return null;
        }
        var header = record.Select(h => h.Trim()).ToArray();
        named = Array.FindLastIndex(header, h => h.Length > 0) + 1;
        UnnamedColumns = header.Length - named;
        return header[..named];
    }

    public override IEnumerable<ImportLine> ReadLines()
    {
        var p = parser ?? throw new InvalidOperationException("Read the header first.");
        while (p.Read())
        {
            var record = p.Record ?? [];
            // A record of empty cells only (",,,,": what a spreadsheet saves for a row it kept formatted or once used) holds no
            // value, as a blank line does: skipped, as a sheet's empty row is.
            if (Array.TrueForAll(record, string.IsNullOrWhiteSpace))
            {
                continue;
            }
            // The cells under the header's unnamed columns at its end (",,," after the last value, as a spreadsheet saves a sheet
            // with formatted empty columns) hold nothing when empty: left out. A value there, or a cell beyond the header, stays for
            // the shape check to report.
            if (record.Length > named && record.Length <= named + UnnamedColumns && Array.TrueForAll(record[named..], string.IsNullOrWhiteSpace))
            {
                record = record[..named];
            }
            // RawRow is the record's last line; a quoted cell may span lines. Only then is the raw record (a copy of the line) needed.
            var line = p.RawRow;
            if (SpansLines(record))
            {
                var raw = p.RawRecord.AsSpan().TrimEnd("\r\n");
                line -= raw.Count('\n');
            }
            yield return new ImportLine(line, record);
        }
    }

    private static bool SpansLines(string[] record)
    {
        foreach (var cell in record)
        {
            if (cell.AsSpan().ContainsAny('\n', '\r'))
            {
                return true;
            }
        }
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            parser?.Dispose();
            reader.Dispose();
        }
        base.Dispose(disposing);
    }
}
