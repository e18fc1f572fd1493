using Erp.Db.Cli.Output;
using Erp.Db.Migrations;

namespace Erp.Db.Cli.Commands;

/// <summary>How status, verify and migrate show scripts (in CSV, as the JSON's raw values).</summary>
internal static class StatusView
{
    public static object Data(MigrationStatusReport report) => new
    {
        database = report.Database,
        upToDate = report.IsUpToDate,
        pending = report.ToRun.Count,
        drifted = report.Drift.Count,
        scripts = report.Scripts.Select(Script),
    };

    public static object Script(ScriptStatus s) => new
    {
        name = s.Name,
        kind = s.Kind,
        state = s.State,
        sha256 = s.Sha256,
        appliedSha256 = s.AppliedSha256,
        appliedAt = s.AppliedAt,
        durationMs = s.DurationMs,
        reason = s.Reason,
    };

    public static TableView Table(IEnumerable<ScriptStatus> scripts, string caption) => new(
        ["Script", "Kind", "State", "Applied", "ms"],
        [.. scripts.Select(s => (IReadOnlyList<string>)[
            s.Name,
            s.Kind.ToString().ToLowerInvariant(),
            // Why a script drifted (changed or removed after it was applied) is what the DBA acts on.
            s.State == ScriptState.Drifted && s.Reason is { } reason ? $"drifted: {reason}" : s.State.ToString().ToLowerInvariant(),
            s.AppliedAt is { } at ? Bi.Cells.Time(at) : "",
            s.DurationMs?.ToString("0") ?? ""])],
        caption,
        Records: scripts.Select(Script));

    public static string Summary(MigrationStatusReport report) =>
        report.Drift.Count > 0 ? $"DRIFT: {report.Drift.Count} applied migration(s) changed or removed; {report.ToRun.Count} script(s) pending."
        : report.ToRun.Count > 0 ? $"{report.ToRun.Count} script(s) pending; run 'erpdb migrate'."
        : $"Up to date: {report.Scripts.Count} scripts applied.";
}
