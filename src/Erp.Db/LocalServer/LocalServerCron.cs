namespace Erp.Db.LocalServer;

/// <summary>How pg_cron runs on a local server, as <c>erpdb server status</c> shows it.</summary>
/// <param name="Available">pg_cron is installed on the machine (<c>pg_available_extensions</c>).</param>
/// <param name="Preloaded">pg_cron is in <c>shared_preload_libraries</c>, so its scheduler runs.</param>
/// <param name="Database"><c>cron.database_name</c>, the database that holds the jobs; null when pg_cron is not preloaded.</param>
/// <param name="UseBackgroundWorkers"><c>cron.use_background_workers</c>; null when pg_cron is not preloaded.</param>
/// <param name="Host"><c>cron.host</c>, where job connections go (a folder: a unix socket); null when pg_cron is not preloaded.</param>
/// <param name="Mode">How the jobs run and log in.</param>
/// <param name="AnyLogin">True when the jobs of every login can run, not only the superuser's.</param>
/// <param name="Warning">What keeps jobs from running or exposes the server, and what to do; null when nothing does.</param>
public sealed record LocalServerCron(bool Available, bool Preloaded, string? Database, bool? UseBackgroundWorkers, string? Host,
    LocalCronMode Mode, bool AnyLogin, string? Warning);
