using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Migrations;
using Microsoft.Extensions.Logging;

namespace Erp.Db.Cli.Commands;

/// <summary><c>erpdb migrate [--dry-run] [--allow-downgrade] [--scripts DIR]</c>: apply pending migrations and changed functions and views.</summary>
internal sealed class MigrateCommand : Command
{
    private readonly Option<bool> dryRun = new("--dry-run")
    {
        Description = "List what would run, in order, without running anything.",
    };

    private readonly Option<DirectoryInfo?> scripts = SchemaOptions.Scripts();
    private readonly Option<bool> allowDowngrade = SchemaOptions.AllowDowngrade();
    private readonly Database database;
    private readonly CommandOutput output;

    public MigrateCommand(CommandRunner runner, Database database, CommandOutput output)
        : base("migrate", "Apply pending migrations, then changed functions and views.\nEach migration runs in its own transaction until views exist; from then on the whole run is one. Refuses to run when an applied migration has drifted.\nExit codes: 0 done; 1 failed (a script, drift, the database: MIGRATION_FAILED, DRIFT, ...); 8 MIGRATION_LOCKED: a session whose login may not migrate (a reader, an app) holds the migration lock, so nothing ran; the message names its process, end it (pg_terminate_backend) and run migrate again.")
    {
        this.database = database;
        this.output = output;
        Options.Add(dryRun);
        Options.Add(scripts);
        Options.Add(allowDowngrade);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetMigratorAsync(parseResult, cancellationToken, SchemaOptions.Migration(parseResult, scripts, allowDowngrade));
        var result = await erp.Migrations.MigrateAsync(parseResult.GetValue(dryRun), cancellationToken);
        // What a DBA must know (a schedule that could not be registered, say) goes to stderr in every format.
        foreach (var notice in result.Notices)
        {
            output.Note($"erpdb: {notice}");
        }
        var caption = result.Scripts.Count == 0
            ? $"Nothing to apply: {result.Database} is up to date."
            : result.DryRun
                ? $"Would apply {result.Scripts.Count} script(s) to {result.Database}, in this order; nothing was applied."
                : $"Applied {result.Scripts.Count} script(s) to {result.Database} in {result.Elapsed.TotalMilliseconds:0} ms.";
        var data = new
        {
            database = result.Database,
            dryRun = result.DryRun,
            applied = result.Scripts.Select(StatusView.Script),
            elapsedMs = Math.Round(result.Elapsed.TotalMilliseconds, 1),
            notices = result.Notices,
        };
        return new CommandResult(data, result.DryRun ? StatusView.Plan(result.Scripts, caption) : StatusView.Table(result.Scripts, caption));
    }
}
