namespace Erp.Db.Migrations.Engine;

/// <summary>
/// SQL the runner itself runs (embedded from <c>sql/runner/</c>, which is not a script group:
/// never journaled, never listed by status).
/// </summary>
internal static class RunnerScripts
{
    /// <summary>Drops every mart materialized view with CASCADE: how the review script (<c>erpdb script</c>) rebuilds views around pending migrations.</summary>
    public static MigrationScript DropMartViews() => Load("runner/drop_mart_views.sql");

    private static MigrationScript Load(string name)
    {
        var assembly = typeof(RunnerScripts).Assembly;
        using var stream = assembly.GetManifestResourceStream("sql/" + name)
            ?? throw new InvalidOperationException($"Embedded script sql/{name} is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return new MigrationScript(name, ScriptKind.Migration, reader.ReadToEnd());
    }
}
