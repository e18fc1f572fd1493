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
        objectDrift = ObjectDrift(report.ObjectDrift),
    };

    /// <summary>The objects changed by hand since the last migrate (ERPDB020, docs/doctor.md), counted by severity, each with its fix.</summary>
    public static object ObjectDrift(IReadOnlyList<SchemaObjectDrift> drift) => new
    {
        errors = drift.Count(d => d.IsError),
        warnings = drift.Count(d => !d.IsError),
        objects = drift.Select(d => new { kind = d.Kind, table = d.TableName, name = d.Name, @object = d.ObjectName, severity = d.Severity, problem = d.Problem, fix = d.Fix }),
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

    /// <summary>
    /// <c>erpdb migrate</c> as a table: each script run, its state and milliseconds. Its kind is its folder and the time it was
    /// applied is the run's, so neither has a column: with them a fresh migrate's 156 rows were too wide for 80 columns and
    /// printed vertically, 900 lines. CSV, from <see cref="TableView.Records"/>, keeps every field.
    /// </summary>
    public static TableView Table(IEnumerable<ScriptStatus> scripts, string caption) => new(
        ["Script", "State", "ms"],
        [.. scripts.Select(s => (IReadOnlyList<string>)[
            s.Name,
            // Why a script drifted (changed or removed after it was applied) is what the DBA acts on.
            s.State == ScriptState.Drifted && s.Reason is { } reason ? $"drifted: {reason}" : s.State.ToString().ToLowerInvariant(),
            s.DurationMs?.ToString("0") ?? ""])],
        caption,
        Records: scripts.Select(Script));

    /// <summary>Columns a reason takes under its script: with the state column before it, a row fits 80 columns.</summary>
    private const int ReasonWidth = 68;

    /// <summary>
    /// <c>erpdb status</c> as a table: the scripts that are not applied (pending, changed, drifted, missing), each with why on
    /// the lines under its name; the applied ones are counted in the caption. Listing all of them made a table too wide for
    /// 80 columns (names run to 60), printed vertically, with the few that matter lost among them. CSV, from
    /// <see cref="TableView.Records"/>, still holds every script.
    /// </summary>
    public static TableView Attention(MigrationStatusReport report)
    {
        var rows = WithReasons(report.Scripts.Where(s => s.State != ScriptState.Applied));
        foreach (var drift in report.ObjectDrift)
        {
            // The object's name wraps too (a trigger on its table runs to 90 columns), its problem and fix under it.
            var names = Wrap(drift.ObjectName, ReasonWidth + 2).ToList();
            rows.Add([drift.Severity, names[0]]);
            rows.AddRange(names.Skip(1).Select(line => (IReadOnlyList<string>)["", line]));
            rows.AddRange(Wrap($"{drift.Problem}. {drift.Fix}", ReasonWidth).Select(line => (IReadOnlyList<string>)["", "  " + line]));
        }
        var applied = report.Scripts.Where(s => s.State == ScriptState.Applied).ToList();
        var kinds = string.Join(", ", applied.GroupBy(s => s.Kind).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}s"));
        var last = applied.Max(s => s.AppliedAt);
        var caption = (report.IsUpToDate ? $"Up to date: {applied.Count} scripts applied" : $"{Summary(report)} {applied.Count} of {report.Scripts.Count} scripts applied")
            + (applied.Count > 0 ? $" ({kinds}), the last on {Bi.Cells.Time(last!.Value)}" : "")
            + "."
            + (report.ObjectDrift.Count > 0 ? $" {ObjectSummary(report.ObjectDrift)}" : "")
            + " Every script with its checksums and times: --format json or csv.";
        return new TableView(["State", "Script"], rows, caption, Records: report.Scripts.Select(Script));
    }

    /// <summary>
    /// <c>erpdb migrate --dry-run</c> as a table: what would run, in order, each with why on the lines under its name (never
    /// applied, text changed, reads a view that is rebuilt), as <see cref="Attention"/> shows them. Durations are left out: those of
    /// the journal are how long a script took when it last ran, and read as if it had just run.
    /// </summary>
    public static TableView Plan(IReadOnlyList<ScriptStatus> scripts, string caption) =>
        new(["State", "Script"], WithReasons(scripts), caption, Records: scripts.Select(Script));

    private static List<IReadOnlyList<string>> WithReasons(IEnumerable<ScriptStatus> scripts)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var script in scripts)
        {
            rows.Add([script.State.ToString().ToLowerInvariant(), script.Name]);
            rows.AddRange(Wrap(script.Reason ?? "", ReasonWidth).Select(line => (IReadOnlyList<string>)["", "  " + line]));
        }
        return rows;
    }

    /// <summary>Prose in lines of at most <paramref name="width"/> columns, broken at spaces (a longer word keeps a line of its own).</summary>
    private static IEnumerable<string> Wrap(string prose, int width)
    {
        var line = "";
        foreach (var word in prose.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && TerminalText.Width(line) + 1 + TerminalText.Width(word) > width)
            {
                yield return line;
                line = "";
            }
            line = line.Length > 0 ? $"{line} {word}" : word;
        }
        if (line.Length > 0)
        {
            yield return line;
        }
    }

    /// <summary>How many objects changed by hand, and that migrate does not repair them.</summary>
    public static string ObjectSummary(IReadOnlyList<SchemaObjectDrift> drift) =>
        $"{drift.Count} object(s) changed by hand since the last migrate ({drift.Count(d => d.IsError)} error(s)), listed above with their fixes; erpdb migrate does not repair them (ERPDB020).";

    public static string Summary(MigrationStatusReport report) =>
        report.Drift.Count > 0 ? $"DRIFT: {report.Drift.Count} applied migration(s) changed or removed; {report.ToRun.Count} script(s) pending."
        : report.ToRun.Count > 0 ? $"{report.ToRun.Count} script(s) pending; run 'erpdb migrate'."
        : $"Up to date: {report.Scripts.Count} scripts applied.";
}
