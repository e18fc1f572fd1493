using Erp.Db.Migrations;
using Erp.Db.Seeding;
using Npgsql;

namespace Erp.Db.Bench;

/// <summary>The database the data scenarios share: migrated, seeded with the run's size, every view refreshed.</summary>
internal sealed record SeededDatabase(NpgsqlDataSource DataSource, string ConnectionString, SeedReport Seed, long MerchantId, DateOnly LastDay)
{
    public static async Task<SeededDatabase> CreateAsync(BenchContext context)
    {
        var connectionString = await context.CreateDatabaseAsync("seeded");
        var dataSource = NpgsqlDataSource.Create(connectionString);
        await new MigrationRunner(dataSource, options: new MigrationOptions { Schedule = false }).MigrateAsync();
        var report = await new Seeder(dataSource).SeedAsync(new SeedOptions { Orders = context.Orders, RandomSeed = 42, RefreshViews = false });
        await Admin.ExecuteAsync(dataSource, "CALL ops.refresh_all('bench')");
        await Admin.ExecuteAsync(dataSource, "VACUUM ANALYZE");
        return new SeededDatabase(dataSource, connectionString, report, 1, report.EndDate);
    }
}
