using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Health;

namespace Erp.Db.Cli.Commands;

/// <summary><c>erpdb doctor</c>: what a DBA should act on; exit 0 when healthy, 5 when something needs action.</summary>
internal sealed class DoctorCommand : Command
{
    private readonly Database database;

    public DoctorCommand(CommandRunner runner, Database database)
        : base("doctor", "List what a DBA should act on, each with a stable code (docs/doctor.md), the object and the fix.\n"
            + "Checks: isolation, merchant grants that count for no role, failing, stale or slow views, stuck refresh locks, views without a unique index, "
            + "DEFAULT partitions, partitions not ahead, merchants counting days in another time zone than the database, pending scripts and drift, objects changed by hand, pg_cron jobs (this database's, and those left by dropped databases). Exit 0 when healthy, 5 when something needs action.")
    {
        this.database = database;
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var problems = await (await database.GetMigratorAsync(parseResult, cancellationToken)).Doctor.CheckAsync(cancellationToken);
        var caption = problems.Count == 0 ? "Healthy: nothing to act on."
            : $"{problems.Count} problem(s) to act on ({problems.Count(p => p.Severity == "error")} error(s)); codes in docs/doctor.md.";
        // One shape for JSON's problems and CSV's records, so CSV has one column per JSON field (object, not objectName).
        var rows = problems.Select(p => new { code = p.Code, severity = p.Severity, @object = p.ObjectName, problem = p.Problem, fix = p.Fix }).ToList();
        var table = new TableView(
            ["Code", "Object", "Problem and fix"],
            [.. problems.Select(p => (IReadOnlyList<string>)[p.Code, p.ObjectName, $"{p.Problem}\nFix: {p.Fix}"])],
            caption,
            Records: rows,
            WrapText: true);
        var data = new { healthy = problems.Count == 0, problems = rows };
        return new CommandResult(data, table, problems.Count == 0 ? ExitCodes.Ok : ExitCodes.NeedsAction);
    }
}
