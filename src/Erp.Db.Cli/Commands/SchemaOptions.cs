using System.CommandLine;
using Erp.Db.Migrations;

namespace Erp.Db.Cli.Commands;

/// <summary>Options the schema commands (migrate, status, verify, script) share.</summary>
internal static class SchemaOptions
{
    /// <summary><c>--scripts DIR</c>: a folder laid out like the repository's sql/, instead of the scripts built into erpdb.</summary>
    public static Option<DirectoryInfo?> Scripts()
    {
        var option = new Option<DirectoryInfo?>("--scripts")
        {
            Description = "Use the scripts of this folder (holding migrations/, functions/, views/, like the repository's sql/) instead of the ones built into erpdb.",
            HelpName = "dir",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<DirectoryInfo?>() is { } folder && ScriptsFolderProblem(folder) is { } problem)
            {
                result.AddError(problem);
            }
        });
        return option;
    }

    /// <summary>
    /// Why <paramref name="folder"/> cannot be a scripts folder, or null. A folder without migrations/ (the repository's root
    /// instead of its sql/) would make every applied migration look removed: status would list them all as missing and
    /// migrate refuse them as drift, so it is refused here, naming the folder that would do.
    /// </summary>
    internal static string? ScriptsFolderProblem(DirectoryInfo folder)
    {
        const string Layout = "point it at a folder laid out like the repository's sql/ (migrations/, functions/, views/)";
        if (!folder.Exists)
        {
            return $"--scripts: the folder '{folder.FullName}' does not exist; {Layout}.";
        }
        if (Directory.Exists(Path.Combine(folder.FullName, "migrations")))
        {
            return null;
        }
        var sql = Path.Combine(folder.FullName, "sql");
        return Directory.Exists(Path.Combine(sql, "migrations"))
            ? $"--scripts: '{folder.FullName}' has no migrations/ folder; did you mean '{sql}'?"
            : $"--scripts: '{folder.FullName}' has no migrations/ folder; {Layout}.";
    }

    /// <summary><c>--allow-downgrade</c>: re-apply repeatable scripts over newer texts of them.</summary>
    public static Option<bool> AllowDowngrade() => new("--allow-downgrade")
    {
        Description = "Re-apply functions and views even where the database holds a newer text of them (applied by a newer erpdb, or replaced since). Without it, such a run is refused, naming the scripts.",
    };

    /// <summary>The command line's changes to the configured migration options: <c>--scripts</c> and, when given, <c>--allow-downgrade</c>.</summary>
    public static Func<MigrationOptions, MigrationOptions> Migration(ParseResult parseResult, Option<DirectoryInfo?> scripts, Option<bool>? allowDowngrade = null) =>
        options => options with
        {
            ScriptsDirectory = parseResult.GetValue(scripts)?.FullName ?? options.ScriptsDirectory,
            AllowDowngrade = allowDowngrade is not null && parseResult.GetValue(allowDowngrade) || options.AllowDowngrade,
        };

    /// <summary>The catalog the command works on: <c>--scripts</c> if given, else the embedded scripts.</summary>
    public static ScriptCatalog Catalog(ParseResult parseResult, Option<DirectoryInfo?> scripts) =>
        parseResult.GetValue(scripts) is { } folder ? ScriptCatalog.FromDirectory(folder.FullName) : ScriptCatalog.Embedded();
}
