using System.Text.Json;

namespace Erp.Db.Migrations.Engine;

/// <summary>Compares the scripts with the journal: what is applied, pending, changed or drifted.</summary>
internal static class MigrationPlanner
{
    /// <param name="database">The database inspected.</param>
    /// <param name="catalog">The scripts.</param>
    /// <param name="journal">The newest journal row per script.</param>
    /// <param name="forecast">
    /// Views that pending migrations are expected to make migrate rebuild (they read a column or
    /// table a migration drops or retypes, <see cref="DependencyForecast"/>), with why; migrate
    /// itself finds them from dependency errors as it runs (docs/view-rebuilds.md).
    /// </param>
    /// <param name="variables">The run's variables, for the statements of a partly applied script.</param>
    /// <param name="definitions">
    /// What the database holds now of the functions of the function scripts whose definitions the journal recorded (MD5, null when none
    /// exists): a script whose functions differ from the recorded ones was changed or dropped by hand, and runs again.
    /// </param>
    /// <param name="variablesAsApplied">
    /// Take each repeatable script's variables as the journal recorded them, so that <paramref name="variables"/> configured otherwise
    /// do not make it changed: for a login that does not migrate, which has no say in them (<see cref="MigrationRunner.StatusForAnyLoginAsync"/>).
    /// </param>
    public static MigrationStatusReport Compare(string database, ScriptCatalog catalog, IReadOnlyDictionary<string, JournalEntry> journal,
        IReadOnlyDictionary<string, string>? forecast = null, IReadOnlyDictionary<string, string>? variables = null,
        IReadOnlyDictionary<string, string?>? definitions = null, bool variablesAsApplied = false)
    {
        variables ??= MigrationOptions.DefaultVariables;
        var statuses = catalog.Scripts.Select(s => Compare(s, journal.GetValueOrDefault(s.Name), variables, definitions, variablesAsApplied)).ToList();
        for (var i = 0; i < statuses.Count; i++)
        {
            if (statuses[i].Kind == ScriptKind.View && forecast?.GetValueOrDefault(ViewOrder.ViewName(Find(catalog, statuses[i].Name))) is { } why)
            {
                statuses[i] = statuses[i].State == ScriptState.Applied
                    ? statuses[i] with { State = ScriptState.Changed, Reason = why }
                    : statuses[i] with { Reason = $"{statuses[i].Reason}; {why}" };
            }
        }

        // A migration never applied although a later one was: its journal row lost, most likely (docs/migrations.md, "A migration
        // pending out of order"), and running it again would fail on what it already made.
        var lastApplied = statuses.Where(s => s.Kind == ScriptKind.Migration && s.State != ScriptState.Pending).Select(s => s.Name).Max(StringComparer.Ordinal);
        for (var i = 0; i < statuses.Count; i++)
        {
            if (statuses[i] is { Kind: ScriptKind.Migration, State: ScriptState.Pending, StatementsApplied: null } pending && lastApplied is not null
                && StringComparer.Ordinal.Compare(pending.Name, lastApplied) < 0)
            {
                statuses[i] = pending with
                {
                    Reason = $"never applied, though the later {lastApplied} is: if the database has what it makes, its journal row was lost "
                        + "(docs/migrations.md, \"A migration pending out of order\")",
                };
            }
        }

        // A view that reads a re-created view is dropped with it (CASCADE) and so must be re-created too.
        var views = catalog.Scripts.Where(s => s.Kind == ScriptKind.View).ToList();
        var recreated = statuses.Where(s => s.Kind == ScriptKind.View && s.WillRun).Select(s => ViewOrder.ViewName(Find(catalog, s.Name))).ToList();
        var affected = ViewOrder.WithDependents(views, recreated);
        for (var i = 0; i < statuses.Count; i++)
        {
            var status = statuses[i];
            if (status.Kind == ScriptKind.View && status.State == ScriptState.Applied && affected.Contains(ViewOrder.ViewName(Find(catalog, status.Name))))
            {
                statuses[i] = status with { State = ScriptState.Changed, Reason = "reads a view that is rebuilt" };
            }
        }

        var known = catalog.Scripts.Select(s => s.Name).ToHashSet();
        statuses.AddRange(journal.Values
            .Where(j => !known.Contains(j.Name))
            .OrderBy(j => j.Name, StringComparer.Ordinal)
            .Select(j => new ScriptStatus(j.Name, KindOf(j.Name), ScriptState.Missing, null, j.Sha256, Utc(j.AppliedAt), j.DurationMs,
                "journaled as applied but the file no longer exists")));
        return new MigrationStatusReport(database, statuses);
    }

    private static ScriptStatus Compare(MigrationScript script, JournalEntry? applied, IReadOnlyDictionary<string, string> variables,
        IReadOnlyDictionary<string, string?>? definitions, bool variablesAsApplied)
    {
        var status = new ScriptStatus(script.Name, script.Kind, ScriptState.Applied, script.Sha256,
            applied?.Sha256, applied is null ? null : Utc(applied.AppliedAt), applied?.DurationMs, null);
        if (applied is null)
        {
            return status with { State = ScriptState.Pending, Reason = "never applied" };
        }
        if (applied.StatementsApplied is int done)
        {
            // A no-transaction script failed part way: its first statements are applied and committed.
            return ScriptStatements.PrefixSha256(script, variables, done) == applied.Sha256
                ? status with { State = ScriptState.Pending, StatementsApplied = done, Reason = $"statements 1..{done} applied by a run that failed or was killed; resumes at statement {done + 1}" }
                : status with { State = ScriptState.Drifted, Reason = $"statements 1..{done} were applied (outside a transaction) from a text whose first {done} statements differ from this file's" };
        }
        if (applied.Sha256 == script.Sha256)
        {
            // A function or view runs with its variables in it: one configured otherwise than applied makes it run again.
            // A migration runs once, whatever they are now.
            if (script.IsRepeatable && !variablesAsApplied && ChangedVariables(script, applied, variables) is { } changed)
            {
                return status with { State = ScriptState.Changed, Reason = changed };
            }
            return applied.DefinitionMd5 is { } recorded && definitions is not null && definitions.TryGetValue(script.Name, out var now) && now != recorded
                ? status with
                {
                    State = ScriptState.Changed,
                    Reason = now is null
                        ? $"its functions are missing from the database (dropped since migrate applied it on {applied.AppliedAt:yyyy-MM-dd HH:mm:ss}Z)"
                        : $"its functions in the database differ from what migrate applied on {applied.AppliedAt:yyyy-MM-dd HH:mm:ss}Z (replaced by hand?)",
                }
                : status;
        }
        if (!script.IsRepeatable)
        {
            return IsRewordingOf(script, applied.Sha256)
                ? status with { Reason = "applied from an earlier text that differs only in comments (erpdb:reworded-from)" }
                : status with { State = ScriptState.Drifted, Reason = $"file changed after it was applied on {applied.AppliedAt:yyyy-MM-dd HH:mm:ss}Z" };
        }
        if (ToolVersion.IsNewer(applied.ErpdbVersion, ToolVersion.Current))
        {
            return status with { State = ScriptState.Changed, IsDowngrade = true, Reason = $"the database holds the text erpdb {applied.ErpdbVersion} applied, newer than this erpdb {ToolVersion.Current}" };
        }
        if (applied.AppliedHashes.Contains(script.Sha256))
        {
            return status with { State = ScriptState.Changed, IsDowngrade = true, Reason = $"this text was applied before and replaced by a newer one on {applied.AppliedAt:yyyy-MM-dd HH:mm:ss}Z" };
        }
        return status with { State = ScriptState.Changed, Reason = "text changed since it was last applied" };
    }

    /// <summary>
    /// Which variables the script uses with other values than it was applied with, in words; null when none. A row journaled before
    /// erpdb recorded variables (no <see cref="JournalEntry.Variables"/>) was applied with the defaults, unless configured otherwise:
    /// until then migrate had no way to apply another value to a script whose text was unchanged.
    /// </summary>
    private static string? ChangedVariables(MigrationScript script, JournalEntry applied, IReadOnlyDictionary<string, string> variables)
    {
        var used = ScriptStatements.Used(script.Contents, variables);
        if (used.Count == 0)
        {
            return null;
        }
        var recorded = applied.Variables is { } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) : null;
        var assumed = recorded is null ? " (the default; the journal row predates recorded variables)" : "";
        var before = (IReadOnlyDictionary<string, string>?)recorded ?? MigrationOptions.DefaultVariables;
        var changes = used
            .Where(v => before.TryGetValue(v.Key, out var was) && was != v.Value)
            .Select(v => $"variable {v.Key} is configured as '{v.Value}' but was applied as '{before[v.Key]}'{assumed}")
            .ToList();
        return changes.Count == 0 ? null : string.Join("; ", changes);
    }

    /// <summary>True when the script declares the applied text as an earlier wording and its code is still that text's code.</summary>
    private static bool IsRewordingOf(MigrationScript script, string appliedSha256) =>
        script.Rewordings.Any(r => r.Sha256 == appliedSha256 && r.CodeSha256 == ScriptCode.Sha256(script.Contents));

    private static MigrationScript Find(ScriptCatalog catalog, string name) => catalog.Scripts.First(s => s.Name == name);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    internal static ScriptKind KindOf(string name) => name.Split('/')[0] switch
    {
        "functions" => ScriptKind.Function,
        "views" => ScriptKind.View,
        _ => ScriptKind.Migration,
    };
}
