using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Migrations;

namespace Erp.Db.Cli.Commands;

/// <summary>
/// <c>erpdb verify</c>: exit 0 when up to date and isolated; otherwise an error (success false) with the
/// scripts or problems in its details: 3 <c>PENDING</c> when scripts are pending, 4 <c>DRIFT</c> on drift,
/// 6 <c>ISOLATION_PROBLEM</c> when the merchant isolation check (run once the scripts are up to date) lists problems.
/// </summary>
internal sealed class VerifyCommand : Command
{
    private readonly Option<DirectoryInfo?> scripts = SchemaOptions.Scripts();
    private readonly Database database;

    public VerifyCommand(CommandRunner runner, Database database)
        : base("verify", "Check the database against the scripts, for CI.\nExit 0 when up to date, 3 when scripts are pending (PENDING), 4 when an applied migration was changed or removed (DRIFT), 6 when the merchant isolation check finds something a scoped reader could use to see other merchants' rows (ISOLATION_PROBLEM).")
    {
        this.database = database;
        Options.Add(scripts);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetMigratorAsync(parseResult, cancellationToken, SchemaOptions.Migration(parseResult, scripts));
        var dataSource = erp.MigrationDataSource;
        var report = await erp.Migrations.StatusAsync(cancellationToken);
        if (!report.IsUpToDate)
        {
            var problems = report.Scripts.Where(s => s.IsDrift || s.WillRun).ToList();
            var drift = report.Drift.Count > 0;
            throw new CliException(drift ? ErrorCodes.Drift : ErrorCodes.Pending,
                StatusView.Summary(report) + string.Concat(problems.Select(s => $"{Environment.NewLine}  {s.Name} ({s.State.ToString().ToLowerInvariant()}): {s.Reason}")),
                drift ? ExitCodes.Drift : ExitCodes.Pending,
                new { database = report.Database, pending = report.ToRun.Count, drifted = report.Drift.Count, scripts = problems.Select(StatusView.Script) });
        }
        if (report.Scripts.Any(s => s.Name == IsolationCheck.Script))
        {
            // Only an up-to-date schema has the current check; pending or drifted scripts come first.
            // A script folder of its own (--scripts) without the check has nothing to check it with.
            var isolation = await IsolationCheck.RunAsync(dataSource, cancellationToken);
            if (isolation.Count > 0)
            {
                throw new CliException(ErrorCodes.IsolationProblem,
                    $"The merchant isolation check found {isolation.Count} problem(s) (docs/merchant-isolation.md):"
                        + string.Concat(isolation.Select(p => $"{Environment.NewLine}  {p.ObjectName} ({p.ObjectKind}): {p.Description}")),
                    ExitCodes.IsolationProblem,
                    new { problems = isolation.Select(p => new { @object = p.ObjectName, kind = p.ObjectKind, message = p.Description }).ToList() });
            }
        }
        return new CommandResult(StatusView.Data(report), StatusView.Table([], StatusView.Summary(report)));
    }
}
