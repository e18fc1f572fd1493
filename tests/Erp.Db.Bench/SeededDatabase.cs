using System.Globalization;
using Erp.Db.Migrations;
using Erp.Db.Seeding;
using Npgsql;

namespace Erp.Db.Bench;

/// <summary>
/// The database the data scenarios share: migrated, seeded with the run's size, every view refreshed.
/// <see cref="Seed"/> is null when the database was copied from a kept template (<c>--keep-seeded</c>):
/// its load was measured when the template was made, in another run.
/// </summary>
internal sealed record SeededDatabase(NpgsqlDataSource DataSource, string ConnectionString, SeedReport? Seed, long MerchantId, DateOnly LastDay)
{
    /// <summary>A new seeded database of the run's size, named for <paramref name="purpose"/>, dropped at the end of the run.</summary>
    public static async Task<SeededDatabase> CreateAsync(BenchContext context, string purpose)
    {
        if (context.KeepSeeded)
        {
            return await FromTemplateAsync(context, purpose);
        }
        var connectionString = await context.CreateMigratedDatabaseAsync(purpose);
        var (dataSource, report) = await SeedAsync(connectionString, context.Orders, migrate: false);
        await context.QuietAsync();
        return new SeededDatabase(dataSource, connectionString, report, 1, report.EndDate);
    }

    /// <summary>
    /// A copy of <paramref name="source"/> (CREATE DATABASE ... TEMPLATE) for <paramref name="purpose"/>, dropped at the end of the
    /// run: the same rows without a second seed, for a scenario that changes them. <see cref="Seed"/> is the source's load.
    /// </summary>
    public static async Task<SeededDatabase> CopyAsync(BenchContext context, SeededDatabase source, string purpose)
    {
        // CREATE DATABASE refuses a template another session is connected to: the source's idle pooled connections go first.
        source.DataSource.Clear();
        var copy = await context.CreateDatabaseAsync(purpose, new NpgsqlConnectionStringBuilder(source.ConnectionString).Database!);
        await context.QuietAsync();
        return source with { DataSource = NpgsqlDataSource.Create(copy), ConnectionString = copy };
    }

    private static async Task<(NpgsqlDataSource DataSource, SeedReport Report)> SeedAsync(string connectionString, int orders, bool migrate = true)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        if (migrate)
        {
            await new MigrationRunner(dataSource, options: new MigrationOptions { Schedule = false }).MigrateAsync();
        }
        var report = await new Seeder(dataSource).SeedAsync(new SeedOptions { Orders = orders, RandomSeed = 42, RefreshViews = false });
        await Admin.ExecuteAsync(dataSource, "CALL ops.refresh_all('bench')");
        await Admin.ExecuteAsync(dataSource, "VACUUM ANALYZE");
        return (dataSource, report);
    }

    /// <summary>
    /// A copy (CREATE DATABASE ... TEMPLATE) of <c>erpdb_bench_seeded_&lt;orders&gt;</c>, seeded first if it
    /// does not exist. The template is kept after the run, so a large seed is paid once; every run
    /// starts from the same rows, because scenarios write to their copy, never to the template.
    /// </summary>
    private static async Task<SeededDatabase> FromTemplateAsync(BenchContext context, string purpose)
    {
        var template = $"erpdb_bench_seeded_{context.Orders}";
        await using (var admin = NpgsqlDataSource.Create(context.AdminConnectionString))
        {
            var comment = (string?)await Admin.ExecuteAsync(admin,
                $"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{template}'");
            if (comment is null)
            {
                context.Log.WriteLine($"seeding {context.Orders:N0} orders into {template}, kept for later runs (--keep-seeded) ...");
                await Admin.ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {template} WITH (FORCE)");
                await Admin.ExecuteAsync(admin, $"CREATE DATABASE {template} TEMPLATE template0");
                var (dataSource, report) = await SeedAsync(new NpgsqlConnectionStringBuilder(context.AdminConnectionString) { Database = template, CommandTimeout = 0 }.ConnectionString, context.Orders);
                await dataSource.DisposeAsync();
                // The comment marks a complete seed: a run stopped half way leaves none, and the next run seeds again.
                comment = $"erpdb bench seed: last day {report.EndDate:yyyy-MM-dd}";
                await Admin.ExecuteAsync(admin, $"COMMENT ON DATABASE {template} IS '{comment}'");
            }
            NpgsqlConnection.ClearAllPools();
            var copy = await context.CreateDatabaseAsync(purpose, template);
            var lastDay = DateOnly.ParseExact(comment[^10..], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var copied = NpgsqlDataSource.Create(copy);
            // The template may predate this build's scripts: bring the copy up to date, then refresh and
            // analyze what the scripts re-created, as a fresh seed would be.
            var migrated = await new MigrationRunner(copied, options: new MigrationOptions { Schedule = false }).MigrateAsync();
            if (migrated.Scripts.Count > 0)
            {
                context.Log.WriteLine($"{template}: {migrated.Scripts.Count} scripts applied to the copy");
                await Admin.ExecuteAsync(copied, "CALL ops.refresh_all('bench')");
                await Admin.ExecuteAsync(copied, "VACUUM ANALYZE");
            }
            await context.QuietAsync();
            return new SeededDatabase(copied, copy, null, 1, lastDay);
        }
    }
}
