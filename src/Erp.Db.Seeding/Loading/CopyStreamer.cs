using System.Diagnostics;
using System.Threading.Channels;
using Npgsql;

namespace Erp.Db.Seeding.Loading;

/// <summary>
/// Streams rows into one binary COPY: a producer task enumerates the generator into a bounded
/// channel of batches while this task writes them, so generation and COPY overlap on two cores.
/// </summary>
internal static class CopyStreamer
{
    private const int BatchSize = 2048;
    private const int ProgressEvery = 20_000;

    public static async Task<SeedTableReport> CopyAsync<T>(NpgsqlConnection connection, IEnumerable<T> rows, long expected,
        IProgress<SeedProgress>? progress, CancellationToken cancellationToken)
        where T : ICopyRow<T>
    {
        var started = Stopwatch.GetTimestamp();
        var channel = Channel.CreateBounded<T[]>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(rows, channel.Writer, stop.Token), CancellationToken.None);
        long written = 0;
        progress?.Report(new SeedProgress(T.Table, 0, expected, false));
        try
        {
            await using (var importer = await connection.BeginBinaryImportAsync(T.CopyCommand, cancellationToken))
            {
                // No timeout: completing a COPY of millions of rows waits for their foreign key checks (zero = infinite).
                importer.Timeout = TimeSpan.Zero;
                await foreach (var batch in channel.Reader.ReadAllAsync(cancellationToken))
                {
                    foreach (var row in batch)
                    {
                        await importer.StartRowAsync(cancellationToken);
                        await row.WriteAsync(importer, cancellationToken);
                        if (++written % ProgressEvery == 0)
                        {
                            progress?.Report(new SeedProgress(T.Table, written, expected, false));
                        }
                    }
                }
                await importer.CompleteAsync(cancellationToken);
            }
            await producer;
        }
        finally
        {
            await stop.CancelAsync();
            await producer.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        progress?.Report(new SeedProgress(T.Table, written, written, true));
        return new SeedTableReport(T.Table, written, Stopwatch.GetElapsedTime(started));
    }

    private static async Task ProduceAsync<T>(IEnumerable<T> rows, ChannelWriter<T[]> writer, CancellationToken cancellationToken)
    {
        try
        {
            var batch = new List<T>(BatchSize);
            foreach (var row in rows)
            {
                batch.Add(row);
                if (batch.Count == BatchSize)
                {
                    await writer.WriteAsync([.. batch], cancellationToken);
                    batch.Clear();
                }
            }
            if (batch.Count > 0)
            {
                await writer.WriteAsync([.. batch], cancellationToken);
            }
            writer.Complete();
        }
        catch (Exception e)
        {
            writer.Complete(e);
            throw;
        }
    }
}
