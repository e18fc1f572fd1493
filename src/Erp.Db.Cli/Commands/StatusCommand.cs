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
        : base("status", "List every script with its state: applied, pending, changed (repeatable, will run again), drifted or missing. "
            + "An app's login (erp_reader, erp_writer) gets the scripts compared by checksum; the rest needs the migrating login.")
    {
        this.database = database;
        Options.Add(scripts);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetMigratorAsync(parseResult, cancellationToken, SchemaOptions.Migration(parseResult, scripts));
        try
        {
            var report = await erp.Migrations.StatusAsync(cancellationToken);
            return new CommandResult(StatusView.Data(report), StatusView.Attention(report));
        }
        catch (WarehouseAccessException e) when (e.Reason == WarehouseAccessReason.PermissionDenied)
        {
            // An app's login may not read the journal table, but may compare the scripts through ops.schema_journal_rows(), as the
            // library's health check does: a pipeline holding only the app's credentials learns whether the schema is current.
            var report = await erp.SchemaStatusAsync(cancellationToken);
            var table = StatusView.Attention(report);
            return new CommandResult(StatusView.Data(report), table with { Caption = $"{table.Caption} {AppLoginNote}" },
                Meta: new Dictionary<string, object?> { ["limited"] = AppLoginNote });
        }
    }

    /// <summary>What a status read by an app's login leaves out (<see cref="ErpDatabase.SchemaStatusAsync"/>).</summary>
    private const string AppLoginNote = "Read by an app's login, which may not read ops.schema_journal: the scripts are compared by checksum "
        + "(ops.schema_journal_rows()); migrate variables, functions replaced by hand, views a migration would rebuild and objects "
        + "changed by hand are checked only as the migrating login.";
}
