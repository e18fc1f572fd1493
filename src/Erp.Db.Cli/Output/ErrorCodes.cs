namespace Erp.Db.Cli.Output;

/// <summary>The error codes of the JSON envelope (docs/assistants.md lists them).</summary>
internal static class ErrorCodes
{
    public const string Validation = "VALIDATION_ERROR";
    public const string NotFound = "NOT_FOUND";
    public const string Unauthorized = "UNAUTHORIZED";

    /// <summary>The login may not read what was asked: a merchant not granted to it (missing or another's, alike), or a permission error (SQLSTATE 42501). Exit code <see cref="ExitCodes.Forbidden"/>.</summary>
    public const string Forbidden = "FORBIDDEN";

    public const string Server = "SERVER_ERROR";
    public const string Timeout = "TIMEOUT";
    public const string DbUnavailable = "DB_UNAVAILABLE";

    /// <summary>A warehouse table, view or schema (dw, mart, ops) does not exist: the database was never migrated, or by an older erpdb.</summary>
    public const string NotMigrated = "NOT_MIGRATED";
    public const string MigrationFailed = "MIGRATION_FAILED";
    /// <summary>migrate ran nothing: a session whose login may not migrate (a reader, an app) holds the migration lock (exit <see cref="ExitCodes.Locked"/>).</summary>
    public const string MigrationLocked = "MIGRATION_LOCKED";
    /// <summary>An applied migration was changed or removed: migrate refuses (exit <see cref="ExitCodes.Failure"/>), verify fails (exit <see cref="ExitCodes.Drift"/>).</summary>
    public const string Drift = "DRIFT";

    /// <summary>verify: scripts are pending (exit <see cref="ExitCodes.Pending"/>); run migrate.</summary>
    public const string Pending = "PENDING";
    public const string Downgrade = "DOWNGRADE";
    public const string RefreshFailed = "REFRESH_FAILED";
    public const string IsolationProblem = "ISOLATION_PROBLEM";
}
