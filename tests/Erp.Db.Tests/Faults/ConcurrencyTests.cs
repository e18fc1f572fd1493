using Erp.Db.Migrations;
using Erp.Db.Queries;
using Erp.Db.Queries.Products;
using Erp.Db.Queries.Sales;
using Erp.Db.Queries.Trends;
using Erp.Db.Tests.Cli;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Queries;

namespace Erp.Db.Tests.Faults;

/// <summary>Many runs at once: migrations serialize on their lock; readers never fail while views refresh.</summary>
public class ConcurrencyTests
{
    [Fact]
    public async Task Eight_concurrent_migrates_all_succeed_and_apply_each_script_once()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();

        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            CliRun.RunAsync("migrate", "--connection", db.ConnectionString, "--format", "json"))));
        var verify = await CliRun.RunAsync("verify", "--connection", db.ConnectionString);

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Output + r.Error));
        // Each script was applied by exactly one of the runs; the others found nothing left to do.
        Assert.Equal(ScriptCatalog.Embedded().Scripts.Count, runs.Sum(r => r.Json().GetProperty("data").GetProperty("applied").GetArrayLength()));
        Assert.Equal(ScriptCatalog.Embedded().Scripts.Count, await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal"));
        Assert.Equal(0, await FaultChecks.DuplicateJournalRowsAsync(db));
        Assert.Equal(0, await FaultChecks.AdvisoryLocksAsync(db));
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    /// <summary>16 readers for 30 seconds while every view refreshes in a loop (latency is measured by the benchmark, not here).</summary>
    [Fact]
    public async Task Sixteen_readers_for_30_seconds_while_views_refresh_in_a_loop_see_no_error()
    {
        await using var fixture = await QueryFixture.CreateAsync();
        var erp = fixture.Erp;
        var merchant = (await erp.Queries.MerchantsAsync())[0].MerchantId;
        var period = Period.LastDays(60, QueryFixture.Today);
        Func<Task>[] queries =
        [
            () => erp.Queries.SalesAsync(new SalesQuery(merchant, period, SalesGrouping.Day)),
            () => erp.Queries.ProductsAsync(new ProductQuery { MerchantId = merchant }),
            () => erp.Queries.TrendsAsync(new TrendQuery(merchant, period, Granularity.Week)),
        ];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var refreshes = 0;
        var refresher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await fixture.Db.ExecuteAsync("CALL ops.refresh_all('fault-test', NULL)");
                refreshes++;
            }
        });
        var errors = new System.Collections.Concurrent.ConcurrentBag<string>();
        var reads = 0;
        var readers = Enumerable.Range(0, 16).Select(r => Task.Run(async () =>
        {
            for (var i = r; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    await queries[i % queries.Length]();
                    Interlocked.Increment(ref reads);
                }
                catch (Exception e)
                {
                    errors.Add(e.Message);
                }
            }
        }));

        await Task.WhenAll(readers);
        await refresher;

        Assert.Empty(errors);
        Assert.True(reads > 16, $"only {reads} reads");
        Assert.True(refreshes > 1, $"only {refreshes} refreshes");
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_refresh_log WHERE refresh_trigger = 'fault-test' AND status <> 'succeeded'"));
    }
}
