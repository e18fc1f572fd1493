using Erp.Db.Cli;
using Erp.Db.Migrations;
using Npgsql;

namespace Erp.Db.Bench.Scenarios;

/// <summary>
/// migrate.fresh: the library's migrate of an empty database against <c>psql -1 -f</c> of the SQL
/// <c>erpdb script</c> prints (the floor for applying that schema); and the whole <c>erpdb migrate</c>
/// process, fresh and no-op; and how long dashboard readers wait while a migration runs
/// (<see cref="MigrationUnderReaders"/>).
/// </summary>
internal sealed class MigrateScenario : IScenario
{
    public string Name => "migrate";

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var library = await context.CreateDatabaseAsync("mig_lib");
        var libraryTime = await Timing.TimeAsync(async () =>
        {
            await using var dataSource = NpgsqlDataSource.Create(library);
            await new MigrationRunner(dataSource, options: new MigrationOptions { Schedule = false }).MigrateAsync(cancellationToken: cancellationToken);
        });

        var floor = await context.CreateDatabaseAsync("mig_psql");
        var scriptFile = Path.Combine(Path.GetTempPath(), $"erpdb-bench-{Guid.NewGuid():N}.sql");
        await using (var dataSource = NpgsqlDataSource.Create(floor))
        {
            await File.WriteAllTextAsync(scriptFile, await new MigrationRunner(dataSource).ScriptAsync(cancellationToken), cancellationToken);
        }
        var target = new NpgsqlConnectionStringBuilder(floor);
        var psqlTime = await Timing.TimeProcessAsync("psql",
            ["-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-h", target.Host!, "-p", target.Port.ToString(), "-U", target.Username!, "-d", target.Database!, "-f", scriptFile, "-o", "/dev/null"],
            new Dictionary<string, string> { ["PGPASSWORD"] = target.Password ?? "" }, cancellationToken);
        File.Delete(scriptFile);

        var cli = await context.CreateDatabaseAsync("mig_cli");
        var erpdb = typeof(ErpDbCli).Assembly.Location;
        var cliFresh = await Timing.TimeProcessAsync("dotnet", [erpdb, "migrate", "--connection", cli], null, cancellationToken);
        var cliNoop = await Timing.TimeProcessAsync("dotnet", [erpdb, "migrate", "--connection", cli], null, cancellationToken);
        // Dropped now, not at the end of the run: the CLI's migrate registered pg_cron jobs that run every minute in its database.
        foreach (var migrated in new[] { library, floor, cli })
        {
            await context.DropDatabaseAsync(migrated);
        }

        var underReaders = await MigrationUnderReaders.RunAsync(context, cancellationToken);

        return
        [
            .. underReaders,
            BenchResult.Compare("migrate.fresh", libraryTime.TotalMilliseconds, "ms", "psql -1 -f of erpdb script", psqlTime.TotalMilliseconds, "<= 2"),
            BenchResult.Compare("migrate.cli.fresh", cliFresh.TotalMilliseconds, "ms", "psql -1 -f of erpdb script", psqlTime.TotalMilliseconds),
            BenchResult.Compare("migrate.cli.noop", cliNoop.TotalMilliseconds, "ms", "erpdb migrate, fresh", cliFresh.TotalMilliseconds),
        ];
    }
}
