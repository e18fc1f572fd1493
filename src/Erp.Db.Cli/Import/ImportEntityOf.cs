using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import;

/// <summary>
/// An <see cref="ImportEntity"/> whose records map to <typeparamref name="TRow"/> and go to one Ingestor method. The file is read
/// and parsed on a thread of its own, a few chunks of rows ahead of the COPY that sends them: reading overlaps the database's work
/// on the rows before, and memory stays flat (at most <see cref="ChunksAhead"/> chunks of <see cref="ChunkRows"/> rows wait).
/// </summary>
internal sealed class ImportEntityOf<TRow>(
    string name,
    string table,
    IReadOnlyList<CsvColumn> columns,
    Func<CsvRecord, TRow> map,
    Func<Ingestor, IAsyncEnumerable<TRow>, CancellationToken, Task<IngestResult>> upsert)
    : ImportEntity(name, table, columns)
{
    /// <summary>Rows handed over at a time: large enough that the hand-over costs nothing per row.</summary>
    private const int ChunkRows = 2048;

    /// <summary>Chunks the reader may be ahead of the COPY.</summary>
    private const int ChunksAhead = 4;

    public override Task<IngestResult> ImportAsync(Ingestor ingestor, ImportRun run, CancellationToken cancellationToken) =>
        upsert(ingestor, ReadAsync(run, cancellationToken), cancellationToken);

    /// <summary>The rows of <paramref name="run"/> (header already read), read ahead as <see cref="ImportAsync"/> reads them, for a call that takes several inputs.</summary>
    public IAsyncEnumerable<TRow> Rows(ImportRun run, CancellationToken cancellationToken) => ReadAsync(run, cancellationToken);

    public override long CountRows(ImportRun run, CancellationToken cancellationToken)
    {
        long count = 0;
        foreach (var row in run.Rows(Columns, map))
        {
            cancellationToken.ThrowIfCancellationRequested();
            count++;
        }
        return count;
    }

    /// <summary>
    /// The rows of the file in order. A problem of the file (or of its encoding) surfaces after the rows read before it, as when
    /// reading inline; when the consumer stops early (the database failed, or it was cancelled) the reader is stopped and awaited,
    /// so <paramref name="run"/> is never read while it is still being written.
    /// </summary>
    private async IAsyncEnumerable<TRow> ReadAsync(ImportRun run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chunks = Channel.CreateBounded<ArraySegment<TRow>>(new BoundedChannelOptions(ChunksAhead) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(() => ProduceAsync(run, chunks.Writer, stop.Token), stop.Token);
        var drained = false;
        try
        {
            while (await chunks.Reader.WaitToReadAsync(cancellationToken))
            {
                while (chunks.Reader.TryRead(out var chunk))
                {
                    foreach (var row in chunk)
                    {
                        yield return row;
                    }
                }
            }
            drained = true;
        }
        finally
        {
            if (!drained)
            {
                await stop.CancelAsync();
                await Task.WhenAny(reader);
            }
        }
        // Rethrows what stopped the reader (a CsvImportException with every problem, a decoding error), after all rows before it.
        await reader;
    }

    private async Task ProduceAsync(ImportRun run, ChannelWriter<ArraySegment<TRow>> writer, CancellationToken cancellationToken)
    {
        try
        {
            var chunk = new TRow[ChunkRows];
            var count = 0;
            foreach (var row in run.Rows(Columns, map))
            {
                chunk[count++] = row;
                if (count == ChunkRows)
                {
                    await writer.WriteAsync(chunk, cancellationToken);
                    chunk = new TRow[ChunkRows];
                    count = 0;
                }
            }
            if (count > 0)
            {
                await writer.WriteAsync(new ArraySegment<TRow>(chunk, 0, count), cancellationToken);
            }
        }
        finally
        {
            writer.Complete();
        }
    }
}
