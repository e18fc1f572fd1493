namespace Erp.Db.Migrations;

/// <summary>What a migrate run did (or, for a dry run, would do).</summary>
/// <param name="Database">The database migrated.</param>
/// <param name="DryRun">True when nothing was executed.</param>
/// <param name="Scripts">
/// The scripts run, in order, as the journal holds them after the run (applied, with when and how long),
/// each with why it ran in <see cref="ScriptStatus.Reason"/>; for a dry run, the scripts planned, with
/// their state before the run (pending or changed).
/// </param>
/// <param name="Elapsed">Wall time of the whole run, lock wait included.</param>
/// <param name="Notices">What a DBA should know about the run (for example, a schedule that could not be registered).</param>
public sealed record MigrationResult(
    string Database,
    bool DryRun,
    IReadOnlyList<ScriptStatus> Scripts,
    TimeSpan Elapsed,
    IReadOnlyList<string> Notices);
