using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Erp.Db.LocalServer;

/// <summary>The local server's pg_cron jobs, when pg_cron runs them as libpq connections.</summary>
internal static partial class LocalCronJobs
{
    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// pg_cron stores <c>cron.host</c> and the server's port in each job when it is scheduled (<c>cron.job.nodename</c>,
    /// <c>nodeport</c>) and connects there; the local server takes another port when its own was taken meanwhile (its socket's
    /// name carries the port too), and jobs scheduled under older settings name 'localhost' or 127.0.0.1. Points the jobs that
    /// connect to this server (127.0.0.1, localhost or its <c>cron.host</c>) at its <c>cron.host</c> and the port it listens on
    /// now, and has the scheduler reload them. Nothing to do with background workers (which ignore both) or before pg_cron's
    /// extension exists.
    /// </summary>
    public static async Task FollowPortAsync(string cronDatabaseConnectionString, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cronDatabaseConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var applies = new NpgsqlCommand(
            "SELECT current_setting('cron.use_background_workers', true) = 'off' AND to_regclass('cron.job') IS NOT NULL", connection);
        if (await applies.ExecuteScalarAsync(cancellationToken) is not true)
        {
            return;
        }
        await using var move = new NpgsqlCommand("""
            WITH here AS (SELECT pg_catalog.current_setting('cron.host') AS host, pg_catalog.inet_server_port() AS port),
            moved AS (
                UPDATE cron.job SET nodename = here.host, nodeport = here.port FROM here
                WHERE cron.job.nodename IN ('127.0.0.1', 'localhost', here.host)
                  AND (cron.job.nodename <> here.host OR cron.job.nodeport IS DISTINCT FROM here.port)
                RETURNING jobid)
            SELECT count(*) FROM moved
            """, connection);
        var moved = (long)(await move.ExecuteScalarAsync(cancellationToken))!;
        if (moved > 0)
        {
            // pg_cron 1.4 may miss the invalidation of its job list; a reload never (docs/refresh-watchdog.md, "New jobs").
            await using var reload = new NpgsqlCommand("SELECT pg_catalog.pg_reload_conf()", connection);
            await reload.ExecuteScalarAsync(cancellationToken);
            logger.LogInformation("Pointed {Count} pg_cron jobs at cron.host and the server's port", moved);
        }
    }

    /// <summary>
    /// How pg_cron runs this server's jobs, and what keeps the jobs of some login from connecting. Read as the superuser
    /// (<c>pg_hba_file_rules</c> needs it) on the machine that runs the server: whether the socket and its folder exist and
    /// whom they are open to is checked on disk. <paramref name="jobPasswordFile"/> is the postmaster's PGPASSFILE.
    /// </summary>
    public static async Task<LocalServerCron> DescribeAsync(string connectionString, string jobPasswordFile, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        // Local lines of pg_hba other than replication's all trust, and one of them takes every database and user: a job of any
        // login through a socket logs in without a password. (The file as it is on disk, which the server reads on reload.)
        await using var command = new NpgsqlCommand("""
            SELECT EXISTS (SELECT FROM pg_catalog.pg_available_extensions WHERE name = 'pg_cron'),
                   'pg_cron' = ANY (pg_catalog.regexp_split_to_array(pg_catalog.btrim(pg_catalog.current_setting('shared_preload_libraries')), '\s*,\s*')),
                   pg_catalog.current_setting('cron.database_name', true),
                   pg_catalog.current_setting('cron.use_background_workers', true),
                   pg_catalog.current_setting('cron.host', true),
                   pg_catalog.inet_server_port(),
                   coalesce((SELECT bool_and(auth_method = 'trust') AND bool_or('all' = ANY (database) AND 'all' = ANY (user_name))
                             FROM pg_catalog.pg_hba_file_rules
                             WHERE type = 'local' AND error IS NULL AND NOT 'replication' = ANY (database)), false)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var available = reader.GetBoolean(0);
        var preloaded = reader.GetBoolean(1);
        var database = reader.IsDBNull(2) ? null : reader.GetString(2);
        bool? backgroundWorkers = reader.IsDBNull(3) ? null : reader.GetString(3) == "on";
        var host = reader.IsDBNull(4) ? null : reader.GetString(4);
        var port = reader.GetInt32(5);
        var localTrust = reader.GetBoolean(6);

        if (!preloaded || backgroundWorkers is null || host is null)
        {
            var advice = available
                ? "pg_cron is installed but not preloaded: no job runs. Run 'erpdb refresh --watch' or the RefreshWorker, or add pg_cron to shared_preload_libraries."
                : null;
            return new LocalServerCron(available, preloaded, database, backgroundWorkers, host, LocalCronMode.NotPreloaded, false, advice);
        }
        if (backgroundWorkers.Value)
        {
            return new LocalServerCron(true, true, database, true, host, LocalCronMode.BackgroundWorkers, true, null);
        }
        if (!host.StartsWith('/'))
        {
            var logins = PasswordFileLogins(jobPasswordFile);
            return new LocalServerCron(true, true, database, false, host, LocalCronMode.Password, false,
                $"pg_cron's jobs connect to {host} as their login and log in by password, and {jobPasswordFile} holds one for "
                + (logins.Count == 0 ? "no login" : string.Join(", ", logins)) + " only: the jobs of any other login (a warehouse migrated "
                + "by a login that is not a superuser) fail with 'connection failed'. An older erpdb created this server, or its home's path "
                + "is too long for a unix socket; docs/refresh-watchdog.md ('Servers created by an older erpdb') says how to give pg_cron the private socket.");
        }
        // An open folder lets the jobs in as well (and everyone else): a warning, not a login that cannot connect.
        var socket = Path.Combine(host, $".s.PGSQL.{port}");
        var exists = File.Exists(socket);
        return new LocalServerCron(true, true, database, false, host, LocalCronMode.PrivateSocket, exists && localTrust, SocketProblem(host, socket, exists, localTrust));
    }

    /// <summary>What is wrong with the private socket (in <paramref name="folder"/>) pg_cron connects through, or null.</summary>
    private static string? SocketProblem(string folder, string socket, bool exists, bool localTrust)
    {
        if (!exists)
        {
            return $"pg_cron's jobs connect through {socket}, which does not exist: every job fails. unix_socket_directories must name {folder} (restart the server).";
        }
        if (!localTrust)
        {
            return "pg_cron's jobs connect through the private socket, but pg_hba.conf does not trust local connections: the jobs of a login "
                + "without a password the server can find fail. Its local lines should read 'local all all trust' (only the server's user can open the socket).";
        }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(folder) & GroupOrOthers) != 0)
        {
            return $"{folder} is open to other users ({File.GetUnixFileMode(folder)}), and its socket logs anyone in as any login without a password: chmod 700 {folder}.";
        }
        return null;
    }

    /// <summary>The logins of a libpq password file (the fourth field of each line; ':' and '\' escaped by '\'), none when it cannot be read.</summary>
    private static List<string> PasswordFileLogins(string path)
    {
        try
        {
            return File.ReadAllLines(path)
                .Where(line => line.Length > 0 && !line.StartsWith('#'))
                .Select(line => UnescapedColon().Split(line))
                .Where(fields => fields.Length >= 5)
                .Select(fields => fields[3].Replace("\\:", ":", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    [GeneratedRegex(@"(?<!\\):")]
    private static partial Regex UnescapedColon();
}
