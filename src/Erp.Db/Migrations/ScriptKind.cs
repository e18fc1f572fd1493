namespace Erp.Db.Migrations;

/// <summary>The three groups of scripts, applied in this order.</summary>
public enum ScriptKind
{
    /// <summary>A versioned script in <c>sql/migrations</c>: runs once, never edited after it is applied.</summary>
    Migration,

    /// <summary>A repeatable script in <c>sql/functions</c>: runs again whenever its text changes.</summary>
    Function,

    /// <summary>A repeatable script in <c>sql/views</c>: one materialized view, re-created when its text changes.</summary>
    View,
}
