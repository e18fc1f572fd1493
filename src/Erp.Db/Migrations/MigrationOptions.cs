namespace Erp.Db.Migrations;

/// <summary>Settings of a migrate run. Immutable once built.</summary>
public sealed record MigrationOptions
{
    /// <summary>
    /// Values for <c>$name$</c> tokens in scripts, over <see cref="DefaultVariables"/>: a name not given keeps its default, as
    /// when bound from <c>ErpDb:Migration:Variables</c>. Only these names are replaced; other <c>$tag$</c> dollar quotes pass
    /// through. Held as a read-only copy. The journal records the values each script used: a function or view that uses one
    /// configured otherwise runs again on the next migrate; a migration keeps the values it ran with.
    /// </summary>
    public IReadOnlyDictionary<string, string> Variables
    {
        get;
        init => field = WithDefaults(value);
    } = DefaultVariables;

    /// <summary>Longest a single statement may run; a script that needs longer fails and is rolled back. Default 30 minutes.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// After a (non-dry) run, register the pg_cron jobs of <c>sql/schedules/</c> for the database
    /// (<see cref="Scheduling.CronScheduler"/>); what could not be done is reported in
    /// <see cref="MigrationResult.Notices"/>. Default true.
    /// </summary>
    public bool Schedule { get; init; } = true;

    /// <summary>
    /// Re-apply repeatable scripts (functions, views) even when the database holds a newer text of
    /// them: one applied by a newer erpdb, or one that replaced this very text before. Without it,
    /// migrate refuses and names the scripts (<see cref="MigrationDowngradeException"/>). Default false.
    /// </summary>
    public bool AllowDowngrade { get; init; }

    /// <summary>
    /// A folder laid out like the repository's <c>sql/</c> (<c>migrations/</c>, <c>functions/</c>, <c>views/</c>) whose
    /// scripts <see cref="ErpDatabase.Migrations"/> applies instead of the ones embedded in Erp.Db; embedded when null.
    /// </summary>
    public string? ScriptsDirectory { get; init; }

    /// <summary>The variables every script may use, with their defaults.</summary>
    public static IReadOnlyDictionary<string, string> DefaultVariables { get; } = new Dictionary<string, string>
    {
        ["default_refresh_interval"] = "5 minutes",
        ["default_stale_after"] = "30 minutes",
    }.AsReadOnly();

    /// <summary>
    /// <paramref name="variables"/> over the defaults, in a copy no one can change: without it a dictionary set in code that left
    /// out a default sent its <c>$name$</c> to PostgreSQL as it is, and the script using it failed.
    /// </summary>
    private static System.Collections.ObjectModel.ReadOnlyDictionary<string, string> WithDefaults(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var merged = new Dictionary<string, string>(DefaultVariables);
        foreach (var (name, value) in variables)
        {
            merged[name] = value;
        }
        return merged.AsReadOnly();
    }
}
