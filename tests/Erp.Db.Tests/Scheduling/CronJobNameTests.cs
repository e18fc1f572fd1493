using Erp.Db.LocalServer;
using Erp.Db.Scheduling;
using Npgsql;

namespace Erp.Db.Tests.Scheduling;

public class CronJobNameTests
{
    [Fact]
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
            if (!info.PgCron)
            {
                Assert.Contains("pg_cron is not installed", (await new CronScheduler(shopSource, schedules).EnsureAsync())[0]);
                return;
            }

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
