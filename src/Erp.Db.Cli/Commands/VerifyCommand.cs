using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Migrations;

namespace Erp.Db.Cli.Commands;

/// <summary>
/// <c>erpdb verify</c>: exit 0 when up to date and isolated; otherwise an error (success false) with the
/// scripts or problems in its details: 3 <c>PENDING</c> when scripts are pending, 4 <c>DRIFT</c> on drift (an applied migration
/// changed or removed; or, checked last, an object changed by hand with error severity, ERPDB020: migrate repairs neither), 6 <c>ISOLATION_PROBLEM</c> when the merchant isolation check (run once the scripts are up to date) lists problems.
/// </summary>
internal sealed class VerifyCommand : Command
{
    private readonly Option<DirectoryInfo?> scripts = SchemaOptions.Scripts();
    private readonly Database database;

    public VerifyCommand(CommandRunner runner, Database database)
        : base("verify", "Check the database against the scripts, for CI.\nExit 0 when up to date, 3 when scripts are pending (PENDING), 4 when an applied migration was changed or removed, or an index, trigger, constraint, policy, row level security flag, NOT NULL or privilege was dropped, changed or granted by hand since the last migrate (DRIFT; erpdb doctor gives the fixes, ERPDB020), 6 when the merchant isolation check finds something a scoped reader could use to see other merchants' rows (ISOLATION_PROBLEM).")
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
        var changed = report.ObjectDrift.Where(d => d.IsError).ToList();
        // Each object changed by hand, with its fix: often the cause of an isolation problem too (a policy dropped, a hand grant).
        var changedLines = string.Concat(changed.Select(d => $"{Environment.NewLine}  {d.ObjectName}: {d.Problem}. {d.Fix}"));
        if (report.Scripts.Any(s => s.Name == IsolationCheck.Script))
        {
            // Only an up-to-date schema has the current check; pending or drifted scripts come first.
            // A script folder of its own (--scripts) without the check has nothing to check it with.
            var isolation = await IsolationCheck.RunAsync(dataSource, cancellationToken);
            if (isolation.Count > 0)
            {
                throw new CliException(ErrorCodes.IsolationProblem,
                    $"The merchant isolation check found {isolation.Count} problem(s) (docs/merchant-isolation.md):"
                        + string.Concat(isolation.Select(p => $"{Environment.NewLine}  {p.ObjectName} ({p.ObjectKind}): {p.Description}"))
                        + (changed.Count > 0 ? $"{Environment.NewLine}And {changed.Count} object(s) changed by hand since the last migrate (ERPDB020):{changedLines}" : ""),
                    ExitCodes.IsolationProblem,
                    new
                    {
                        problems = isolation.Select(p => new { @object = p.ObjectName, kind = p.ObjectKind, message = p.Description }).ToList(),
                        objectDrift = changed.Count > 0 ? StatusView.ObjectDrift(report.ObjectDrift) : null,
                    });
            }
        }
        if (changed.Count > 0)
        {
            // After the isolation check, whose problem is the sharper one (a hand grant that lets readers around isolation is both;
            // its message lists these too).
            // Migrate does not repair these, so PENDING (run migrate) would mislead: the schema differs from what the scripts made.
            throw new CliException(ErrorCodes.Drift,
                $"DRIFT: {changed.Count} object(s) changed by hand since the last migrate; erpdb migrate does not repair them, run each fix (erpdb doctor, ERPDB020):"
                    + changedLines,
                ExitCodes.Drift,
                new { database = report.Database, pending = 0, drifted = 0, objectDrift = StatusView.ObjectDrift(report.ObjectDrift) });
        }
        // Passing with warnings (objects changed by hand whose severity lets verify pass): the table names them with their fixes, as JSON does.
        return new CommandResult(StatusView.Data(report),
            report.ObjectDrift.Count > 0 ? StatusView.Attention(report) : StatusView.Table([], StatusView.Summary(report)));
    }
}
