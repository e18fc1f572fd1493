using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries.Targets;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb targets</c>: sales targets and their achievement.</summary>
internal sealed class TargetsCommand : Command
{
    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PagingOptions paging;

    public TargetsCommand(CommandRunner runner, Database database)
        : base("targets", "Sales targets against actual valid sales: achievement rate and status; latest period first.\nFrom dw.cfg_sales_targets: target, actual, achievement rate, elapsed share of the period and status (not_started, achieved, on_track = rate at least the elapsed share, behind, missed). Recomputed after each due refresh and on every change of the targets.")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        paging = new PagingOptions(this, defaultSize: 50);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var result = await erp.Queries.TargetsAsync(new TargetQuery
        {
            MerchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken),
            Paging = paging.Resolve(parseResult),
        }, cancellationToken);
        var page = result.Data;
        var table = new TableView(
            ["Metric", "Shop", "From", "To", "Target", "Actual", "Rate", "Elapsed", "Status"],
            [.. page.Items.Select(t => BiResult.Row(t.Metric, t.ShopName ?? "all shops", $"{t.Start:yyyy-MM-dd}", $"{t.End:yyyy-MM-dd}",
                Cells.Money(t.TargetValue), Cells.Money(t.ActualValue), Cells.Percent(t.AchievementRate), Cells.Percent(t.ElapsedShare), t.Status))],
            $"{Cells.Count(page.Total)} targets ({page.Items.Count(t => t.Status == "achieved")} achieved on this page). Page {page.Page} of {Math.Max(1, page.Pages)}.", Records: page.Items, Page: PageOf.From(page));
        return BiResult.From(result, table);
    }
}
