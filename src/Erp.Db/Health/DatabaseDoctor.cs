using System.Globalization;
using Dapper;
using Erp.Db.Migrations;
using Erp.Db.Migrations.Engine;
using Erp.Db.Scheduling;
using Npgsql;

namespace Erp.Db.Health;

/// <summary>
/// Lists everything a DBA should act on (<c>erpdb doctor</c>, docs/doctor.md): the database's own
/// checks (<c>ops.health_problems()</c>: isolation, views, refresh locks, partitions, time zone), scripts that
/// are pending or drifted, and, where pg_cron is installed, this database's jobs and the erpdb jobs
/// left behind by databases that no longer exist. Empty = healthy.
/// The login should be a member of <c>erp_owner</c>.
/// </summary>
public sealed class DatabaseDoctor
{
    private readonly NpgsqlDataSource dataSource;
    private readonly MigrationRunner migrations;
    private readonly IReadOnlyList<ScheduleScript> schedules;

    /// <summary>Creates a doctor for the database of <paramref name="dataSource"/>; scripts are compared with the default migrate variables.</summary>
    /// <param name="dataSource">The warehouse database.</param>
    /// <param name="catalog">The scripts to compare with; by default the embedded ones.</param>
    /// <param name="schedules">The pg_cron jobs that should exist; by default the embedded <c>sql/schedules/</c>.</param>
    public DatabaseDoctor(NpgsqlDataSource dataSource, ScriptCatalog? catalog = null, IReadOnlyList<ScheduleScript>? schedules = null)
        : this(dataSource, new MigrationRunner(dataSource, catalog), schedules)
    {
    }

    /// <summary>A doctor that compares scripts as <paramref name="migrations"/> does (its scripts and variables, <see cref="ErpDatabase.Doctor"/>).</summary>
    internal DatabaseDoctor(NpgsqlDataSource dataSource, MigrationRunner migrations, IReadOnlyList<ScheduleScript>? schedules = null)
    {
        this.dataSource = dataSource;
        this.migrations = migrations;
        this.schedules = schedules ?? ScheduleScript.Embedded();
    }

    /// <summary>Every problem found, database checks first, then scripts, then pg_cron.</summary>
    /// <exception cref="WarehouseAccessException">The login is not the migrating login (a member of erp_owner), the server refused the login, or the database does not exist.</exception>
    public Task<IReadOnlyList<HealthProblem>> CheckAsync(CancellationToken cancellationToken = default) =>
        WarehouseErrors.GuardAccessAsync(RequiredRole.Owner, () => RunChecksAsync(cancellationToken));

    private async Task<IReadOnlyList<HealthProblem>> RunChecksAsync(CancellationToken cancellationToken)
    {
        var status = await migrations.StatusAsync(cancellationToken);
        // A database never migrated is one problem, not one per script and job (200 lines that all say the same).
        if (status.Scripts.All(s => s.State == ScriptState.Pending && s.AppliedSha256 is null))
        {
            return [new HealthProblem(HealthCodes.PendingScript, "error", $"database {status.Database}",
                $"not migrated: none of its {status.Scripts.Count} scripts is applied", "Run: erpdb migrate")];
        }
        var problems = new List<HealthProblem>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT to_regprocedure('ops.health_problems()') IS NOT NULL", cancellationToken: cancellationToken)))
        {
            problems.AddRange(await connection.QueryAsync<HealthProblem>(new CommandDefinition(HealthSql.Problems, cancellationToken: cancellationToken)));
        }
        problems.AddRange(status.ToRun.Select(s => new HealthProblem(HealthCodes.PendingScript, "error", s.Name,
            $"{s.State.ToString().ToLowerInvariant()}: {s.Reason ?? "not applied"}", "Run: erpdb migrate")));
        problems.AddRange(status.Drift.Select(s => new HealthProblem(HealthCodes.Drift, "error", s.Name,
            $"{s.State.ToString().ToLowerInvariant()}: {s.Reason ?? "the applied script differs from its file"}",
            "Restore the file as applied (migrations are append-only) and put the change in a new migration")));
        problems.AddRange(status.ObjectDrift.Select(Problem));
        problems.AddRange(await CheckCronAsync(connection, cancellationToken));
        return problems;
    }

    /// <summary>ERPDB020: an index, trigger, constraint, policy, row level security flag, column NOT NULL or default, or privilege changed by hand since migrate recorded it.</summary>
    private static HealthProblem Problem(SchemaObjectDrift drift) => new(HealthCodes.SchemaObjectChanged, drift.Severity, drift.ObjectName, drift.Problem, drift.Fix);

    private async Task<IReadOnlyList<HealthProblem>> CheckCronAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var probe = await connection.QuerySingleAsync<CronProbe>(new CommandDefinition(CronSql.Probe, cancellationToken: cancellationToken));
        if (probe.Available && probe.CronDatabase is null && !probe.ReadsAllSettings)
        {
            return [new HealthProblem(HealthCodes.CronUnreadable, "warning", "cron.database_name",
                $"the login {probe.Login} may not read the server settings, so whether pg_cron runs this database's jobs is unknown",
                "Run erpdb doctor as a superuser or a member of pg_read_all_settings")];
        }
        if (!probe.Available || probe.CronDatabase is null)
        {
            // No pg_cron: the due refresh runs from RefreshWorker or erpdb refresh --watch, which stale views reveal.
            return [];
        }
        var prefix = CronScheduler.JobPrefix(probe.DatabaseName);
        List<CronJobState> jobs;
        List<OrphanedCronJob> orphans;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connection.ConnectionString) { Database = probe.CronDatabase, Pooling = false };
            await using var cron = connection.CloneWith(builder.ConnectionString);
            await cron.OpenAsync(cancellationToken);
            jobs = [.. await cron.QueryAsync<CronJobState>(new CommandDefinition(HealthSql.CronJobs, new { prefix }, cancellationToken: cancellationToken))];
            orphans = [.. await cron.QueryAsync<OrphanedCronJob>(new CommandDefinition(HealthSql.OrphanedCronJobs,
                new { start = CronScheduler.JobNameStart }, cancellationToken: cancellationToken))];
        }
        catch (PostgresException e) when (e.SqlState is "42501" or "3F000" or "42P01" or "28000" or "28P01" or "3D000")
        {
            return [new HealthProblem(HealthCodes.CronUnreadable, "warning", $"database {probe.CronDatabase}",
                $"cannot read the pg_cron jobs: {e.MessageText} (SQLSTATE {e.SqlState})",
                "Run erpdb doctor as a login that may read schema cron in the cron database, or have a DBA run erpdb migrate")];
        }

        // When migrate scheduled each job (by job id): a job that never started is reported from then on.
        var scheduledAt = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(HealthSql.HasCronJobSchedules, cancellationToken: cancellationToken))
            ? (await connection.QueryAsync<CronJobSchedule>(new CommandDefinition(HealthSql.CronJobSchedules, cancellationToken: cancellationToken)))
                .ToDictionary(s => s.JobId, s => s.ScheduledAt)
            : [];

        var problems = new List<HealthProblem>();
        foreach (var (schedule, command) in await CronScheduler.DeclaredAsync(connection, schedules, prefix, cancellationToken))
        {
            var job = jobs.FirstOrDefault(j => j.JobName == prefix + schedule.Name);
            var database = schedule.RunsInCronDatabase ? probe.CronDatabase! : probe.DatabaseName;
            if (job is null)
            {
                problems.Add(new HealthProblem(HealthCodes.CronJobMissing, "error", prefix + schedule.Name,
                    $"the pg_cron job is not registered ({schedule.Cron})", "Run: erpdb migrate (it registers the jobs, or prints what a DBA must run)"));
            }
            else if (Differences(job, schedule.Cron, command, database) is { Count: > 0 } differences)
            {
                // Edited in cron.job by hand (cron.alter_job): migrate registers the declared job again.
                problems.Add(new HealthProblem(HealthCodes.CronJobMissing, "error", job.JobName,
                    $"the pg_cron job is not as sql/schedules declares it: {string.Join("; ", differences)}",
                    "Run: erpdb migrate (it registers the declared schedule, command and database again)"));
            }
        }
        foreach (var job in jobs.Where(j => j.LastStatus == "failed"))
        {
            problems.Add(new HealthProblem(HealthCodes.CronJobFailing, "error", job.JobName,
                $"its last run failed: {job.LastMessage}", "Fix the cause; see SELECT * FROM cron.job_run_details in the cron database"));
        }
        foreach (var job in jobs)
        {
            if (NeverStarted(job, scheduledAt.TryGetValue(job.JobId, out var at) ? at : null) is { } never)
            {
                problems.Add(new HealthProblem(HealthCodes.CronJobIdle, "warning", job.JobName, never,
                    $"In the cron database {probe.CronDatabase}, as a superuser: SELECT pg_reload_conf() (pg_cron 1.4 may not start jobs added after its "
                    + "scheduler started, until it reloads them: docs/refresh-watchdog.md); then check that runs appear: "
                    + $"SELECT status, start_time, return_message FROM cron.job_run_details WHERE jobid = {job.JobId} ORDER BY start_time DESC LIMIT 5. "
                    + "If none appear within its period, see the server log and whether pg_cron's scheduler runs"));
            }
            else if (Idle(job) is { } idle)
            {
                problems.Add(new HealthProblem(HealthCodes.CronJobIdle, "warning", job.JobName, idle,
                    job.Active
                        ? "Check that pg_cron's scheduler runs (cron.job_run_details, the server log); with pg_cron 1.4 and background workers every job "
                          + "waits for the longest running one of the server (docs/refresh-watchdog.md): pg_cron 1.5 or cron.use_background_workers = off avoids it"
                        : $"Start it again, in the cron database {probe.CronDatabase}: UPDATE cron.job SET active = true WHERE jobname = '{job.JobName}'"));
            }
        }
        foreach (var job in jobs.Where(j => j.OldRuns > 0))
        {
            problems.Add(new HealthProblem(HealthCodes.CronHistoryGrowing, "warning", job.JobName,
                $"cron.job_run_details holds {job.OldRuns} runs older than 8 days: the daily purge is not running",
                $"Check the job {prefix}purge_run_details (erpdb migrate registers it)"));
        }
        // Jobs of a database dropped (or renamed) without removing them first: no database's own check would ever see them.
        foreach (var dropped in orphans.GroupBy(j => j.Database))
        {
            problems.Add(new HealthProblem(HealthCodes.CronJobsOrphaned, "warning", $"database {dropped.Key}",
                $"pg_cron still starts {dropped.Count()} erpdb job(s) of this database, which no longer exists (dropped or renamed): every run in it fails. Jobs: "
                + string.Join(", ", dropped.Select(j => j.JobName)),
                $"In the cron database {probe.CronDatabase}, as a superuser or the jobs' owner: SELECT cron.unschedule(jobid) FROM cron.job WHERE jobid IN ("
                + string.Join(", ", dropped.Select(j => j.JobId)) + ")"));
        }
        return problems;
    }

    private sealed record CronProbe(bool Available, string? CronDatabase, string DatabaseName, string Login, bool ReadsAllSettings);

    /// <summary>How a registered job differs from its declaration, in words; none when it is as declared.</summary>
    private static List<string> Differences(CronJobState job, string schedule, string command, string database) =>
    [
        .. job.Schedule == schedule ? Array.Empty<string>() : [$"its schedule is '{job.Schedule}', declared '{schedule}'"],
        .. job.Command == command ? Array.Empty<string>() : [$"its command is '{job.Command}', declared '{command}'"],
        .. job.Database == database ? Array.Empty<string>() : [$"it runs in database {job.Database}, declared {database}"],
    ];

    /// <summary>
    /// Why pg_cron has never started the active <paramref name="job"/>, or null: no run of it in <c>cron.job_run_details</c> though
    /// erpdb migrate scheduled it (<paramref name="scheduledAt"/>, from <c>ops.cron_job_schedules</c> for its job id) longer ago than
    /// twice its period and ten minutes. Without a recorded time (a job scheduled by hand, or before migration 0065) it cannot tell a
    /// new job from a stuck one, and says nothing.
    /// </summary>
    private static string? NeverStarted(CronJobState job, DateTime? scheduledAt)
    {
        if (!job.Active || job.LastStart is not null || scheduledAt is not { } at || CronPeriod(job.Schedule) is not { } period)
        {
            return null;
        }
        var since = job.Now - at;
        return since > 2 * period + TimeSpan.FromMinutes(10)
            ? $"no run has ever started (none in cron.job_run_details), though erpdb migrate scheduled it {Math.Floor(since.TotalMinutes):0} minutes ago "
              + $"({job.Schedule}, {Every(period)})"
            : null;
    }

    /// <summary>
    /// Why pg_cron is not starting <paramref name="job"/>, or null: it is inactive, or no run has started for twice its schedule's
    /// period and ten minutes more (a job that never ran is judged by <see cref="NeverStarted"/>).
    /// </summary>
    private static string? Idle(CronJobState job)
    {
        if (!job.Active)
        {
            return $"the job is inactive (cron.job.active = false): pg_cron does not start it ({job.Schedule})";
        }
        if (job.LastStart is not { } lastStart || CronPeriod(job.Schedule) is not { } period)
        {
            return null;
        }
        var since = job.Now - lastStart;
        return since > 2 * period + TimeSpan.FromMinutes(10)
            ? $"no run has started for {Math.Floor(since.TotalMinutes):0} minutes, though it is scheduled {job.Schedule} ({Every(period)})"
            : null;
    }

    /// <summary>A schedule's period in words: every minute, every 5 minutes, every hour, every 6 hours.</summary>
    private static string Every(TimeSpan period) => period.TotalMinutes switch
    {
        1 => "every minute",
        < 60 => $"every {period.TotalMinutes:0} minutes",
        60 => "every hour",
        _ => $"every {period.TotalHours:0} hours",
    };

    /// <summary>
    /// The time between two starts of a schedule of the shapes sql/schedules uses: every minute (<c>* * * * *</c>), at a minute of
    /// every hour, of every N hours (<c>23 */6 * * *</c>) or of one hour a day; null for any other shape.
    /// </summary>
    internal static TimeSpan? CronPeriod(string schedule)
    {
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5 || fields[2..].Any(f => f != "*"))
        {
            return null;
        }
        if (fields[0] == "*")
        {
            return fields[1] == "*" ? TimeSpan.FromMinutes(1) : null;
        }
        if (!int.TryParse(fields[0], CultureInfo.InvariantCulture, out _))
        {
            return null;
        }
        return fields[1] switch
        {
            "*" => TimeSpan.FromHours(1),
            ['*', '/', .. var every] when int.TryParse(every, CultureInfo.InvariantCulture, out var hours) && hours > 0 => TimeSpan.FromHours(hours),
            var hour when int.TryParse(hour, CultureInfo.InvariantCulture, out _) => TimeSpan.FromDays(1),
            _ => null,
        };
    }

    private sealed record CronJobState(string JobName, string? LastStatus, string? LastMessage, long OldRuns, string Schedule, bool Active,
        DateTime? LastStart, DateTime Now, long JobId, string Command, string Database);

    private sealed record CronJobSchedule(long JobId, DateTime ScheduledAt);

    private sealed record OrphanedCronJob(string Database, string JobName, long JobId);
}
