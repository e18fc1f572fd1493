using System.CommandLine;
using Erp.Db.Migrations;

namespace Erp.Db.Cli.Commands;

/// <summary>Options the schema commands (migrate, status, verify, script) share.</summary>
internal static class SchemaOptions
{
    /// <summary><c>--scripts DIR</c>: a folder laid out like the repository's sql/, instead of the scripts built into erpdb.</summary>
    public static Option<DirectoryInfo?> Scripts() => new("--scripts")
    {
        Description = "Use the scripts of this folder (holding migrations/, functions/, views/, like the repository's sql/) instead of the ones built into erpdb.",
        HelpName = "dir",
    };

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
