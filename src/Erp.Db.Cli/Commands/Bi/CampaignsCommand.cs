using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries.Campaigns;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb campaigns</c>: campaigns with their revenue against target and ROI.</summary>
internal sealed class CampaignsCommand : Command
{
    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PagingOptions paging;

    public CampaignsCommand(CommandRunner runner, Database database)
        : base("campaigns", "Campaigns with their revenue, achievement and ROI; latest start first.\nFrom dw.cfg_sales_campaigns, cancelled ones excluded, with the valid sales in their window and scope: targetRevenue, revenue (GMV of valid orders, as in erpdb sales), orders, achievement (revenue / target), budget, gross profit and ROI = (gross profit - budget) / budget, in CNY. Recomputed after each due refresh and on every change of the campaigns.")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        paging = new PagingOptions(this, defaultSize: 50);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var result = await erp.Queries.CampaignsAsync(new CampaignQuery
        {
            MerchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken),
            Paging = paging.Resolve(parseResult),
        }, cancellationToken);
        var data = result.Data;
        var t = data.Totals;
        var table = new TableView(
            ["Campaign", "From", "To", "Target", "Revenue", "Achieved", "Budget", "Gross profit", "ROI"],
            [.. data.Campaigns.Items.Select(c => BiResult.Row(c.Platform is { } platform ? $"{c.Code} ({platform})" : c.Code, $"{c.Start:yyyy-MM-dd}", $"{c.End:yyyy-MM-dd}", c.TargetRevenue is { } target ? Cells.Money(target) : "",
                Cells.Money(c.Revenue), Cells.Percent(c.AchievementRate), c.Budget is { } budget ? Cells.Money(budget) : "", Cells.Money(c.GrossProfit), Cells.Percent(c.Roi)))],
            $"{Cells.Count(t.Count)} campaigns (CNY): revenue {Cells.Money(t.Revenue)} of target {Cells.Money(t.TargetRevenue)}, gross profit {Cells.Money(t.GrossProfit)}, budget {Cells.Money(t.Budget)}. "
            + $"Page {data.Campaigns.Page} of {Math.Max(1, data.Campaigns.Pages)}.", Records: data.Campaigns.Items, Page: PageOf.From(data.Campaigns));
        return BiResult.From(result, table);
    }
}
