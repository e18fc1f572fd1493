namespace Erp.Db.Health;

/// <summary>The statements <see cref="DatabaseDoctor"/> sends.</summary>
internal static class HealthSql
{
    public const string Problems = """
        SELECT code AS Code, severity AS Severity, object_name AS ObjectName, problem AS Problem, fix AS Fix
        FROM ops.health_problems()
        """;

    /// <summary>In the cron database: this database's jobs with their last run and their run history older than the purge keeps.</summary>
    public const string CronJobs = """
        SELECT j.jobname AS JobName,
               last.status AS LastStatus,
               last.return_message AS LastMessage,
               (SELECT count(*) FROM cron.job_run_details AS d
                WHERE d.jobid = j.jobid AND d.end_time < now() - interval '8 days') AS OldRuns
        FROM cron.job AS j
        LEFT JOIN LATERAL (
            SELECT d.status, d.return_message FROM cron.job_run_details AS d
            WHERE d.jobid = j.jobid AND d.status IN ('succeeded', 'failed')
            ORDER BY d.start_time DESC LIMIT 1
        ) AS last ON true
        WHERE starts_with(j.jobname, @prefix)
        """;
}
