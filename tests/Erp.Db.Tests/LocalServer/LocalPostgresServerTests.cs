using Erp.Db.LocalServer;
using Npgsql;

namespace Erp.Db.Tests.LocalServer;

public class LocalPostgresServerTests
{
    [Fact]
    public async Task Creates_starts_reuses_and_stops_a_private_cluster()
    {
        var home = Path.Combine(Path.GetTempPath(), $"erpdb-server-test-{Guid.NewGuid():N}");
        var server = new LocalPostgresServer(new LocalServerOptions { Home = home, Durable = false });
        try
        {
            var started = await server.EnsureStartedAsync();
            var reused = await server.EnsureStartedAsync();
            await using (var dataSource = NpgsqlDataSource.Create(started.ConnectionString))
            {
                Assert.Equal("erpdb", await dataSource.CreateCommand("SELECT current_database()").ExecuteScalarAsync());
                var preloaded = (string)(await dataSource.CreateCommand("SHOW shared_preload_libraries").ExecuteScalarAsync())!;
                Assert.Equal(File.Exists("/usr/lib/postgresql/15/lib/pg_cron.so"), preloaded.Contains("pg_cron", StringComparison.Ordinal));
                Assert.Equal(started.PgCron, preloaded.Contains("pg_cron", StringComparison.Ordinal));
            }
            NpgsqlConnection.ClearAllPools();
            var stopped = await server.StopAsync();
            var status = await server.StatusAsync();
            var stoppedAgain = await server.StopAsync();

            Assert.True(started.StartedNow);
            Assert.False(reused.StartedNow);
            Assert.Equal(started.Port, reused.Port);
            Assert.True(stopped);
            Assert.Null(status);
            Assert.False(stoppedAgain);
        }
        finally
        {
            await server.StopAsync();
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Without_pg_cron_migrate_succeeds_and_says_what_to_do_instead()
    {
        var home = Path.Combine(Path.GetTempPath(), $"erpdb-server-test-{Guid.NewGuid():N}");
        var server = new LocalPostgresServer(new LocalServerOptions { Home = home, Durable = false, PgCron = false });
        try
        {
            var info = await server.EnsureStartedAsync();
            await using var dataSource = NpgsqlDataSource.Create(info.ConnectionString);

            var result = await new Erp.Db.Migrations.MigrationRunner(dataSource).MigrateAsync();
            var cli = await Cli.CliRun.RunAsync("migrate", "--connection", info.ConnectionString);

            Assert.False(info.PgCron);
            Assert.Contains(result.Notices, n => n.Contains("pg_cron is not installed", StringComparison.Ordinal) && n.Contains("erpdb refresh --watch", StringComparison.Ordinal));
            Assert.True((await new Erp.Db.Migrations.MigrationRunner(dataSource).StatusAsync()).IsUpToDate);
            Assert.Equal(0, cli.ExitCode);
            Assert.Contains("pg_cron is not installed", cli.Error);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.StopAsync();
            Directory.Delete(home, recursive: true);
        }
    }
}
