using System.Diagnostics;
using Erp.Db.Queries;
using Erp.Db.Queries.Sales;

namespace Erp.Db.Bench.Scenarios;

/// <summary>
/// readers.16: 16 concurrent dashboard readers for a fixed time while every view refreshes in a
/// loop, against the same 16 readers with nothing refreshing; p99 and errors. 30 seconds each
/// (3 at --quick size).
/// </summary>
internal sealed class ReadersScenario : IScenario
{
    public const int Readers = 16;

    public string Name => "readers";

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var seeded = await context.SeededAsync();
        var dataSource = seeded.DataSource;
        var erp = new ErpDatabase(dataSource);
        var query = new SalesQuery { MerchantId = seeded.MerchantId, Period = Period.LastDays(30, seeded.LastDay) };
        var duration = context.Orders > BenchProgram.QuickOrders ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(3);

        var idle = await ForAsync(duration, () => erp.Queries.SalesAsync(query, cancellationToken));
        var refreshes = 0;
        using var stop = new CancellationTokenSource();
        var refresher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Admin.ExecuteAsync(dataSource, "CALL ops.refresh_all('bench')", cancellationToken);
                refreshes++;
            }
        }, cancellationToken);
        var during = await ForAsync(duration, () => erp.Queries.SalesAsync(query, cancellationToken));
        await stop.CancelAsync();
        await refresher;
        context.Log.WriteLine($"readers: {Readers} readers x {duration.TotalSeconds:0} s; idle p50 {idle.P50Ms:0.0} ms p99 {idle.P99Ms:0.0} ms {idle.PerSecond:0}/s; "
            + $"refreshing ({refreshes} full refreshes) p50 {during.P50Ms:0.0} ms p99 {during.P99Ms:0.0} ms {during.PerSecond:0}/s; errors {idle.Errors + during.Errors}");

        return
        [
            BenchResult.Compare("readers.16.p99", during.P99Ms, "ms", "16 readers' p99 with no refresh running", idle.P99Ms, "<= 2"),
            new BenchResult("readers.16.errors", idle.Errors + during.Errors, "errors", "none allowed", 0, idle.Errors + during.Errors, "0"),
        ];
    }

    private static Task<LatencyStats> ForAsync(TimeSpan duration, Func<Task> call)
    {
        var started = Stopwatch.StartNew();
        return LatencyStats.MeasureAsync(Readers, 0, call, () => started.Elapsed < duration);
    }
}
