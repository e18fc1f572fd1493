using Erp.Db.Bench;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Bench;

[Trait("Category", "Slow")]
public class BenchHarnessTests
{
    [Fact]
    public async Task A_quick_run_gives_every_scenario_a_figure_and_its_baseline()
    {
        var server = await TestServer.GetAsync();
        using var log = new StringWriter();

        var results = await BenchProgram.RunScenariosAsync(server.AdminConnectionString, BenchProgram.QuickOrders, log, CancellationToken.None);

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
