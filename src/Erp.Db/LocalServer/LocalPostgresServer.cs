using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Erp.Db.LocalServer;

/// <summary>
/// A private PostgreSQL cluster started from the machine's binaries, for when no connection is
/// configured: its own data folder, a free port on 127.0.0.1, a generated password, and pg_cron
/// preloaded when installed, its jobs run as connections through a unix socket only the server's
/// user can open (docs/refresh-watchdog.md). As root the server runs as the postgres user (PostgreSQL refuses root).
/// </summary>
public sealed class LocalPostgresServer
{
    private const string SuperUser = "postgres";
    private readonly LocalServerOptions options;
    private readonly ILogger logger;

    /// <summary>Creates a handle on the local server described by <paramref name="options"/>; nothing starts yet.</summary>
    public LocalPostgresServer(LocalServerOptions? options = null, ILogger? logger = null)
    {
        this.options = options ?? new LocalServerOptions();
        this.logger = logger ?? NullLogger.Instance;
    }

    private string DataDirectory => Path.Combine(options.Home, "data");

    /// <summary>The file holding the superuser's password (mode 0600): what a connection string to the server leaves out when printed.</summary>
    public string PasswordFile => Path.Combine(options.Home, "password");

    private string PortFile => Path.Combine(options.Home, "port");

    /// <summary>
    /// The password file of the server's own libpq connections (pg_cron's jobs over TCP), given to the postmaster as PGPASSFILE:
    /// the superuser's line for 127.0.0.1. Absolute, because the postmaster runs in the data folder. Written only where the private
    /// socket's path would be too long, and by an older erpdb; a server with the socket needs none, one older still runs its jobs
    /// as background workers (docs/refresh-watchdog.md).
    /// </summary>
    private string JobPasswordFile => Path.GetFullPath(Path.Combine(DataDirectory, "pgpass"));

    /// <summary>
    /// The folder of the server's only unix socket, pg_cron's way in (<c>cron.host</c>): 0700 and the server user's, the socket
    /// 0700 too, so no other operating system user can open it, and pg_hba trusts local connections. Absolute, because libpq takes
    /// a host starting with '/' for a socket folder. Outside data/, so a base backup of the cluster does not copy it.
    /// </summary>
    private string SocketDirectory => Path.GetFullPath(Path.Combine(options.Home, "socket"));

    /// <summary>The socket's path (the folder, then <c>/.s.PGSQL.&lt;port&gt;</c>) fits the 107 bytes of a unix socket address.</summary>
    private bool SocketPathFits => System.Text.Encoding.UTF8.GetByteCount(SocketDirectory + "/.s.PGSQL.65535") <= 107;

    /// <summary>The postgresql.conf line of the private socket, by which a start knows to make its folder.</summary>
    private string SocketDirectoriesLine => $"unix_socket_directories = {PostgresConf.Literal(PostgresConf.ListElement(SocketDirectory))}";

    /// <summary>Starts the server unless it runs already (creating the cluster the first time) and returns how to reach it.</summary>
    public async Task<LocalServerInfo> EnsureStartedAsync(CancellationToken cancellationToken = default)
    {
        // The home holds the superuser's password: 0700 from the start. As root the server runs as
        // postgres, which must reach data/ inside it, so the home is given to postgres, not widened.
        PrivateFiles.CreateFolder(options.Home);
        await ProcessRunner.GiveToServerUserAsync(options.Home, recursive: false, cancellationToken);
        await using var startLock = await HomeLock.AcquireAsync(options.Home, cancellationToken);
        var binaries = await PostgresBinaries.FindAsync(options.BinDirectory, cancellationToken);
        if (await RunningPortAsync(cancellationToken) is int runningPort)
        {
            return await ReadyAsync(binaries, runningPort, startedNow: false, cancellationToken);
        }
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitAsync(binaries, cancellationToken);
        }
        if (ConfigurationHas(SocketDirectoriesLine))
        {
            // Made at init, and again should it be gone: without it the server does not start.
            PrivateFiles.CreateFolder(SocketDirectory);
            await ProcessRunner.GiveToServerUserAsync(SocketDirectory, recursive: false, cancellationToken);
        }
        var port = ReadPort() is int saved && IsFree(saved) ? saved : FreePort();
        await PrivateFiles.WriteAllTextAsync(PortFile, port.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        logger.LogInformation("Starting local PostgreSQL {Version} on 127.0.0.1:{Port} (data in {DataDirectory})", binaries.Version, port, DataDirectory);
        var started = await ProcessRunner.RunAsync(binaries.PgCtl,
            ["start", "-w", "-t", "60", "-D", DataDirectory, "-l", Path.Combine(DataDirectory, "server.log"), "-o", $"-p {port}"], cancellationToken,
            File.Exists(JobPasswordFile) ? new Dictionary<string, string> { ["PGPASSFILE"] = JobPasswordFile } : new Dictionary<string, string>());
        if (started.ExitCode != 0)
        {
            throw new InvalidOperationException($"The local PostgreSQL did not start: {started.Output}. See {Path.Combine(DataDirectory, "server.log")}.");
        }
        return await ReadyAsync(binaries, port, startedNow: true, cancellationToken);
    }

    /// <summary>The running server, or null when it is not running.</summary>
    public async Task<LocalServerInfo?> StatusAsync(CancellationToken cancellationToken = default)
    {
        if (await RunningPortAsync(cancellationToken) is not int port)
        {
            return null;
        }
        var binaries = await PostgresBinaries.FindAsync(options.BinDirectory, cancellationToken);
        return InfoOf(binaries, port, startedNow: false) with
        {
            // Server-wide settings: read from the postgres database, which is there even when erpdb's own was dropped.
            Cron = await LocalCronJobs.DescribeAsync(ConnectionString(port, "postgres"), JobPasswordFile, cancellationToken),
        };
    }

    /// <summary>Stops the server (fast shutdown: running transactions roll back). Returns false if it was not running.</summary>
    public async Task<bool> StopAsync(CancellationToken cancellationToken = default)
    {
        if (await RunningPortAsync(cancellationToken) is null)
        {
            return false;
        }
        var binaries = await PostgresBinaries.FindAsync(options.BinDirectory, cancellationToken);
        var stopped = await ProcessRunner.RunAsync(binaries.PgCtl, ["stop", "-w", "-m", "fast", "-D", DataDirectory], cancellationToken);
        if (stopped.ExitCode != 0)
        {
            throw new InvalidOperationException($"The local PostgreSQL did not stop: {stopped.Output}");
        }
        return true;
    }

    /// <summary>The port from postmaster.pid when the postmaster is alive; null otherwise.</summary>
    private async Task<int?> RunningPortAsync(CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }
        string[] lines;
        try
        {
            lines = await File.ReadAllLinesAsync(pidFile, cancellationToken);
        }
        catch (IOException)
        {
            return null;
        }
        // postmaster.pid: line 1 is the PID, line 4 the port.
        if (lines.Length < 4 || !int.TryParse(lines[0], out var pid) || !int.TryParse(lines[3], out var port))
        {
            return null;
        }
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited ? null : port;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private async Task InitAsync(PostgresBinaries binaries, CancellationToken cancellationToken)
    {
        logger.LogInformation("Creating a local PostgreSQL cluster in {DataDirectory}", DataDirectory);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var cron = binaries.HasPgCron && options.PgCron;
        var privateSocket = cron && SocketPathFits;
        if (cron && !privateSocket)
        {
            logger.LogWarning("The home {Home} is too deep for a unix socket ({Socket} is longer than 107 bytes): pg_cron's jobs will log in over TCP "
                + "with the superuser's password, and the jobs of any other login will fail. Use a shorter ERPDB_HOME (docs/refresh-watchdog.md).",
                options.Home, SocketDirectory + "/.s.PGSQL.<port>");
        }
        await PrivateFiles.WriteAllTextAsync(PasswordFile, password, cancellationToken);

        // initdb reads the password from a file the server user can read (0600, given to that user
        // when we are root); it lives only for this call.
        var setup = Path.Combine(options.Home, "setup");
        PrivateFiles.CreateFolder(setup);
        PrivateFiles.CreateFolder(DataDirectory);
        var passwordForInit = Path.Combine(setup, "pw");
        await PrivateFiles.WriteAllTextAsync(passwordForInit, password, cancellationToken);
        try
        {
            await ProcessRunner.GiveToServerUserAsync(DataDirectory, recursive: true, cancellationToken);
            await ProcessRunner.GiveToServerUserAsync(setup, recursive: true, cancellationToken);
            var init = await ProcessRunner.RunAsync(binaries.InitDb,
                ["-D", DataDirectory, "-U", SuperUser, "--auth-host=scram-sha-256", privateSocket ? "--auth-local=trust" : "--auth-local=scram-sha-256",
                    $"--pwfile={passwordForInit}", "-E", "UTF8", "--no-locale", "--no-sync"],
                cancellationToken);
            if (init.ExitCode != 0)
            {
                throw new InvalidOperationException($"initdb failed: {init.Output}");
            }
        }
        finally
        {
            Directory.Delete(setup, recursive: true);
        }

        var settings = new List<string>
        {
            "# Written by erpdb for its private local server.",
            "listen_addresses = '127.0.0.1'",
            // The private socket is pg_cron's (below); without it, no socket at all: clients use TCP.
            privateSocket ? SocketDirectoriesLine : "unix_socket_directories = ''",
            // pg_cron's running jobs are connections too (below): clients keep their 200.
            cron ? "max_connections = 280" : "max_connections = 200",
            "shared_buffers = 256MB",
            "max_wal_size = 4GB",
            // A replication slot whose standby is gone for good (a replica test killed mid-run, a developer's copy deleted) holds
            // every WAL segment written after it: unbounded, it once filled a test machine's disk with 72 GB of WAL.
            "max_slot_wal_keep_size = 8GB",
            "synchronous_commit = off",
        };
        if (!options.Durable)
        {
            settings.AddRange(["fsync = off", "full_page_writes = off"]);
        }
        if (privateSocket)
        {
            settings.Add("unix_socket_permissions = 0700");
        }
        if (cron)
        {
            // pg_cron runs each job as a libpq connection, as the job's login, through the private socket (pg_hba trusts local
            // connections, which only the server's operating system user can open; TCP stays scram-sha-256), so the jobs of any login
            // connect and no password but the superuser's is stored. Where the socket's path is too long, over TCP to 127.0.0.1 with
            // the password file the postmaster gets as PGPASSFILE, the superuser's jobs only. Not background workers: pg_cron
            // 1.4 reads a worker's output with a blocking wait, so every round of jobs of every database waited for the longest
            // one, and a refresh watchdog lasts 50 seconds (docs/refresh-watchdog.md). Each running job is a connection, and each
            // warehouse's watchdog holds one about 50 seconds of every minute: the default 32 running jobs are too few when many
            // databases (a test run's dozens, a developer's copies) each run the every-minute jobs; 80 fit in max_connections
            // beside the clients' 200.
            settings.AddRange(["shared_preload_libraries = 'pg_cron'", $"cron.database_name = {PostgresConf.Literal(options.Database)}",
                "cron.use_background_workers = off", $"cron.host = {PostgresConf.Literal(privateSocket ? SocketDirectory : "127.0.0.1")}", "cron.max_running_jobs = 80"]);
            if (!privateSocket)
            {
                await PrivateFiles.WriteAllTextAsync(JobPasswordFile, $"127.0.0.1:*:*:{SuperUser}:{password}\n", cancellationToken);
            }
        }
        await File.AppendAllLinesAsync(Path.Combine(DataDirectory, "postgresql.conf"), settings, cancellationToken);
        await ProcessRunner.GiveToServerUserAsync(DataDirectory, recursive: true, cancellationToken);
    }

    private bool ConfiguredWithPgCron() => ConfigurationHas("shared_preload_libraries = 'pg_cron'");

    /// <summary>The cluster's postgresql.conf holds <paramref name="line"/>, as erpdb wrote it.</summary>
    private bool ConfigurationHas(string line)
    {
        try
        {
            return File.ReadAllLines(Path.Combine(DataDirectory, "postgresql.conf")).Contains(line, StringComparer.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private async Task<LocalServerInfo> ReadyAsync(PostgresBinaries binaries, int port, bool startedNow, CancellationToken cancellationToken)
    {
        await using (var admin = NpgsqlDataSource.Create(ConnectionString(port, "postgres")))
        await using (var connection = await admin.OpenConnectionAsync(cancellationToken))
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", options.Database);
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{options.Database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        if (startedNow)
        {
            await LocalCronJobs.FollowPortAsync(ConnectionString(port, options.Database), logger, cancellationToken);
        }
        return InfoOf(binaries, port, startedNow);
    }

    private LocalServerInfo InfoOf(PostgresBinaries binaries, int port, bool startedNow) =>
        new(ConnectionString(port, options.Database), port, DataDirectory, binaries.Version, binaries.HasPgCron && ConfiguredWithPgCron(), startedNow);

    /// <summary>The connection string for one database of the server, password included.</summary>
    public string ConnectionString(int port, string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port,
        Username = SuperUser,
        Password = File.ReadAllText(PasswordFile).Trim(),
        Database = database,
    }.ConnectionString;

    private int? ReadPort() => File.Exists(PortFile) && int.TryParse(File.ReadAllText(PortFile), out var port) ? port : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
