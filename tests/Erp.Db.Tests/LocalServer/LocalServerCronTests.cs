using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Erp.Db.LocalServer;
using Erp.Db.Migrations;
using Erp.Db.Tests.Cli;
using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.LocalServer;

[Trait("Category", "Slow")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class LocalServerCronTests
{
    /// <summary>
    /// A local server erpdb creates runs pg_cron's jobs as libpq connections (not background workers, whose blocking reads made every
    /// job of the server wait for the longest one: docs/refresh-watchdog.md) through its private unix socket; and when the server
    /// starts on another port (whose number the socket's name carries), its jobs follow it.
    /// </summary>
    [SkippableFact]
    public async Task Pg_cron_jobs_run_as_connections_through_the_private_socket_and_follow_a_new_port()
    {
        await using var home = await ServerHome.StartAsync();
        var info = home.Info;
        await using var erpdb = NpgsqlDataSource.Create(info.ConnectionString);
        // The job records how it connected: a background worker and a unix socket have no client address, TCP has one; a libpq
        // connection has pg_cron's application name.
        var job = await Scalar<long>(erpdb, """
            CREATE EXTENSION pg_cron;
            CREATE TABLE public.cron_probe (client inet, application text);
            SELECT cron.schedule('probe', '* * * * *', 'INSERT INTO public.cron_probe SELECT inet_client_addr(), current_setting(''application_name'')');
            """);
        // pg_cron 1.4 may not see a job added after its scheduler started until it reloads (docs/refresh-watchdog.md).
        await Scalar<bool>(erpdb, "SELECT pg_reload_conf()");

        Assert.Equal("succeeded: INSERT 0 1", await RunOfAsync(erpdb, $"jobid = {job}"));
        Assert.Equal("local pg_cron", await Scalar<string>(erpdb, "SELECT coalesce(host(client), 'local') || ' ' || application FROM public.cron_probe LIMIT 1"));
        Assert.Equal("off", await Scalar<string>(erpdb, "SHOW cron.use_background_workers"));
        Assert.Equal(home.SocketDirectory, await Scalar<string>(erpdb, $"SELECT nodename FROM cron.job WHERE jobid = {job}"));

        // Its port taken while it is stopped, the server starts on another, and the job connects there.
        NpgsqlConnection.ClearAllPools();
        await home.Server.StopAsync();
        using var taken = new TcpListener(IPAddress.Loopback, info.Port);
        taken.Start();
        var moved = await home.Server.EnsureStartedAsync();
        await using var again = NpgsqlDataSource.Create(moved.ConnectionString);

        Assert.NotEqual(info.Port, moved.Port);
        Assert.Equal(moved.Port, await Scalar<int>(again, $"SELECT nodeport FROM cron.job WHERE jobid = {job}"));
        await Execute(again, "TRUNCATE cron.job_run_details");
        Assert.Equal("succeeded: INSERT 0 1", await RunOfAsync(again, $"jobid = {job}"));
    }

    /// <summary>
    /// The documented way to migrate (docs/migrations.md, "Who may migrate"): a login that is not a superuser, in erp_owner, migrates;
    /// migrate prints the SQL a superuser runs to schedule the jobs, each as that login. On a new local server those jobs log in
    /// (through the private socket) and succeed; with only the superuser's password stored they failed with 'connection failed'.
    /// </summary>
    [SkippableFact]
    public async Task The_jobs_of_a_warehouse_migrated_by_a_login_that_is_not_a_superuser_run_as_that_login()
    {
        await using var home = await ServerHome.StartAsync();
        await using var superuser = NpgsqlDataSource.Create(home.Info.ConnectionString);
        await Execute(superuser, "CREATE ROLE erp_migrate LOGIN CREATEROLE PASSWORD 'migrate-secret'");
        await Execute(superuser, "CREATE DATABASE warehouse OWNER erp_migrate");
        var asLogin = new NpgsqlConnectionStringBuilder(home.Info.ConnectionString)
        {
            Database = "warehouse",
            Username = "erp_migrate",
            Password = "migrate-secret",
            Pooling = false,
        };
        await using var login = NpgsqlDataSource.Create(asLogin.ConnectionString);

        var migrated = await new MigrationRunner(login).MigrateAsync();
        var notice = Assert.Single(migrated.Notices, n => n.Contains("must run:\n", StringComparison.Ordinal));
        // What the DBA does: run the printed lines, unchanged, as a superuser in the cron database.
        await Execute(superuser, notice[(notice.IndexOf("must run:\n", StringComparison.Ordinal) + "must run:\n".Length)..]);

        Assert.True(await Scalar<bool>(login, "SELECT pg_has_role('erp_owner', 'MEMBER') AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"));
        Assert.Equal(["erp_migrate"], await Scalar<string[]>(superuser, "SELECT array_agg(DISTINCT username) FROM cron.job WHERE starts_with(jobname, 'erpdb:warehouse:')") ?? []);
        // Its status, and pg_cron's message for a CALL ("1 row"), or the failure ("connection failed" when it could not log in).
        Assert.StartsWith("succeeded: ", await RunOfAsync(superuser, "jobid = (SELECT jobid FROM cron.job WHERE jobname = 'erpdb:warehouse:refresh_due')"), StringComparison.Ordinal);
        // None of the warehouse's jobs failed to log in (or otherwise) meanwhile.
        Assert.Equal(0, await Scalar<long>(superuser,
            "SELECT count(*) FROM cron.job_run_details WHERE status = 'failed' AND jobid IN (SELECT jobid FROM cron.job WHERE starts_with(jobname, 'erpdb:warehouse:'))"));
    }

    /// <summary>
    /// The trust pg_cron relies on reaches no one else: pg_hba trusts only local (socket) connections, the socket's folder and the
    /// socket are the server user's alone, another operating system user cannot connect through it, and over TCP every login still
    /// needs its password.
    /// </summary>
    [SkippableFact]
    public async Task Only_the_server_user_reaches_the_trusted_socket_and_tcp_asks_every_login_for_its_password()
    {
        await using var home = await ServerHome.StartAsync();
        await using var erpdb = NpgsqlDataSource.Create(home.Info.ConnectionString);
        await Execute(erpdb, "CREATE ROLE someone LOGIN PASSWORD 'right'");

        Assert.Equal(["local trust", "host scram-sha-256"], await Scalar<string[]>(erpdb,
            "SELECT array_agg(DISTINCT type || ' ' || auth_method ORDER BY type || ' ' || auth_method DESC) FROM pg_hba_file_rules") ?? []);
        Assert.Equal($"\"{home.SocketDirectory}\"", await Scalar<string>(erpdb, "SHOW unix_socket_directories"));
        Assert.Equal("0700", await Scalar<string>(erpdb, "SHOW unix_socket_permissions"));
        Assert.Equal("127.0.0.1", await Scalar<string>(erpdb, "SHOW listen_addresses"));
        var userOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(userOnly, File.GetUnixFileMode(home.SocketDirectory));
        Assert.Equal(userOnly, File.GetUnixFileMode(Path.Combine(home.SocketDirectory, $".s.PGSQL.{home.Info.Port}")));
        Assert.False(File.Exists(Path.Combine(home.Info.DataDirectory, "pgpass")), "a new server stores no password for pg_cron");

        var wrong = new NpgsqlConnectionStringBuilder(home.Info.ConnectionString) { Username = "someone", Password = "wrong", Pooling = false };
        await using (var tcp = new NpgsqlConnection(wrong.ConnectionString))
        {
            Assert.Equal(PostgresErrorCodes.InvalidPassword, (await Assert.ThrowsAsync<PostgresException>(() => tcp.OpenAsync())).SqlState);
        }
        if (ProcessRunner.IsRoot)
        {
            // The server runs as postgres: it gets in as any login without a password; any other user (nobody) is refused by the socket.
            var server = await PsqlAsync("postgres", home, "someone");
            var other = await PsqlAsync("nobody", home, "someone");

            Assert.Equal((0, "someone"), (server.ExitCode, server.Output));
            Assert.NotEqual(0, other.ExitCode);
            Assert.Contains("Permission denied", other.Output, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// <c>erpdb server status</c> says how pg_cron runs the jobs; on a server with the settings an older erpdb wrote (jobs over TCP,
    /// a password file with the superuser's line only) it warns that the jobs of other logins cannot log in.
    /// </summary>
    [SkippableFact]
    public async Task Server_status_shows_how_pg_cron_runs_and_warns_when_the_jobs_of_other_logins_cannot_log_in()
    {
        await using var home = await ServerHome.StartAsync();
        var environment = new Dictionary<string, string> { ["ERPDB_HOME"] = home.Path };

        var fresh = (await CliRun.RunAsync(environment, "server", "status", "--format", "json")).Json().GetProperty("data").GetProperty("cron");
        var freshTable = await CliRun.RunAsync(environment, "server", "status", "--format", "table");

        Assert.Equal((true, true, "erpdb", false, home.SocketDirectory, "privateSocket", true), (fresh.GetProperty("available").GetBoolean(),
            fresh.GetProperty("preloaded").GetBoolean(), fresh.GetProperty("database").GetString(), fresh.GetProperty("useBackgroundWorkers").GetBoolean(),
            fresh.GetProperty("host").GetString(), fresh.GetProperty("mode").GetString(), fresh.GetProperty("anyLogin").GetBoolean()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, fresh.GetProperty("warning").ValueKind);
        Assert.Contains("through the private socket, any login", freshTable.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Warning", freshTable.Output, StringComparison.Ordinal);

        // A socket folder opened to others would let any of them in as any login.
        File.SetUnixFileMode(home.SocketDirectory, File.GetUnixFileMode(home.SocketDirectory) | UnixFileMode.OtherExecute | UnixFileMode.OtherRead);
        var open = (await CliRun.RunAsync(environment, "server", "status", "--format", "json")).Json().GetProperty("data").GetProperty("cron");
        File.SetUnixFileMode(home.SocketDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        Assert.Equal(("privateSocket", true), (open.GetProperty("mode").GetString(), open.GetProperty("anyLogin").GetBoolean()));
        Assert.Contains($"chmod 700 {home.SocketDirectory}", open.GetProperty("warning").GetString(), StringComparison.Ordinal);

        // The settings of a server an older erpdb created: no socket, jobs to 127.0.0.1, the superuser's password in data/pgpass.
        NpgsqlConnection.ClearAllPools();
        await home.Server.StopAsync();
        await File.AppendAllLinesAsync(Path.Combine(home.Info.DataDirectory, "postgresql.conf"), ["unix_socket_directories = ''", "cron.host = '127.0.0.1'"]);
        var pgpass = Path.Combine(home.Info.DataDirectory, "pgpass");
        await PrivateFiles.WriteAllTextAsync(pgpass, $"127.0.0.1:*:*:postgres:{File.ReadAllText(home.Server.PasswordFile).Trim()}\n", CancellationToken.None);
        await ProcessRunner.GiveToServerUserAsync(pgpass, recursive: false, CancellationToken.None);
        Assert.Null((await home.Server.EnsureStartedAsync()).Cron);
        var old = (await home.Server.StatusAsync())!;

        var status = (await CliRun.RunAsync(environment, "server", "status", "--format", "json")).Json().GetProperty("data").GetProperty("cron");
        var table = await CliRun.RunAsync(environment, "server", "status", "--format", "table");

        Assert.Equal(LocalCronMode.Password, old.Cron!.Mode);
        Assert.False(old.Cron.AnyLogin);
        Assert.Equal(("password", "127.0.0.1", false), (status.GetProperty("mode").GetString(), status.GetProperty("host").GetString(), status.GetProperty("anyLogin").GetBoolean()));
        var warning = status.GetProperty("warning").GetString()!;
        Assert.Contains($"{pgpass} holds one for postgres only", warning, StringComparison.Ordinal);
        Assert.Contains("connection failed", warning, StringComparison.Ordinal);
        Assert.Contains("over TCP, by password, not every login", table.Output, StringComparison.Ordinal);
        Assert.Contains("Warning: pg_cron's jobs connect to 127.0.0.1", table.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllText(home.Server.PasswordFile).Trim(), table.Output + status, StringComparison.Ordinal);
    }

    /// <summary>
    /// A unix socket's path holds at most 107 bytes. A home too deep for one gets no socket (the server would not start) and the
    /// jobs over TCP with the superuser's password, as servers of an older erpdb; status warns.
    /// </summary>
    [SkippableFact]
    public async Task A_home_too_deep_for_a_socket_runs_the_jobs_over_tcp_and_status_warns()
    {
        await using var home = await ServerHome.StartAsync(new string('d', 60));
        await using var erpdb = NpgsqlDataSource.Create(home.Info.ConnectionString);

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(home.SocketDirectory + "/.s.PGSQL.65535") > 107);
        Assert.Equal(("", "127.0.0.1"), (await Scalar<string>(erpdb, "SHOW unix_socket_directories"), await Scalar<string>(erpdb, "SHOW cron.host")));
        Assert.Equal(["host scram-sha-256", "local scram-sha-256"], await Scalar<string[]>(erpdb,
            "SELECT array_agg(DISTINCT type || ' ' || auth_method ORDER BY type || ' ' || auth_method) FROM pg_hba_file_rules") ?? []);
        Assert.True(File.Exists(Path.Combine(home.Info.DataDirectory, "pgpass")));
        Assert.False(Directory.Exists(home.SocketDirectory));
        Assert.Equal((LocalCronMode.Password, false), (home.Info.Cron!.Mode, home.Info.Cron.AnyLogin));
        Assert.Contains("holds one for postgres only", home.Info.Cron.Warning, StringComparison.Ordinal);
    }

    /// <summary>psql as the operating system user <paramref name="osUser"/> through the server's socket, logging in as <paramref name="login"/>.</summary>
    private static async Task<(int ExitCode, string Output)> PsqlAsync(string osUser, ServerHome home, string login)
    {
        var binaries = await PostgresBinaries.FindAsync(null, CancellationToken.None);
        var start = new ProcessStartInfo("runuser") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-u", osUser, "--", Path.Combine(binaries.BinDirectory, "psql"), "-X", "-A", "-t", "-w",
            "-h", home.SocketDirectory, "-p", home.Info.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", login, "-d", "erpdb", "-c", "SELECT current_user" })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, ((await output) + (await error)).Trim());
    }

    /// <summary>Waits up to 150 s for a finished run of the job <paramref name="where"/> selects in cron.job_run_details; its status and message.</summary>
    private static async Task<string?> RunOfAsync(NpgsqlDataSource cron, string where)
    {
        for (var attempt = 0; attempt < 150; attempt++)
        {
            if (await Scalar<string>(cron, $"SELECT status || ': ' || return_message FROM cron.job_run_details WHERE {where} AND status IN ('succeeded', 'failed') LIMIT 1") is { } run)
            {
                return run;
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        return await Scalar<string>(cron, $"SELECT coalesce(string_agg(status || ': ' || coalesce(return_message, ''), '; '), 'no finished run in 150 s') FROM cron.job_run_details WHERE {where}");
    }

    private static async Task Execute(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T?> Scalar<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync() is T value ? value : default;
    }

    /// <summary>A new local server with pg_cron in a home of its own under the temp folder, stopped and deleted on dispose.</summary>
    private sealed class ServerHome : IAsyncDisposable
    {
        private readonly string top;

        private ServerHome(string top, string path, LocalPostgresServer server, LocalServerInfo info) => (this.top, Path, Server, Info) = (top, path, server, info);

        public string Path { get; }

        public LocalPostgresServer Server { get; }

        public LocalServerInfo Info { get; }

        public string SocketDirectory => System.IO.Path.Combine(Path, "socket");

        /// <summary>Starts a server whose home is <paramref name="leaf"/> under a new folder of the temp folder (that folder itself by default).</summary>
        public static async Task<ServerHome> StartAsync(string leaf = "")
        {
            var top = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"erpdb-server-test-{Guid.NewGuid():N}");
            var path = System.IO.Path.Combine(top, leaf);
            if (leaf.Length > 0)
            {
                // As root the server runs as postgres, which must pass through it to the home.
                PrivateFiles.CreateFolder(top);
                await ProcessRunner.GiveToServerUserAsync(top, recursive: false, CancellationToken.None);
            }
            var server = new LocalPostgresServer(new LocalServerOptions { Home = path, Durable = false });
            await server.EnsureStartedAsync();
            var home = new ServerHome(top, path, server, (await server.StatusAsync())!);
            if (!home.Info.PgCron)
            {
                await home.DisposeAsync();
                PgCronAvailability.SkipUnless(false, "pg_cron is not installed on this machine (.ci/run installs it)");
            }
            return home;
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await Server.StopAsync();
            Directory.Delete(top, recursive: true);
        }
    }
}
