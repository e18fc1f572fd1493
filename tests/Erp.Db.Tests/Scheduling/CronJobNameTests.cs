using Erp.Db.LocalServer;
using Erp.Db.Scheduling;
using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.Scheduling;

public class CronJobNameTests
{
    [SkippableFact]
    [Trait("Category", "Slow")]
    public async Task Database_erp_neither_removes_nor_purges_the_jobs_of_database_erp_colon_x()
    {
        var home = Path.Combine(Path.GetTempPath(), $"erpdb-server-test-{Guid.NewGuid():N}");
        var server = new LocalPostgresServer(new LocalServerOptions { Home = home, Durable = false });
        var shop = $"shop_{Guid.NewGuid():N}"[..13];
        var other = shop + ":x";
        ScheduleScript[] schedules = [ScheduleScript.Parse("tick", "-- cron: 0 0 1 1 *\nSELECT 1"), PurgeSchedule()];
        try
        {
            var info = await server.EnsureStartedAsync();
            await using var admin = NpgsqlDataSource.Create(info.ConnectionString);
            await Execute(admin, $"CREATE DATABASE \"{shop}\"");
            await Execute(admin, $"CREATE DATABASE \"{other}\"");
            await using var shopSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(info.ConnectionString) { Database = shop }.ConnectionString);
            await using var otherSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(info.ConnectionString) { Database = other }.ConnectionString);
            PgCronAvailability.SkipUnless(info.PgCron, "pg_cron is not installed on this machine (.ci/run installs it)");

            await new CronScheduler(otherSource, schedules).EnsureAsync();
            var otherTick = await Scalar<long>(admin, $"SELECT jobid FROM cron.job WHERE jobname = 'erpdb:{other}:tick'");
            await Execute(admin, $"INSERT INTO cron.job_run_details (jobid, runid, database, username, command, status, start_time, end_time) "
                + $"VALUES ({otherTick}, nextval('cron.runid_seq'), '{other}', 'postgres', 'SELECT 1', 'succeeded', now() - interval '30 days', now() - interval '30 days')");
            var notices = await new CronScheduler(shopSource, schedules).EnsureAsync();
            var purge = await Scalar<string>(admin, $"SELECT command FROM cron.job WHERE jobname = 'erpdb:{shop}:purge_run_details'");
            await Execute(admin, purge);

            Assert.DoesNotContain(notices, n => n.StartsWith("Removed", StringComparison.Ordinal));
            Assert.Equal(2L, await Scalar<long>(admin, $"SELECT count(*) FROM cron.job WHERE database = '{other}' OR jobname LIKE 'erpdb:{other}:%'"));
            Assert.Equal(1L, await Scalar<long>(admin, $"SELECT count(*) FROM cron.job_run_details WHERE jobid = {otherTick}"));
            Assert.Equal(otherTick, await Scalar<long>(admin, $"SELECT jobid FROM cron.job WHERE jobname = 'erpdb:{other}:tick'"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.StopAsync();
            Directory.Delete(home, recursive: true);
        }
    }

    [SkippableFact]
    [Trait("Category", "Slow")]
    public async Task Migrate_purges_the_run_history_with_the_command_of_the_declared_purge_schedule()
    {
        var home = Path.Combine(Path.GetTempPath(), $"erpdb-server-test-{Guid.NewGuid():N}");
        var server = new LocalPostgresServer(new LocalServerOptions { Home = home, Durable = false });
        var shop = $"shop_{Guid.NewGuid():N}"[..13];
        // The same schedule file with one day instead of seven: migrate must run what the file says.
        var purgeAfterOneDay = ScheduleScript.Parse("purge_run_details",
            "-- cron: 17 3 * * *\n-- runs in: cron\n" + PurgeSchedule().CommandTemplate.Replace("7 days", "1 day", StringComparison.Ordinal));
        ScheduleScript[] schedules = [ScheduleScript.Parse("tick", "-- cron: 0 0 1 1 *\nSELECT 1"), purgeAfterOneDay];
        try
        {
            var info = await server.EnsureStartedAsync();
            PgCronAvailability.SkipUnless(info.PgCron, "pg_cron is not installed on this machine (.ci/run installs it)");
            await using var admin = NpgsqlDataSource.Create(info.ConnectionString);
            await Execute(admin, $"CREATE DATABASE \"{shop}\"");
            await using var shopSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(info.ConnectionString) { Database = shop }.ConnectionString);
            await new CronScheduler(shopSource, schedules).EnsureAsync();
            var tick = await Scalar<long>(admin, $"SELECT jobid FROM cron.job WHERE jobname = 'erpdb:{shop}:tick'");
            await Execute(admin, $"INSERT INTO cron.job_run_details (jobid, runid, database, username, command, status, start_time, end_time) "
                + $"VALUES ({tick}, nextval('cron.runid_seq'), '{shop}', 'postgres', 'SELECT 1', 'succeeded', now() - interval '3 days', now() - interval '3 days')");

            await new CronScheduler(shopSource, schedules).EnsureAsync();

            Assert.Equal(0L, await Scalar<long>(admin, $"SELECT count(*) FROM cron.job_run_details WHERE jobid = {tick}"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.StopAsync();
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void A_schedule_name_with_a_colon_is_refused() =>
        Assert.Throws<FormatException>(() => ScheduleScript.Parse("a:b", "-- cron: * * * * *\nSELECT 1"));

    private static ScheduleScript PurgeSchedule() => ScheduleScript.Embedded().Single(s => s.Name == "purge_run_details");

    private static async Task<T> Scalar<T>(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task Execute(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
