namespace Erp.Db.Health;

/// <summary>The statements <see cref="DatabaseDoctor"/> sends.</summary>
internal static class HealthSql
{
    public const string Problems = """
        SELECT code AS Code, severity AS Severity, object_name AS ObjectName, problem AS Problem, fix AS Fix
        FROM ops.health_problems()
        """;

    /// <summary>
    /// In the cron database: this database's jobs with their schedule, whether pg_cron starts them, their last run, when a run
    /// last started and their run history older than the purge keeps.
    /// </summary>
    public const string CronJobs = """
        SELECT j.jobname AS JobName,
               last.status AS LastStatus,
               last.return_message AS LastMessage,
               (SELECT count(*) FROM cron.job_run_details AS d
                WHERE d.jobid = j.jobid AND d.end_time < now() - interval '8 days') AS OldRuns,
               j.schedule AS Schedule,
               j.active AS Active,
               (SELECT max(d.start_time) FROM cron.job_run_details AS d WHERE d.jobid = j.jobid) AS LastStart,
               now() AS Now,
               j.jobid AS JobId,
               j.command AS Command,
               j.database AS Database
        FROM cron.job AS j
        LEFT JOIN LATERAL (
            SELECT d.status, d.return_message FROM cron.job_run_details AS d
            WHERE d.jobid = j.jobid AND d.status IN ('succeeded', 'failed')
            ORDER BY d.start_time DESC LIMIT 1
        ) AS last ON true
        WHERE starts_with(j.jobname, @prefix)
        """;

    /// <summary>
    /// On the warehouse: when erpdb migrate (re)scheduled each of its pg_cron jobs, by job id (<c>ops.cron_job_schedules</c>, migration
    /// 0065; nothing before it).
    /// </summary>
    public const string CronJobSchedules = """
        SELECT s.job_id AS JobId, s.scheduled_at AS ScheduledAt
        FROM ops.cron_job_schedules AS s
        """;

    public const string HasCronJobSchedules = "SELECT pg_catalog.to_regclass('ops.cron_job_schedules') IS NOT NULL";

    /// <summary>
    /// In the cron database: the erpdb jobs (named <c>erpdb:&lt;database&gt;:&lt;schedule&gt;</c>, the schedule without a
    /// colon) whose database no longer exists, with that database's name. pg_cron starts them all the same: those that run
    /// in it fail, the purge (which runs in the cron database) goes on purging for nothing.
    /// </summary>
    public const string OrphanedCronJobs = """
        SELECT o.database AS Database, o.jobname AS JobName, o.jobid AS JobId
        FROM (SELECT j.jobid, j.jobname, substring(j.jobname FROM length(@start) + 1 FOR length(j.jobname) - length(@start) - strpos(reverse(j.jobname), ':')) AS database
              FROM cron.job AS j
              WHERE starts_with(j.jobname, @start)) AS o
        WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_database AS d WHERE d.datname = o.database)
        ORDER BY o.database, o.jobname
        """;
}
