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

    /// <summary>True when nothing is pending and nothing has drifted.</summary>
    public bool IsUpToDate => ToRun.Count == 0 && Drift.Count == 0;
}
