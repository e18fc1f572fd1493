using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Migrations;

namespace Erp.Db.Cli.Commands;

/// <summary><c>erpdb status</c>: every script and its state.</summary>
internal sealed class StatusCommand : Command
{
    private readonly Option<DirectoryInfo?> scripts = SchemaOptions.Scripts();
    private readonly Database database;

    public StatusCommand(CommandRunner runner, Database database)
        : base("status", "List every script with its state: applied, pending, changed (repeatable, will run again), drifted or missing.")
    {
        this.database = database;
        Options.Add(scripts);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var report = await (await database.GetMigratorAsync(parseResult, cancellationToken, SchemaOptions.Migration(parseResult, scripts))).Migrations.StatusAsync(cancellationToken);
        return new CommandResult(StatusView.Data(report), StatusView.Attention(report));
    }
}
