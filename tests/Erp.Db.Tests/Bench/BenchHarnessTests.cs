using Erp.Db.Bench;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Bench;

[Trait("Category", "Slow")]
public class BenchHarnessTests
{
    /// <summary>Orders of the run: every scenario still has rows to time (ingest takes at least 1,000).</summary>
    private const int SmokeOrders = 4_000;

    [Fact]
    public async Task A_small_run_gives_every_scenario_a_figure_and_its_baseline()
    {
        var server = await TestServer.GetAsync();
        using var log = new StringWriter();

        // Only that every scenario gives a figure is checked here, not the figures: a small run, and no waiting for the shared
        // test server to rest before each step (autovacuum of the other tests' databases made that a minute at a time).
        var results = await BenchProgram.RunScenariosAsync(server.AdminConnectionString, SmokeOrders, log, CancellationToken.None, atRest: false);

        foreach (var scenario in BenchProgram.Scenarios())
        {
            Assert.Contains(results, r => r.Name.StartsWith(scenario.Name + ".", StringComparison.Ordinal));
        }
        // A count that must stay zero (errors, views a migration must not rebuild) has goal "0" or unit "errors".
        static bool MustBeZero(BenchResult r) => r.Unit == "errors" || r.Goal == "0";
        Assert.All(results.Where(r => !MustBeZero(r)), r =>
        {
            Assert.True(double.IsFinite(r.Value) && r.Value > 0, $"{r.Name} has no figure");
            Assert.True(double.IsFinite(r.BaselineValue) && r.BaselineValue > 0, $"{r.Name} has no baseline");
        });
        Assert.All(results.Where(MustBeZero), r => Assert.True(r.Value == 0, $"{r.Name}: {r.Value} {r.Unit}"));
        Assert.Contains("| migrate.fresh |", BenchProgram.Markdown(results));
    }
}
