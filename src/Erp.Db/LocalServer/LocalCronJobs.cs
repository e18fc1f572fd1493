using Microsoft.Extensions.Logging;
using Npgsql;

namespace Erp.Db.LocalServer;

/// <summary>The local server's pg_cron jobs, when pg_cron runs them as libpq connections.</summary>
internal static class LocalCronJobs
{
    /// <summary>
    /// pg_cron stores <c>cron.host</c> and the server's port in each job when it is scheduled (<c>cron.job.nodename</c>,
    /// <c>nodeport</c>) and connects there; the local server takes another port when its own was taken meanwhile, and jobs
    /// scheduled under background workers name 'localhost', which the password file does not. Points the jobs that connect to
    /// this server (127.0.0.1 or localhost) at 127.0.0.1 and the port it listens on now, and has the scheduler reload them.
    /// Nothing to do with background workers (which ignore both) or before pg_cron's extension exists.
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
            WITH moved AS (
                UPDATE cron.job SET nodename = '127.0.0.1', nodeport = pg_catalog.inet_server_port()
                WHERE nodename IN ('127.0.0.1', 'localhost')
                  AND (nodename <> '127.0.0.1' OR nodeport IS DISTINCT FROM pg_catalog.inet_server_port())
                RETURNING jobid)
            SELECT count(*) FROM moved
            """, connection);
        var moved = (long)(await move.ExecuteScalarAsync(cancellationToken))!;
        if (moved > 0)
        {
            // pg_cron 1.4 may miss the invalidation of its job list; a reload never (docs/refresh-watchdog.md, "New jobs").
            await using var reload = new NpgsqlCommand("SELECT pg_catalog.pg_reload_conf()", connection);
            await reload.ExecuteScalarAsync(cancellationToken);
            logger.LogInformation("Pointed {Count} pg_cron jobs at 127.0.0.1 and the server's port", moved);
        }
    }
}
