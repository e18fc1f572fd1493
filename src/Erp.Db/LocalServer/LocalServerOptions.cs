namespace Erp.Db.LocalServer;

/// <summary>Where and how the private local PostgreSQL runs. Immutable once built.</summary>
public sealed record LocalServerOptions
{
    /// <summary>The folder that holds the cluster (data/), its password, its port and pg_cron's private socket (socket/); by default <see cref="DefaultHome"/>.</summary>
    public string Home { get; init; } = DefaultHome();

    /// <summary>The folder with initdb, pg_ctl and postgres; by default ERPDB_PG_BIN, else the newest /usr/lib/postgresql/*/bin, else PATH.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>The database created for erpdb, and the one pg_cron schedules from.</summary>
    public string Database { get; init; } = "erpdb";

    /// <summary>Preload pg_cron when it is installed (the default); false starts the server without it, as on a managed database that lacks it.</summary>
    public bool PgCron { get; init; } = true;

    /// <summary>
    /// False trades crash safety for speed (fsync off): for throwaway test clusters only. True (the
    /// default) keeps fsync on but commits asynchronously, which may lose the last moments of work
    /// in a crash, never corrupt it.
    /// </summary>
    public bool Durable { get; init; } = true;

    /// <summary>
    /// ERPDB_HOME if set; otherwise /var/lib/erpdb for root (the server then runs as the postgres
    /// user, which cannot enter /root), else $XDG_DATA_HOME/erpdb or ~/.local/share/erpdb.
    /// </summary>
    public static string DefaultHome()
    {
        var configured = Environment.GetEnvironmentVariable("ERPDB_HOME");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }
        if (Environment.UserName == "root")
        {
            return "/var/lib/erpdb";
        }
        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(string.IsNullOrEmpty(dataHome)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : dataHome, "erpdb");
    }
}
