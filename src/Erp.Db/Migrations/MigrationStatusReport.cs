namespace Erp.Db.Migrations;

/// <summary>Every script's state against the database: what status, verify and a dry run show.</summary>
/// <param name="Database">The database that was inspected.</param>
/// <param name="Scripts">The scripts in the order migrate applies them, then journaled scripts that are missing.</param>
public sealed record MigrationStatusReport(string Database, IReadOnlyList<ScriptStatus> Scripts)
{
    /// <summary>Scripts migrate would run, in order.</summary>
    public IReadOnlyList<ScriptStatus> ToRun => [.. Scripts.Where(s => s.WillRun)];

    /// <summary>Drifted scripts and missing migrations.</summary>
    public IReadOnlyList<ScriptStatus> Drift => [.. Scripts.Where(s => s.IsDrift)];

    /// <summary>
    /// The indexes, triggers, constraints, policies, row level security flags, column NOT NULLs and defaults, and privileges changed by
    /// hand since the last migrate recorded them (docs/doctor.md, ERPDB020); <c>erpdb migrate</c> does not repair them, the
    /// <see cref="SchemaObjectDrift.Fix"/> does. Filled by <see cref="MigrationRunner.StatusAsync"/>; not counted by <see cref="IsUpToDate"/>.
    /// </summary>
    public IReadOnlyList<SchemaObjectDrift> ObjectDrift { get; init; } = [];

    /// <summary>
    /// The scripts this library ships that the database lacks or holds an older text of: migrations never applied, functions and
    /// views new or changed since they were applied. <c>erpdb migrate</c> applies them. <see cref="ToRun"/> without the downgrades.
    /// </summary>
    public IReadOnlyList<ScriptStatus> Pending => [.. Scripts.Where(s => s.WillRun && !s.IsDowngrade)];

    /// <summary>
    /// What the database holds that this library does not know: applied migrations it does not ship, or ships with another text,
    /// and functions or views a newer erpdb applied (<see cref="ScriptStatus.IsDowngrade"/>). The database was migrated by a newer
    /// Erp.Db (or an applied migration was edited): migrate refuses to run, and this library runs against a newer schema.
    /// A function or view script journaled without a file here is not counted: a newer Erp.Db may have removed it.
    /// </summary>
    public IReadOnlyList<ScriptStatus> Unknown => [.. Scripts.Where(s => s.IsDrift || s.IsDowngrade)];

    /// <summary>True when nothing is pending and nothing has drifted.</summary>
    public bool IsUpToDate => ToRun.Count == 0 && Drift.Count == 0;
}
