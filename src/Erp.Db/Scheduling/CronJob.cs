namespace Erp.Db.Scheduling;

/// <summary>A row of pg_cron's <c>cron.job</c>.</summary>
/// <param name="JobId">pg_cron's id.</param>
/// <param name="JobName">erpdb:&lt;database&gt;:&lt;schedule&gt;.</param>
/// <param name="Schedule">The cron expression.</param>
/// <param name="Command">The SQL it runs.</param>
/// <param name="DatabaseName">The database it runs in.</param>
public sealed record CronJob(long JobId, string JobName, string Schedule, string Command, string DatabaseName);
