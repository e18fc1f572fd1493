namespace Erp.Db.Health;

/// <summary>
/// The codes <see cref="DatabaseDoctor"/> adds to those of <c>ops.health_problems()</c>
/// (ERPDB001..ERPDB009, ERPDB017, ERPDB019 and ERPDB021, defined in the database); all are listed in docs/doctor.md.
/// </summary>
public static class HealthCodes
{
    /// <summary>A script migrate would run (new or changed repeatable).</summary>
    public const string PendingScript = "ERPDB010";

    /// <summary>An applied migration whose file changed or is missing.</summary>
    public const string Drift = "ERPDB011";

    /// <summary>pg_cron is installed but a declared job of this database is not registered.</summary>
    public const string CronJobMissing = "ERPDB012";

    /// <summary>The last run of a pg_cron job of this database failed.</summary>
    public const string CronJobFailing = "ERPDB013";

    /// <summary><c>cron.job_run_details</c> keeps this database's run history longer than the purge allows.</summary>
    public const string CronHistoryGrowing = "ERPDB014";

    /// <summary>pg_cron is installed but the login may not read its jobs.</summary>
    public const string CronUnreadable = "ERPDB015";

    /// <summary>
    /// pg_cron still runs erpdb jobs for a database that no longer exists (dropped or renamed without removing its jobs);
    /// reported by the doctor of any warehouse of the server.
    /// </summary>
    public const string CronJobsOrphaned = "ERPDB016";

    /// <summary>
    /// pg_cron does not start a job of this database: it is inactive, or no run has started for twice its period and ten minutes
    /// more (a scheduler that stopped, or one waiting for a long job of another database), or none ever started though migrate
    /// scheduled it longer ago than that (<c>ops.cron_job_schedules</c>; pg_cron 1.4 not reloading its jobs).
    /// </summary>
    public const string CronJobIdle = "ERPDB018";

    /// <summary>
    /// An index, trigger, constraint, row level security policy or flag, column NOT NULL or default, or privilege that erpdb migrate
    /// left (<c>ops.schema_objects</c>) is missing or defined otherwise now (dropped, changed or revoked by hand), or a privilege of
    /// erp_owner, erp_reader, erp_writer or PUBLIC was granted by hand since. The fix gives the statement that makes it again (or the REVOKE).
    /// </summary>
    public const string SchemaObjectChanged = "ERPDB020";
}
