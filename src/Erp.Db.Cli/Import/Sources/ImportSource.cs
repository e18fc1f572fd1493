namespace Erp.Db.Cli.Import.Sources;

/// <summary>A file <c>erpdb import</c> reads: its header (line 1) and then its records, streamed one at a time.</summary>
internal abstract class ImportSource : IDisposable
{
    /// <summary>How the file was read, for the summary: "csv, utf-8", "xlsx, sheet Orders", ...</summary>
    public abstract string Description { get; }

    /// <summary>Whether a record may have fewer cells than the header (a sheet leaves trailing empty cells out).</summary>
    public abstract bool ShortRecordsAllowed { get; }

    /// <summary>
    /// Empty cells at the end of the header, which <see cref="ReadHeader"/> leaves out: what a spreadsheet saves for columns it kept
    /// formatted (<c>sku,quantity,,,</c>). They name no column, so a record's cells under them must be empty.
    /// </summary>
    public int UnnamedColumns { get; protected set; }

    /// <summary>The header cells up to the last named one, or null when the file is empty.</summary>
    public abstract string[]? ReadHeader();

    /// <summary>The records after the header, blank ones skipped; enumerated once.</summary>
    public abstract IEnumerable<ImportLine> ReadLines();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
