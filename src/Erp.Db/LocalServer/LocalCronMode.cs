namespace Erp.Db.LocalServer;

/// <summary>How pg_cron runs the jobs of a local server (docs/refresh-watchdog.md, "pg_cron 1.4's rounds and the local server").</summary>
public enum LocalCronMode
{
    /// <summary>pg_cron is not in <c>shared_preload_libraries</c>: no job runs.</summary>
    NotPreloaded,

    /// <summary>
    /// <c>cron.use_background_workers = on</c> (servers created by an older erpdb): jobs run inside the server as any login, but
    /// with pg_cron 1.4 every round of jobs waits for the longest one.
    /// </summary>
    BackgroundWorkers,

    /// <summary>
    /// libpq connections through the server's private unix socket (<c>cron.host</c> is its folder), which pg_hba trusts and only
    /// the server's operating system user may open: the jobs of any login connect, without a stored password.
    /// </summary>
    PrivateSocket,

    /// <summary>
    /// libpq connections over TCP (<c>cron.host = '127.0.0.1'</c>) that log in by scram-sha-256 with the postmaster's password
    /// file: only the logins that file holds (the superuser's) connect; the jobs of any other login fail.
    /// </summary>
    Password,
}
