using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Refresh;

namespace Erp.Db.Cli.Commands;

/// <summary><c>erpdb views</c>: every materialized view with its freshness and health.</summary>
internal sealed class ViewsCommand : Command
{
    private readonly Database database;

    public ViewsCommand(CommandRunner runner, Database database)
        : base("views", "List the materialized views: rows, last refresh, duration, status, age, stale, consecutive failures.")
    {
        this.database = database;
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var statuses = await (await database.GetErpAsync(parseResult, cancellationToken)).Refresh.GetStatusAsync(cancellationToken);
        var unhealthy = statuses.Count(s => !s.IsHealthy);
        var caption = unhealthy == 0 ? $"{statuses.Count} views, all healthy." : $"{statuses.Count} views, {unhealthy} unhealthy (stale, failing or missing).";
        return new CommandResult(new { views = statuses.Select(RefreshView.Status), unhealthy }, RefreshView.Statuses(statuses, caption));
    }
}
