namespace Erp.Db.Cli;

/// <summary>The process exit codes of erpdb.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Anything that is not the caller's input: the database, a script, the server.</summary>
    public const int Failure = 1;

    /// <summary>Bad usage or input: unknown option, malformed value, a merchant or the connection's database that does not exist (NOT_FOUND).</summary>
    public const int Usage = 2;

    /// <summary>verify: scripts are pending.</summary>
    public const int Pending = 3;

    /// <summary>verify: applied migrations were changed or removed, or objects changed by hand with error severity (ERPDB020).</summary>
    public const int Drift = 4;

    /// <summary>doctor: something needs a DBA's action.</summary>
    public const int NeedsAction = 5;

    /// <summary>verify: the merchant isolation check lists problems (ops.merchant_isolation_problems()).</summary>
    public const int IsolationProblem = 6;

    /// <summary>FORBIDDEN: the login may not read the merchant asked for (whether it exists is not said), or PostgreSQL refused a permission (SQLSTATE 42501).</summary>
    public const int Forbidden = 7;

    /// <summary>MIGRATION_LOCKED: migrate ran nothing, another session holds the migration lock; run it again once that session has ended.</summary>
    public const int Locked = 8;
}
