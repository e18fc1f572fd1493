namespace Erp.Db.Scheduling;

/// <summary>The statements <see cref="CronScheduler"/> sends; the jobs' own SQL is in <c>sql/schedules/</c>.</summary>
internal static class CronSql
{
    /// <summary>On the migrated database: can pg_cron be used on this server, and where does it live.</summary>
    public const string Probe = """
        SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'pg_cron') AS Available,
               -- cron.database_name is superuser-only: current_setting() raises 42501 for other logins even
               -- with missing_ok, while pg_settings just leaves the row out.
               (SELECT s.setting FROM pg_catalog.pg_settings AS s WHERE s.name = 'cron.database_name') AS CronDatabase,
               pg_catalog.current_database()::text AS DatabaseName,
               session_user::text AS Login,
               (SELECT r.rolsuper FROM pg_catalog.pg_roles AS r WHERE r.rolname = session_user)
                   OR pg_catalog.pg_has_role(session_user, 'pg_read_all_settings', 'USAGE') AS ReadsAllSettings
        """;

    /// <summary>Whether pg_cron is in shared_preload_libraries (needs pg_read_all_settings; 42501 otherwise).</summary>
    public const string Preloaded = "SELECT pg_catalog.current_setting('shared_preload_libraries') ~ '(^|[, ])pg_cron($|[, ])'";

    public const string CreateExtension = "CREATE EXTENSION IF NOT EXISTS pg_cron";

    public const string ExtensionExists = "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron')";

    /// <summary>Each command template, in order, with the job prefix filled in, by format() so the prefix is a proper literal.</summary>
    public const string Render = "SELECT pg_catalog.format(t.template, @prefix) FROM unnest(@templates) WITH ORDINALITY AS t (template, n) ORDER BY t.n";

    /// <summary>
    /// The jobs of one database: the prefix <c>erpdb:&lt;database&gt;:</c> followed by a schedule name,
    /// which never holds a colon, so database <c>erp</c> does not claim the jobs of database <c>erp:x</c>.
    /// </summary>
    public const string Existing = """
        SELECT jobid AS JobId, jobname AS JobName, schedule AS Schedule, command AS Command, database AS DatabaseName
        FROM cron.job
        WHERE starts_with(jobname, @prefix) AND strpos(substr(jobname, length(@prefix) + 1), ':') = 0
        """;

    /// <summary>
    /// On the migrated database: whether it has <c>ops.cron_job_schedules</c> (migration 0065) and the login may write it.
    /// </summary>
    public const string RecordsSchedules = """
        SELECT pg_catalog.to_regclass('ops.cron_job_schedules') IS NOT NULL
               AND pg_catalog.has_table_privilege('ops.cron_job_schedules', 'INSERT, UPDATE, DELETE')
        """;

    /// <summary>
    /// On the migrated database: records that a job was scheduled now (<c>@rescheduled</c>), or, for a job left as it was, that it
    /// is scheduled at least since now when no time is recorded for its job id yet (scheduled before 0065, or by hand).
    /// </summary>
    public const string RecordSchedule = """
        INSERT INTO ops.cron_job_schedules AS s (job_name, job_id, scheduled_at) VALUES (@name, @jobId, now())
        ON CONFLICT (job_name) DO UPDATE SET job_id = excluded.job_id, scheduled_at = excluded.scheduled_at
        WHERE @rescheduled OR s.job_id IS DISTINCT FROM excluded.job_id
        """;

    /// <summary>On the migrated database: forgets the jobs no longer scheduled.</summary>
    public const string ForgetSchedules = "DELETE FROM ops.cron_job_schedules WHERE NOT (job_name = ANY(@declared))";

    public const string Unschedule = "SELECT cron.unschedule(@jobId)";

    public const string ScheduleInDatabase = "SELECT cron.schedule_in_database(@name, @schedule, @command, @database)";

    public const string ScheduleHere = "SELECT cron.schedule(@name, @schedule, @command)";

    /// <summary>
    /// Makes pg_cron's scheduler reload its job list (its SIGHUP handler marks the list stale), where the login may send the signal:
    /// true when sent. pg_reload_conf() is the one way SQL sends a SIGHUP, and it goes to every process of the server, which also
    /// re-read the configuration files (docs/refresh-watchdog.md, "New jobs and pg_cron 1.4").
    /// </summary>
    public const string ReloadScheduler = """
        SELECT CASE WHEN pg_catalog.has_function_privilege('pg_catalog.pg_reload_conf()', 'EXECUTE')
                    THEN pg_catalog.pg_reload_conf() ELSE false END
        """;
}
