using System.Diagnostics;

namespace Erp.Db.Bench;

/// <summary>Latency percentiles and throughput of a load of concurrent callers.</summary>
internal sealed record LatencyStats(double P50Ms, double P99Ms, double PerSecond, int Errors)
{
    /// <summary>Runs <paramref name="call"/> from <paramref name="callers"/> concurrent callers, <paramref name="iterations"/> times each, after one warm-up call each.</summary>
    public static async Task<LatencyStats> MeasureAsync(int callers, int iterations, Func<Task> call, Func<bool>? keepGoing = null)
    {
        var samples = new List<double>[callers];
        var errors = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async c =>
        {
            samples[c] = [];
            await call();
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
        return new LatencyStats(Percentile(all, 0.50), Percentile(all, 0.99), all.Length / elapsed, errors);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
