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

/// <summary>A script failed; nothing of it was applied or journaled.</summary>
public sealed class MigrationScriptException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    public MigrationScriptException(string scriptName, int? line, string? sqlState, string databaseMessage, Exception inner)
        : base($"{scriptName}{(line is null ? "" : $", line {line}")}: {databaseMessage}"
            + $"{(sqlState is null ? "" : $" (SQLSTATE {sqlState})")}. Nothing of this script was applied; fix it and run migrate again.", inner)
    {
        ScriptName = scriptName;
        Line = line;
        SqlState = sqlState;
        DatabaseMessage = databaseMessage;
    }

    /// <summary>The failing script, relative to <c>sql/</c>.</summary>
    public string ScriptName { get; }

    /// <summary>The 1-based line of the script where PostgreSQL reported the error, when known.</summary>
    public int? Line { get; }

    /// <summary>PostgreSQL's SQLSTATE code, when the error came from the server.</summary>
    public string? SqlState { get; }

    /// <summary>PostgreSQL's message.</summary>
    public string DatabaseMessage { get; }
}
