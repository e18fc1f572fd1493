namespace Erp.Db.Migrations;

/// <summary>What a migrate run did (or, for a dry run, would do).</summary>
/// <param name="Database">The database migrated.</param>
/// <param name="DryRun">True when nothing was executed.</param>
/// <param name="Scripts">The scripts run (or planned), in order, with their state before the run.</param>
/// <param name="Elapsed">Wall time of the whole run, lock wait included.</param>
/// <param name="Notices">What a DBA should know about the run (for example, a schedule that could not be registered).</param>
public sealed record MigrationResult(
    string Database,
    bool DryRun,
    IReadOnlyList<ScriptStatus> Scripts,
    TimeSpan Elapsed,
    IReadOnlyList<string> Notices);
