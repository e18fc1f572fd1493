using System.Runtime.CompilerServices;
using CsvHelper;
using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import;

/// <summary>An <see cref="ImportEntity"/> whose records map to <typeparamref name="TRow"/> and go to one Ingestor method.</summary>
internal sealed class ImportEntityOf<TRow>(
    string name,
    string table,
    IReadOnlyList<CsvColumn> columns,
    Func<CsvRecord, TRow> map,
    Func<Ingestor, IAsyncEnumerable<TRow>, CancellationToken, Task<IngestResult>> upsert)
    : ImportEntity(name, table, columns)
{
    public override Task<IngestResult> ImportAsync(Ingestor ingestor, CsvReader csv, CancellationToken cancellationToken) =>
        upsert(ingestor, ReadAsync(csv, cancellationToken), cancellationToken);

    private async IAsyncEnumerable<TRow> ReadAsync(CsvReader csv, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var record = new CsvRecord(csv, Columns) { Line = 1 };
        while (await csv.ReadAsync())
        {
            cancellationToken.ThrowIfCancellationRequested();
            record.Line++;
            yield return map(record);
        }
    }
}
