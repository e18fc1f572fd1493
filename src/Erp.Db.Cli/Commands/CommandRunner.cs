using System.CommandLine;
using System.Diagnostics;
using System.Net.Sockets;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Migrations;
using Erp.Db.Refresh;
using Npgsql;

namespace Erp.Db.Cli.Commands;

/// <summary>Runs a command's body and turns its result or failure into output and an exit code.</summary>
internal sealed class CommandRunner(CommandOutput output, GlobalOptions globals, Database database, ConfigurationFiles configurationFiles)
{
    public async Task<int> RunAsync(ParseResult parseResult, Func<CancellationToken, Task<CommandResult>> execute, CancellationToken cancellationToken)
    {
        var format = parseResult.GetValue(globals.Format);
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (configurationFiles.Problem is { } problem)
            {
                throw CliException.Validation(problem, new { field = "settings", file = configurationFiles.File });
            }
            var result = await execute(cancellationToken);
            var meta = new Dictionary<string, object?>
            {
                ["executionMs"] = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1),
                ["database"] = database.Used?.Display,
            };
            foreach (var (key, value) in result.Meta ?? new Dictionary<string, object?>())
            {
                meta[key] = value;
            }
            output.Success(result.Format ?? format, result.Data, [result.Table, .. result.Extra ?? []], meta);
            return result.ExitCode;
        }
        catch (Exception e) when (Describe(e, database.Used, parseResult) is { } failure)
        {
            output.Failure(format, failure.Code, failure.Message, failure.Details);
            return failure.ExitCode;
        }
    }

    /// <summary>An option of refresh typed as a view name (<c>erpdb refresh all</c>, read as mart.all): names the option.</summary>
    private static string OptionHint(IReadOnlyList<string> unknown) =>
        unknown.Select(u => u.StartsWith("mart.", StringComparison.Ordinal) ? u["mart.".Length..] : u).FirstOrDefault(u => u is "all" or "due" or "full" or "watch") is { } word
            ? $" '{word}' is not a view: did you mean --{word}?"
            : "";

    private static CliException? Describe(Exception e, ConnectionTarget? target, ParseResult parseResult) => e switch
    {
        CliException cli => cli,
        Erp.Db.Queries.QueryValidationException query => QueryFields.Validation(parseResult, query),
        UnknownViewException view => CliException.Validation(view.Message + OptionHint(view.Unknown), new { field = "views", unknown = view.Unknown, known = view.Known }),
        MigrationDriftException drift => new CliException(ErrorCodes.Drift, drift.Message, ExitCodes.Failure,
            new { scripts = drift.Drift.Select(d => new { script = d.Name, state = d.State, reason = d.Reason }) }),
        MigrationDowngradeException downgrade => new CliException(ErrorCodes.Downgrade, downgrade.Message, ExitCodes.Failure,
            new { scripts = downgrade.Downgrades.Select(d => new { script = d.Name, reason = d.Reason }) }),
        MigrationScriptException script => new CliException(ErrorCodes.MigrationFailed, script.Message, ExitCodes.Failure,
            new { script = script.ScriptName, line = script.Line, sqlState = script.SqlState, statementsApplied = script.StatementsApplied }),
        MigrationLockedException locked => new CliException(ErrorCodes.MigrationLocked, locked.Message, ExitCodes.Locked,
            new { holders = locked.Holders.Select(h => new { pid = h.ProcessId, login = h.Login, state = h.State }) }),
        MigrationException migration => new CliException(ErrorCodes.MigrationFailed, migration.Message, ExitCodes.Failure),
        // The library's refused permission, login or database: the same answer as the server's error itself, with the role this command needs.
        WarehouseAccessException { InnerException: PostgresException refused } => Describe(refused, target, parseResult),
        PostgresException { SqlState: "28P01" or "28000" } auth => new CliException(ErrorCodes.Unauthorized,
            $"The database refused the login: {auth.MessageText}. Check the user and password of the connection.", ExitCodes.Failure),
        PostgresException { SqlState: "42501" } denied => new CliException(ErrorCodes.Forbidden,
            $"This login lacks a permission it needs: {denied.MessageText}. {RoleHint(parseResult)}", ExitCodes.Forbidden),
        // PostgreSQL refuses COPY FROM into a table whose row level security applies to the login: seed as a writer.
        PostgresException { SqlState: "0A000" } copy when copy.MessageText.Contains("row-level security", StringComparison.Ordinal) => new CliException(
            ErrorCodes.Forbidden, $"This login may not load the tables with COPY: {copy.MessageText}. {RoleHint(parseResult)}", ExitCodes.Forbidden),
        PostgresException { SqlState: "3D000" } missing => new CliException(ErrorCodes.NotFound,
            $"{missing.MessageText}. Create the database first (createdb) or fix the connection's Database.", ExitCodes.Usage),
        WarehouseNotMigratedException notMigrated => new CliException(ErrorCodes.NotMigrated,
            $"The database{Tried(target)} is not migrated, or not up to date with this erpdb: {notMigrated.Missing}. "
                + "Run 'erpdb migrate' on it first; 'erpdb status' lists what is pending.", ExitCodes.Failure),
        TimeoutException { InnerException: PostgresException } timeout => new CliException(ErrorCodes.Timeout,
            $"{timeout.Message} erpdb reads ErpDb:QueryTimeout from erpdb.json or appsettings.json.", ExitCodes.Failure),
        PostgresException { SqlState: "57014" } cancelled => new CliException(ErrorCodes.Timeout,
            $"The server cancelled the statement: {cancelled.MessageText} (a statement timeout of the server or login, or a DBA's cancel). Retry, or narrow the request.",
            ExitCodes.Failure),
        PostgresException pg => new CliException(ErrorCodes.Server, $"PostgreSQL error {pg.SqlState}: {pg.MessageText}", ExitCodes.Failure),
        NpgsqlException { InnerException: TimeoutException } => new CliException(ErrorCodes.Timeout,
            $"Timed out waiting for the database{Tried(target)}. Check that it is reachable, or raise Timeout in the connection string.", ExitCodes.Failure),
        NpgsqlException { InnerException: SocketException or IOException } or SocketException => new CliException(ErrorCodes.DbUnavailable,
            $"Cannot reach the database{Tried(target)}: {e.InnerException?.Message ?? e.Message}. Check the host and port, and that PostgreSQL is running.", ExitCodes.Failure),
        OperationCanceledException => new CliException(ErrorCodes.Timeout, "Cancelled before it finished; nothing of the unfinished step was committed.", ExitCodes.Failure),
        InvalidOperationException or IOException or UnauthorizedAccessException => new CliException(ErrorCodes.Server, e.Message, ExitCodes.Failure),
        _ => null,
    };

    /// <summary>Which role the command needs, for a login PostgreSQL refused (docs/security.md says who may do what).</summary>
    private static string RoleHint(ParseResult parseResult) => parseResult.CommandResult.Command.Name switch
    {
        "migrate" or "status" or "verify" or "script" or "doctor" or "seed" =>
            $"'erpdb {parseResult.CommandResult.Command.Name}' needs the login that migrates: a member of erp_owner, or a superuser (docs/security.md).",
        "refresh" or "post" or "import" =>
            $"'erpdb {parseResult.CommandResult.Command.Name}' needs a login in erp_writer (docs/security.md).",
        _ => "BI commands need a login in erp_reader with a merchant grant, ops.grant_merchant_access (docs/security.md).",
    };

    /// <summary>Where erpdb tried to connect and where that connection came from (never the password).</summary>
    private static string Tried(ConnectionTarget? target) => target is null ? "" : $" {target.Display} (connection from {target.Source})";
}
