namespace Erp.Db.Migrations;

/// <summary>Migrate refused to run or a script failed; the message says which script and what to do.</summary>
public class MigrationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MigrationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>Migrate refused to run because applied migrations were changed or removed.</summary>
public sealed class MigrationDriftException : MigrationException
{
    /// <summary>Creates the exception for the drifted scripts.</summary>
    public MigrationDriftException(IReadOnlyList<ScriptStatus> drift)
        : base($"Refusing to migrate: {string.Join(", ", drift.Select(d => $"{d.Name} ({d.Reason})"))}. "
            + "Applied migrations are append-only: restore the original file and put the change in a new migration.")
        => Drift = drift;

    /// <summary>The drifted scripts.</summary>
    public IReadOnlyList<ScriptStatus> Drift { get; }
}

/// <summary>Migrate refused to re-apply repeatable scripts over newer texts of them.</summary>
public sealed class MigrationDowngradeException : MigrationException
{
    /// <summary>Creates the exception for the scripts that would be rolled back.</summary>
    public MigrationDowngradeException(IReadOnlyList<ScriptStatus> downgrades)
        : base($"Refusing to migrate: this erpdb would roll back {string.Join(", ", downgrades.Select(d => $"{d.Name} ({d.Reason})"))}. "
            + "Migrate with the newer erpdb, or pass --allow-downgrade (MigrationOptions.AllowDowngrade) to roll them back on purpose.")
        => Downgrades = downgrades;

    /// <summary>The repeatable scripts whose older text would be applied.</summary>
    public IReadOnlyList<ScriptStatus> Downgrades { get; }
}

/// <summary>
/// A script failed. A transactional script left nothing applied or journaled; a no-transaction
/// script keeps the statements before the failing one (<see cref="StatementsApplied"/>).
/// </summary>
public sealed class MigrationScriptException : MigrationException
{
    /// <summary>Creates the exception for a script of which nothing was applied.</summary>
    public MigrationScriptException(string scriptName, int? line, string? sqlState, string databaseMessage, Exception inner)
        : this(scriptName, line, sqlState, databaseMessage, inner, 0, 0)
    {
    }

    /// <summary>Creates the exception; <paramref name="statementsApplied"/> of <paramref name="statementCount"/> statements stay applied.</summary>
    public MigrationScriptException(string scriptName, int? line, string? sqlState, string databaseMessage, Exception inner, int statementsApplied, int statementCount)
        : base($"{scriptName}{(line is null ? "" : $", line {line}")}: {databaseMessage}"
            + $"{(sqlState is null ? "" : $" (SQLSTATE {sqlState})")}. " + Outcome(statementsApplied, statementCount, sqlState), inner)
    {
        ScriptName = scriptName;
        Line = line;
        SqlState = sqlState;
        DatabaseMessage = databaseMessage;
        StatementsApplied = statementsApplied;
    }

    /// <summary>The failing script, relative to <c>sql/</c>.</summary>
    public string ScriptName { get; }

    /// <summary>The 1-based line of the script where PostgreSQL reported the error, when known.</summary>
    public int? Line { get; }

    /// <summary>PostgreSQL's SQLSTATE code, when the error came from the server.</summary>
    public string? SqlState { get; }

    /// <summary>PostgreSQL's message.</summary>
    public string DatabaseMessage { get; }

    /// <summary>
    /// Statements of the script that were applied and committed before the failing one: always 0
    /// for a script that runs in a transaction. For a no-transaction script they are journaled, and
    /// the next migrate resumes at the failing statement.
    /// </summary>
    public int StatementsApplied { get; }

    /// <summary>The failing statement's text, when known (the view rebuild probes it for the views in its way).</summary>
    internal string? Statement { get; init; }

    private static string Outcome(int applied, int count, string? sqlState) => applied == 0
        ? sqlState == InsufficientPrivilege
            ? $"Nothing of this script was applied. {PrivilegeHint} Then run migrate again."
            : "Nothing of this script was applied; fix it and run migrate again."
        : $"This script runs without a transaction (erpdb:no-transaction): statements 1..{applied} of {count} were applied and committed; "
            + $"statement {applied + 1} failed. The journal records that, and the next migrate resumes at statement {applied + 1}: "
            + (sqlState == InsufficientPrivilege
                ? $"{PrivilegeHint} Then run migrate again."
                : $"fix that statement (leave statements 1..{applied} unchanged) and run migrate again.");

    /// <summary>SQLSTATE 42501: the server refused the login a privilege, which no edit of the script fixes.</summary>
    private const string InsufficientPrivilege = "42501";

    /// <summary>
    /// What to do when the migrating login lacks a privilege: the script is usually right, the login is not. Migration 0002
    /// creates the group roles when absent, comments them and makes the login a member of erp_owner, which needs CREATEROLE
    /// (on PostgreSQL 16 and later also ADMIN OPTION on roles that already exist); later scripts run as erp_owner.
    /// </summary>
    private const string PrivilegeHint =
        "PostgreSQL refused the migrating login a privilege the script needs. Migrate as a superuser, or as the "
        + "database's owner with CREATEROLE (ALTER ROLE <login> CREATEROLE; on PostgreSQL 16 and later, when erp_owner, erp_writer "
        + "and erp_reader already exist, also GRANT them to the login WITH ADMIN OPTION): the first migrate creates those roles "
        + "and makes the login a member of erp_owner, and every later script runs as erp_owner (docs/migrations.md, \"Who may migrate\").";
}

/// <summary>
/// Migrate did not wait for its advisory lock because a session that may not migrate holds it (a
/// reader, say): that session would be waited for without end. Nothing was run. End the session
/// (<c>SELECT pg_terminate_backend(pid)</c>) and migrate again. Sessions that may migrate
/// themselves (a superuser, this login, members of the database's or the warehouse schemas' owner)
/// are waited for instead (docs/migrations.md).
/// </summary>
public sealed class MigrationLockedException : MigrationException
{
    /// <summary>Creates the exception for the holders of the lock on <paramref name="database"/>.</summary>
    public MigrationLockedException(string database, IReadOnlyList<MigrationLockHolder> holders)
        : base($"Refusing to wait for the migrate lock of {database}: it is held by {string.Join(", ", holders)}, "
            + "a session whose login may not migrate (not a superuser, nor this login, nor a member of the role that owns the database or the warehouse schemas), "
            + "so migrate would wait for it without end. Nothing was run. End that session ("
            + string.Join("; ", holders.Select(h => h.ProcessId is int pid ? $"SELECT pg_terminate_backend({pid})" : "ROLLBACK PREPARED its gid"))
            + ") and run migrate again.")
        => Holders = holders;

    /// <summary>The sessions holding the lock, none of which may migrate.</summary>
    public IReadOnlyList<MigrationLockHolder> Holders { get; }
}
