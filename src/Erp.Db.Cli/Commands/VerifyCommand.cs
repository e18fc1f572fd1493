using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Migrations;

namespace Erp.Db.Cli.Commands;

/// <summary><c>erpdb verify</c>: exit 0 when up to date, 3 when scripts are pending, 4 on drift.</summary>
internal sealed class VerifyCommand : Command
{
    private readonly Option<DirectoryInfo?> scripts = SchemaOptions.Scripts();
    private readonly Database database;

    public VerifyCommand(CommandRunner runner, Database database)
        : base("verify", "Check the database against the scripts for CI: exit 0 when up to date, 3 when scripts are pending, 4 when an applied migration was changed or removed (drift).")
    {
        this.database = database;
        Options.Add(scripts);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var report = await new MigrationRunner(await database.GetAsync(parseResult, cancellationToken), SchemaOptions.Catalog(parseResult, scripts)).StatusAsync(cancellationToken);
        var exitCode = report.Drift.Count > 0 ? ExitCodes.Drift : report.ToRun.Count > 0 ? ExitCodes.Pending : ExitCodes.Ok;
        var problems = report.Scripts.Where(s => s.IsDrift || s.WillRun);
        return new CommandResult(StatusView.Data(report), StatusView.Table(problems, StatusView.Summary(report)), exitCode);
    }
}
