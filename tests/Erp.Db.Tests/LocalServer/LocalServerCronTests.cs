using System.Net;
using System.Net.Sockets;
using Erp.Db.LocalServer;
using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.LocalServer;

[Trait("Category", "Slow")]
public class LocalServerCronTests
{
    /// <summary>
    /// A local server erpdb creates runs pg_cron's jobs as libpq connections to 127.0.0.1 (not background workers, whose blocking
    /// reads made every job of the server wait for the longest one: docs/refresh-watchdog.md), logged in by scram-sha-256 with
    /// the password file the postmaster gets; and when the server starts on another port, its jobs follow it.
    /// </summary>
    [SkippableFact]
    public async Task Pg_cron_jobs_run_as_password_checked_connections_and_follow_a_new_port()
    {
        var home = Path.Combine(Path.GetTempPath(), $"erpdb-server-test-{Guid.NewGuid():N}");
        var server = new LocalPostgresServer(new LocalServerOptions { Home = home, Durable = false });
        try
        {
            var info = await server.EnsureStartedAsync();
            PgCronAvailability.SkipUnless(info.PgCron, "pg_cron is not installed on this machine (.ci/run installs it)");
            await using var erpdb = NpgsqlDataSource.Create(info.ConnectionString);
            // The job records how it connected: a background worker has no client address, a libpq connection has one.
            var job = await Scalar<long>(erpdb, """
                CREATE EXTENSION pg_cron;
                CREATE TABLE public.cron_probe (client inet, application text);
                SELECT cron.schedule('probe', '* * * * *', 'INSERT INTO public.cron_probe SELECT inet_client_addr(), current_setting(''application_name'')');
                """);
            // pg_cron 1.4 may not see a job added after its scheduler started until it reloads (docs/refresh-watchdog.md).
            await Scalar<bool>(erpdb, "SELECT pg_reload_conf()");
            string? run = null;
            for (var attempt = 0; attempt < 150 && run is null; attempt++)
            {
                run = await Scalar<string>(erpdb, $"SELECT status || ': ' || return_message FROM cron.job_run_details WHERE jobid = {job} AND status IN ('succeeded', 'failed') LIMIT 1");
                if (run is null)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
            }

            Assert.Equal("succeeded: INSERT 0 1", run);
            Assert.Equal("127.0.0.1 pg_cron", await Scalar<string>(erpdb, "SELECT host(client) || ' ' || application FROM public.cron_probe LIMIT 1"));
            Assert.Equal("off", await Scalar<string>(erpdb, "SHOW cron.use_background_workers"));
            // No login gets in without its password, pg_cron's included.
            Assert.Equal(["scram-sha-256"], await Scalar<string[]>(erpdb, "SELECT array_agg(DISTINCT auth_method) FROM pg_hba_file_rules") ?? []);

            // Its port taken while it is stopped, the server starts on another, and the job connects there.
            NpgsqlConnection.ClearAllPools();
            await server.StopAsync();
            using var taken = new TcpListener(IPAddress.Loopback, info.Port);
            taken.Start();
            var moved = await server.EnsureStartedAsync();
            await using var again = NpgsqlDataSource.Create(moved.ConnectionString);

            Assert.NotEqual(info.Port, moved.Port);
            Assert.Equal(moved.Port, await Scalar<int>(again, $"SELECT nodeport FROM cron.job WHERE jobid = {job}"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await server.StopAsync();
            Directory.Delete(home, recursive: true);
        }
    }

    private static async Task<T?> Scalar<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync() is T value ? value : default;
    }
}
