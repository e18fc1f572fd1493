using System.CommandLine;
using System.Text.Json;
using Erp.Db.Bench.Scenarios;
using Erp.Db.LocalServer;
using Npgsql;

namespace Erp.Db.Bench;

/// <summary>
/// The benchmark harness: each scenario measures Erp.Db and its baseline in the same run, so every
/// figure is a ratio that survives a noisy machine. Writes JSON (--out) and a Markdown table.
/// </summary>
internal static class BenchProgram
{
    public const int QuickOrders = 20_000;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        var connection = new Option<string?>("--connection") { Description = "Admin connection to a server where the harness may create databases. Default: erpdb's local server." };
        var orders = new Option<int>("--orders") { Description = "Orders to seed for the data scenarios.", DefaultValueFactory = _ => 1_000_000 };
        var quick = new Option<bool>("--quick") { Description = $"A small run ({QuickOrders:N0} orders) that finishes in about a minute." };
        var outFile = new Option<FileInfo?>("--out") { Description = "Write the results as JSON to this file." };
        var only = new Option<string[]>("--scenario") { Description = "Run only these scenarios (migrate, ingest, import, seed, query, refresh, readers); repeat for several. Default: all." };
        var keepSeeded = new Option<bool>("--keep-seeded") { Description = "Keep the seeded database as a template (erpdb_bench_seeded_<orders>) and copy it in later runs instead of seeding again; the seed scenario is then skipped. Drop the template by hand when the schema or the seeder changes." };
        var repeat = new Option<int>("--repeat") { Description = "Run each ingest and import step (ours and its baseline alike) this many times, each in a fresh database, and keep the fastest.", DefaultValueFactory = _ => 1 };
        repeat.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--repeat must be at least 1 (the number of times each ingest and import step runs).");
            }
        });
        var root = new RootCommand("Erp.Db benchmark harness: Erp.Db beside the physical floor and the usual application approach, in one run.")
        {
            connection, orders, quick, outFile, only, keepSeeded, repeat,
        };
        root.SetAction(async (parseResult, ct) =>
        {
            var admin = parseResult.GetValue(connection) ?? await LocalAdminAsync(ct);
            var size = parseResult.GetValue(quick) ? QuickOrders : parseResult.GetValue(orders);
            var results = await RunScenariosAsync(admin, size, output, ct, parseResult.GetValue(only), parseResult.GetValue(keepSeeded),
                parseResult.GetValue(repeat));
            if (parseResult.GetValue(outFile) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(new { orders = size, results }, JsonOptions), ct);
            }
            output.WriteLine(Markdown(results));
            return 0;
        });
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output }, cancellationToken);
    }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Every scenario, in the order they run.</summary>
    public static IReadOnlyList<IScenario> Scenarios() =>
    [
        new MigrateScenario(),
        new IngestScenario(),
        new ImportScenario(),
        new SeedScenario(),
        new QueryScenario(),
        new RefreshScenario(),
        new ReadersScenario(),
    ];

    public static async Task<IReadOnlyList<BenchResult>> RunScenariosAsync(
        string adminConnectionString, int orders, TextWriter log, CancellationToken cancellationToken, IReadOnlyCollection<string>? only = null, bool keepSeeded = false,
        int repeat = 1, bool atRest = true)
    {
        var context = new BenchContext(adminConnectionString, orders, log, keepSeeded, repeat, atRest);
        var results = new List<BenchResult>();
        try
        {
            foreach (var scenario in Scenarios().Where(s => only is not { Count: > 0 } || only.Contains(s.Name)))
            {
                log.WriteLine($"# {scenario.Name} ...");
                var figures = await scenario.RunAsync(context, cancellationToken);
                log.WriteLine(Markdown(figures));
                results.AddRange(figures);
            }
        }
        finally
        {
            await context.DropDatabasesAsync();
        }
        return results;
    }

    public static string Markdown(IEnumerable<BenchResult> results) =>
        "| scenario | value | unit | baseline | baseline value | ratio | floor | floor value | floor ratio | goal |\n| --- | ---: | --- | --- | ---: | ---: | --- | ---: | ---: | --- |\n"
        + string.Join("\n", results.Select(r =>
            $"| {r.Name} | {r.Value:0.##} | {r.Unit} | {r.Baseline} | {r.BaselineValue:0.##} | {r.Ratio:0.###} | {r.Floor} | {r.FloorValue:0.##} | {r.FloorRatio:0.###} | {r.Goal} |"));

    private static async Task<string> LocalAdminAsync(CancellationToken cancellationToken)
    {
        var server = await new LocalPostgresServer().EnsureStartedAsync(cancellationToken);
        return new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres" }.ConnectionString;
    }
}
