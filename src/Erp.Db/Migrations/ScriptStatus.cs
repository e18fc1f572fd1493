namespace Erp.Db.Migrations;

/// <summary>One script's state against the journal.</summary>
/// <param name="Name">Path relative to <c>sql/</c>, e.g. <c>migrations/0001_schemas.sql</c>.</param>
/// <param name="Kind">Migration, function or view.</param>
/// <param name="State">Applied, pending, changed, drifted or missing.</param>
/// <param name="Sha256">Checksum of the script's current text; null when the file is missing.</param>
/// <param name="AppliedSha256">Checksum journaled when it was last applied; null if never applied.</param>
/// <param name="AppliedAt">When it was last applied; null if never applied.</param>
/// <param name="DurationMs">How long its last run took, in milliseconds; null if never applied.</param>
/// <param name="Reason">Why it will run (or why it is an error), in words; null when applied, except in a <see cref="MigrationResult"/>, where it says why the script ran.</param>
public sealed record ScriptStatus(
    string Name,
    ScriptKind Kind,
    ScriptState State,
    string? Sha256,
    string? AppliedSha256,
    DateTimeOffset? AppliedAt,
    decimal? DurationMs,
    string? Reason)
{
    /// <summary>True for a drifted script or a missing migration: something only a person can resolve.</summary>
    public bool IsDrift => State == ScriptState.Drifted || (State == ScriptState.Missing && Kind == ScriptKind.Migration);

    /// <summary>
    /// True for a repeatable script whose text here is older than the one the database holds: a
    /// newer erpdb applied it, or this very text was applied before and then replaced. Migrate
    /// refuses to run it unless <see cref="MigrationOptions.AllowDowngrade"/> is set.
    /// </summary>
    public bool IsDowngrade { get; init; }

    /// <summary>
    /// For a no-transaction script an earlier run left part applied: how many of its statements
    /// were applied and committed. Migrate resumes at the statement after them; null otherwise.
    /// </summary>
    public int? StatementsApplied { get; init; }

    /// <summary>True when migrate would run this script.</summary>
    public bool WillRun => State is ScriptState.Pending or ScriptState.Changed;
}
