using System.Diagnostics;

namespace Erp.Db.Bench;

/// <summary>Latency percentiles and throughput of a load of concurrent callers.</summary>
internal sealed record LatencyStats(double P50Ms, double P99Ms, double PerSecond, int Errors)
{
    /// <summary>Every call's latency, sorted (ms).</summary>
    public double[] SamplesMs { get; init; } = [];

    /// <summary>How long the measured calls took, all callers together (s).</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>
    /// Runs <paramref name="call"/> from <paramref name="callers"/> concurrent callers, <paramref name="iterations"/> times each, after
    /// <paramref name="warmUps"/> warm-up calls each, and warm-up rounds for at least <paramref name="warmUpFor"/>.
    /// </summary>
    public static async Task<LatencyStats> MeasureAsync(int callers, int iterations, Func<Task> call, Func<bool>? keepGoing = null, int warmUps = 1,
        TimeSpan warmUpFor = default)
    {
        var samples = new List<double>[callers];
        var errors = 0;
        // Warm-up first, outside the clock: every caller's connection open and its first calls made (enough of them, where
        // asked, for a pool that prepares statements on their fifth use to have prepared them, and for long enough that .NET has
        // compiled the hot code at its final tier: it recompiles a method on a background thread after its 30th call, which
        // would otherwise take one of the two cores in the middle of the measurement).
        var warming = Stopwatch.StartNew();
        for (var w = 0; w < warmUps || warming.Elapsed < warmUpFor; w++)
        {
            await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => call()));
        }
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async c =>
        {
            samples[c] = [];
            for (var i = 0; i < iterations || (keepGoing?.Invoke() ?? false); i++)
            {
                var t = Stopwatch.GetTimestamp();
                try
                {
                    await call();
                    samples[c].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
                catch (Exception) when (keepGoing is not null)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = samples.SelectMany(s => s).Order().ToArray();
        return new LatencyStats(Percentile(all, 0.50), Percentile(all, 0.99), all.Length / elapsed, errors) { SamplesMs = all, ElapsedSeconds = elapsed };
    }

    /// <summary>Several measurements of the same call as one: their samples pooled, their calls over their summed time.</summary>
    public static LatencyStats Combine(IReadOnlyCollection<LatencyStats> runs)
    {
        var all = runs.SelectMany(r => r.SamplesMs).Order().ToArray();
        var elapsed = runs.Sum(r => r.ElapsedSeconds);
        return new LatencyStats(Percentile(all, 0.50), Percentile(all, 0.99), elapsed == 0 ? 0 : all.Length / elapsed, runs.Sum(r => r.Errors))
        {
            SamplesMs = all,
            ElapsedSeconds = elapsed,
        };
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
