using System.Runtime.CompilerServices;
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
    public override Task<IngestResult> ImportAsync(Ingestor ingestor, ImportRun run, CancellationToken cancellationToken) =>
        upsert(ingestor, ReadAsync(run, cancellationToken), cancellationToken);

    private async IAsyncEnumerable<TRow> ReadAsync(ImportRun run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var row in run.Rows(Columns, map))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row;
        }
        await Task.CompletedTask;
    }
}
