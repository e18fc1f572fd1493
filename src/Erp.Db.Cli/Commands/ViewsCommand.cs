using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Queries;
using Erp.Db.Refresh;

namespace Erp.Db.Cli.Commands;

/// <summary>
/// <c>erpdb views</c>: every materialized view with its freshness and health (<c>ops.view_status()</c>); for a
/// login that may not call it (a reader), the freshness of the views it may read (<c>ops.view_freshness()</c>).
/// </summary>
internal sealed class ViewsCommand : Command
{
    private readonly Database database;

    public ViewsCommand(CommandRunner runner, Database database)
        : base("views", "List the materialized views: rows, last refresh, duration, status, age, stale, consecutive failures.\n"
            + "A reader (erp_reader), which may not see rows, durations or errors, gets the freshness of the views it may read: last refresh, age, stale, failing (data.source says which).")
    {
        this.database = database;
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        IReadOnlyList<ViewStatus> statuses;
        try
        {
            statuses = await erp.Refresh.GetStatusAsync(cancellationToken);
        }
        catch (WarehouseAccessException e) when (e.Reason == WarehouseAccessReason.PermissionDenied)
        {
            // ops.view_status shows every merchant's activity, so readers may not call it; they may see how fresh their views are.
            return Freshness(await erp.Queries.FreshnessAsync(cancellationToken));
        }
        var unhealthy = statuses.Count(s => !s.Healthy);
        var caption = unhealthy == 0 ? $"{statuses.Count} views, all healthy." : $"{statuses.Count} views, {unhealthy} unhealthy (stale, failing or missing).";
        return new CommandResult(new { source = "ops.view_status()", views = statuses.Select(RefreshView.Status), unhealthy }, RefreshView.Statuses(statuses, caption));
    }

    private static CommandResult Freshness(IReadOnlyList<ViewFreshness> views)
    {
        var unhealthy = views.Count(v => v.Stale || v.Failing);
        const string Note = "This login may not call ops.view_status() (erp_writer or the owner may): freshness only, without rows, durations or errors.";
        var caption = $"{views.Count} views this login may read, freshness only (rows, durations and errors need erp_writer); "
            + (unhealthy == 0 ? "none stale or failing." : $"{unhealthy} stale or failing.");
        return new CommandResult(new { source = "ops.view_freshness()", note = Note, views, unhealthy }, RefreshView.Freshness(views, caption));
    }
}
