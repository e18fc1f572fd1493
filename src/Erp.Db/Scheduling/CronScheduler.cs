using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Erp.Db.Scheduling;

/// <summary>
/// Registers the jobs of <c>sql/schedules/</c> with pg_cron for one database, after migrate: one
/// job per schedule named <c>erpdb:&lt;database&gt;:&lt;schedule&gt;</c>, created in the cron
/// database (<c>cron.database_name</c>) through a connection to it, with
/// <c>cron.schedule_in_database</c>; jobs with that prefix that are no longer declared are removed.
/// It never fails a migrate: where pg_cron is missing or the login may not schedule, it returns
/// notices saying exactly what a DBA must run.
/// </summary>
public sealed class CronScheduler
{
    /// <summary>The schedule (<c>sql/schedules/purge_run_details.sql</c>) that migrate also runs at once.</summary>
    private const string PurgeScheduleName = "purge_run_details";

    private readonly NpgsqlDataSource dataSource;
    private readonly IReadOnlyList<ScheduleScript> schedules;
    private readonly ILogger logger;

    /// <summary>Creates a scheduler for the database of <paramref name="dataSource"/>.</summary>
    /// <param name="dataSource">The migrated database; its login is used for the cron database too.</param>
    /// <param name="schedules">The jobs to declare; by default the embedded <c>sql/schedules/</c>.</param>
    /// <param name="logger">Where progress goes; by default nowhere.</param>
    public CronScheduler(NpgsqlDataSource dataSource, IReadOnlyList<ScheduleScript>? schedules = null, ILogger? logger = null)
    {
        this.dataSource = dataSource;
        this.schedules = schedules ?? ScheduleScript.Embedded();
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>What the name of every job erpdb registers starts with, whatever its database.</summary>
    internal const string JobNameStart = "erpdb:";

    /// <summary>The prefix of every job of a database.</summary>
    public static string JobPrefix(string database) => $"{JobNameStart}{database}:";

    /// <summary>
    /// Each schedule with the command its job runs in this database (its template rendered, all in one round trip), as migrate
    /// registers it and doctor checks it.
    /// </summary>
    internal static async Task<List<(ScheduleScript Schedule, string Command)>> DeclaredAsync(NpgsqlConnection connection,
        IReadOnlyList<ScheduleScript> schedules, string prefix, CancellationToken cancellationToken)
    {
        var commands = (await connection.QueryAsync<string>(new CommandDefinition(CronSql.Render,
            new { templates = schedules.Select(s => s.CommandTemplate).ToArray(), prefix }, cancellationToken: cancellationToken))).ToList();
        return [.. schedules.Zip(commands)];
    }

    /// <summary>Makes pg_cron hold exactly the declared jobs of this database; returns what a DBA should know.</summary>
    public async Task<IReadOnlyList<string>> EnsureAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var probe = await connection.QuerySingleAsync<Probe>(new CommandDefinition(CronSql.Probe, cancellationToken: cancellationToken));
        var prefix = JobPrefix(probe.DatabaseName);
        var jobs = await DeclaredAsync(connection, schedules, prefix, cancellationToken);
        var manual = ManualSql(probe, prefix, jobs);

        if (probe.Available && probe.CronDatabase is null && !probe.ReadsAllSettings)
        {
            return [$"The refresh schedule was not registered: the login {probe.Login} may not read the server settings, so erpdb cannot tell "
                + "whether pg_cron is loaded or which database holds its jobs (cron.database_name). If pg_cron is loaded, a DBA must run:\n" + manual];
        }
        if (!probe.Available || probe.CronDatabase is null || !await IsPreloadedAsync(connection, cancellationToken))
        {
            return [$"pg_cron is not installed and preloaded on this server, so views are not refreshed on a schedule. "
                + "Either run 'erpdb refresh --watch' or host Erp.Db's RefreshWorker, or have a DBA install pg_cron "
                + "(shared_preload_libraries = 'pg_cron', cron.database_name = '<db>', restart) and then run:\n" + manual];
        }

        try
        {
            var cronConnectionString = new NpgsqlConnectionStringBuilder(connection.ConnectionString) { Database = probe.CronDatabase, Pooling = false }.ConnectionString;
            await using var cron = connection.CloneWith(cronConnectionString);
            await cron.OpenAsync(cancellationToken);
            return await SyncAsync(connection, cron, probe, prefix, jobs, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is "42501" or "3F000" or "42883" or "42P01" or "28000" or "28P01" or "3D000")
        {
            // One line: the notice says what to do, and a stack trace of an expected refusal is noise (docs/migrations.md, what a failure logs).
            logger.LogWarning("Could not register the pg_cron jobs of {Database}: {Message} (SQLSTATE {SqlState})", probe.DatabaseName, e.MessageText, e.SqlState);
            return [$"The refresh schedule was not registered: {e.MessageText} (SQLSTATE {e.SqlState}). "
                + "A DBA must run:\n" + manual];
        }
    }

    /// <summary>
    /// Makes the cron database hold exactly the declared jobs, and records in <c>ops.cron_job_schedules</c> of the migrated database
    /// (<paramref name="connection"/>) when each was scheduled: doctor reports a job that never started from that time on (ERPDB018).
    /// </summary>
    private async Task<IReadOnlyList<string>> SyncAsync(NpgsqlConnection connection, NpgsqlConnection cron, Probe probe, string prefix,
        List<(ScheduleScript Schedule, string Command)> jobs, CancellationToken cancellationToken)
    {
        var notices = new List<string>();
        var records = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(CronSql.RecordsSchedules, cancellationToken: cancellationToken));
        if (!await cron.ExecuteScalarAsync<bool>(new CommandDefinition(CronSql.ExtensionExists, cancellationToken: cancellationToken)))
        {
            await cron.ExecuteAsync(new CommandDefinition(CronSql.CreateExtension, cancellationToken: cancellationToken));
            notices.Add($"Created extension pg_cron in database {probe.CronDatabase}.");
        }
        var existing = (await cron.QueryAsync<CronJob>(new CommandDefinition(CronSql.Existing, new { prefix }, cancellationToken: cancellationToken))).ToList();
        var declared = new HashSet<string>();
        var changed = false;
        foreach (var (schedule, command) in jobs)
        {
            var name = prefix + schedule.Name;
            declared.Add(name);
            var database = schedule.RunsInCronDatabase ? probe.CronDatabase! : probe.DatabaseName;
            var current = existing.FirstOrDefault(j => j.JobName == name);
            if (current is not null && current.Schedule == schedule.Cron && current.Command == command && current.DatabaseName == database)
            {
                if (records)
                {
                    await connection.ExecuteAsync(new CommandDefinition(CronSql.RecordSchedule,
                        new { name, jobId = current.JobId, rescheduled = false }, cancellationToken: cancellationToken));
                }
                continue;
            }
            if (current is not null)
            {
                await cron.ExecuteAsync(new CommandDefinition(CronSql.Unschedule, new { jobId = current.JobId }, cancellationToken: cancellationToken));
            }
            var jobId = await cron.ExecuteScalarAsync<long>(new CommandDefinition(CronSql.ScheduleInDatabase,
                new { name, schedule = schedule.Cron, command, database }, cancellationToken: cancellationToken));
            if (records)
            {
                await connection.ExecuteAsync(new CommandDefinition(CronSql.RecordSchedule,
                    new { name, jobId, rescheduled = true }, cancellationToken: cancellationToken));
            }
            notices.Add($"Scheduled pg_cron job {name} ({schedule.Cron}) in database {database}.");
            changed = true;
            logger.LogInformation("Scheduled pg_cron job {Job}", name);
        }
        foreach (var stale in existing.Where(j => !declared.Contains(j.JobName)))
        {
            await cron.ExecuteAsync(new CommandDefinition(CronSql.Unschedule, new { jobId = stale.JobId }, cancellationToken: cancellationToken));
            notices.Add($"Removed pg_cron job {stale.JobName}, no longer declared.");
            changed = true;
        }
        if (records)
        {
            await connection.ExecuteAsync(new CommandDefinition(CronSql.ForgetSchedules, new { declared = declared.ToArray() }, cancellationToken: cancellationToken));
        }
        if (changed)
        {
            await ReloadSchedulerAsync(cron, notices, cancellationToken);
        }
        // Purge the run history now as well: the same command the purge_run_details schedule runs daily, when it is declared.
        foreach (var (_, command) in jobs.Where(j => j.Schedule.Name == PurgeScheduleName && j.Schedule.RunsInCronDatabase))
        {
            await cron.ExecuteAsync(new CommandDefinition(command, cancellationToken: cancellationToken));
        }
        return notices;
    }

    /// <summary>
    /// After jobs were added, changed or removed: pg_cron 1.4 (Debian 12's) did not always see them. On erpdb's local server, with one
    /// warehouse's every-minute jobs running, the jobs of three warehouses migrated later had not started 38 minutes on; after a
    /// SIGHUP, which makes its scheduler reload the job list, they started at the next minute. A login that may not send it gets a
    /// notice saying what to run instead.
    /// </summary>
    private async Task ReloadSchedulerAsync(NpgsqlConnection cron, List<string> notices, CancellationToken cancellationToken)
    {
        if (await cron.ExecuteScalarAsync<bool>(new CommandDefinition(CronSql.ReloadScheduler, cancellationToken: cancellationToken)))
        {
            logger.LogInformation("Signalled pg_cron's scheduler to reload its jobs (pg_reload_conf)");
            return;
        }
        notices.Add("pg_cron may not start changed jobs until its scheduler reloads them, and this login may not signal it: "
            + "a superuser can run SELECT pg_reload_conf() (which also makes the server re-read its configuration files).");
    }

    private static async Task<bool> IsPreloadedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(CronSql.Preloaded, cancellationToken: cancellationToken));
        }
        catch (PostgresException e) when (e.SqlState == "42501")
        {
            // Not allowed to read the setting: cron.database_name exists only when pg_cron is loaded.
            return true;
        }
    }

    /// <summary>
    /// What a superuser runs in the cron database when migrate could not register the jobs. Each job names the login as its user:
    /// pg_cron runs a job as the user it names, and one scheduled by a superuser without a user would run as that superuser the
    /// routines the login (a member of erp_owner) may replace, so the login could make itself superuser. The database of a job that
    /// runs in the cron database is <c>current_database()</c> when erpdb cannot tell which it is, so the lines run as printed.
    /// </summary>
    private static string ManualSql(Probe probe, string prefix, IEnumerable<(ScheduleScript Schedule, string Command)> jobs)
    {
        var login = Identifier(probe.Login);
        var lines = new List<string>
        {
            $"-- as a superuser, in the cron database ({probe.CronDatabase ?? "SHOW cron.database_name"}); each job runs as {login}, the login that migrates, whoever runs these lines",
            "CREATE EXTENSION IF NOT EXISTS pg_cron;",
            $"GRANT USAGE ON SCHEMA cron TO {login};  -- its purge job deletes its own runs; doctor reads its jobs",
        };
        if (!probe.ReadsAllSettings)
        {
            lines.Add($"GRANT pg_read_all_settings TO {login};  -- lets erpdb migrate and doctor find cron.database_name and check these jobs");
        }
        foreach (var (schedule, command) in jobs)
        {
            var database = schedule.RunsInCronDatabase ? (probe.CronDatabase is { } cron ? Literal(cron) : "current_database()") : Literal(probe.DatabaseName);
            lines.Add($"SELECT cron.schedule_in_database({Literal(prefix + schedule.Name)}, {Literal(schedule.Cron)}, {Literal(command)}, {database}, {Literal(probe.Login)});");
        }
        lines.Add("SELECT pg_reload_conf();  -- pg_cron 1.4 starts new jobs only once its scheduler reloads");
        return string.Join('\n', lines);
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Identifier(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private sealed record Probe(bool Available, string? CronDatabase, string DatabaseName, string Login, bool ReadsAllSettings);
}
