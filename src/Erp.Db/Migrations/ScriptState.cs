namespace Erp.Db.Migrations;

/// <summary>Where a script stands against the database's journal.</summary>
public enum ScriptState
{
    /// <summary>Applied, and the file is unchanged since.</summary>
    Applied,

    /// <summary>Never applied; migrate will run it.</summary>
    Pending,

    /// <summary>A repeatable script (function or view) whose text changed, or a view that reads one; migrate will run it again.</summary>
    Changed,

    /// <summary>An applied migration whose file has changed since: an error; migrate refuses to run.</summary>
    Drifted,

    /// <summary>Journaled as applied, but no longer among the scripts; for a migration this is drift.</summary>
    Missing,
}
