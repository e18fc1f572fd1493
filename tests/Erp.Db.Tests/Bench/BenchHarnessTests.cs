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
        Assert.All(results.Where(r => r.Unit != "errors"), r =>
        {
            Assert.True(double.IsFinite(r.Value) && r.Value > 0, $"{r.Name} has no figure");
            Assert.True(double.IsFinite(r.BaselineValue) && r.BaselineValue > 0, $"{r.Name} has no baseline");
        });
        Assert.All(results.Where(r => r.Unit == "errors"), r => Assert.True(r.Value == 0, $"{r.Name}: {r.Value} errors"));
        Assert.Contains("| migrate.fresh |", BenchProgram.Markdown(results));
    }
}
