using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries;
using Erp.Db.Queries.Funnel;
using Erp.Db.Queries.Trends;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb funnel</c>: visitors, cart, checkout and orders with each step's conversion.</summary>
internal sealed class FunnelCommand : Command
{
    private readonly Option<Granularity> grain = GrainOption.Create("day, week (ISO, from Monday) or month, for --group-by period.", Granularity.Day);
    private readonly Option<FunnelGrouping> by = GroupByOption.Create("period (oldest first), shop or platform (most visitors first).", FunnelGrouping.Period);
    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PeriodOptions period;
    private readonly PagingOptions paging;

    public FunnelCommand(CommandRunner runner, Database database)
        : base("funnel", "The traffic funnel visitors -> add to cart -> checkout -> orders, with conversion rates, per period, shop or platform.\n"
            + "Each step's conversion and the overall rate, per period, shop or platform (a page of them, in data.rows as for profit: by period every day, week or month of the period, one without traffic with counts 0 and rates null; by shop and platform only those with traffic), and the totals. JSON fields are the camelCase of the names below (visitor_to_cart_rate is visitorToCartRate).\n" + MetricDefinitions.Funnel)
    {
        this.database = database;
        merchant = new MerchantOption(this);
        period = new PeriodOptions(this, defaultDays: 30);
        Options.Add(grain);
        Options.Add(by);
        paging = new PagingOptions(this, defaultSize: 50);
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var query = new FunnelQuery
        {
            MerchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken),
            Period = await period.ResolveAsync(parseResult, erp, cancellationToken),
            Grain = parseResult.GetValue(grain),
            By = parseResult.GetValue(by),
            Paging = paging.Resolve(parseResult),
        };
        var result = await erp.Queries.FunnelAsync(query, cancellationToken);
        var data = result.Data;
        var table = new TableView(
            [query.By == FunnelGrouping.Period ? query.Grain.ToString() : query.By.ToString(), "Visitors", "Cart", "Checkout", "Orders", "Cart %", "Checkout %", "Order %", "Conversion"],
            [.. data.Rows.Items.Append(data.Totals).Select(r => BiResult.Row(r.Label, Cells.Count(r.Visitors), Cells.Count(r.AddToCart), Cells.Count(r.Checkout), Cells.Count(r.Orders),
                Cells.Percent(r.VisitorToCartRate), Cells.Percent(r.CartToCheckoutRate), Cells.Percent(r.CheckoutToOrderRate), Cells.Percent(r.ConversionRate)))],
            $"{data.Period.Start:yyyy-MM-dd}..{data.Period.End:yyyy-MM-dd}: {Cells.Count(data.Rows.Total)} rows (page {data.Rows.Page} of {Math.Max(1, data.Rows.Pages)}); the last row is the total. "
            + "Cart % = cart / visitors, checkout % = checkout / cart, order % = orders / checkout, conversion = orders / visitors.", Records: data.Rows.Items, Page: PageOf.From(data.Rows));
        return BiResult.From(result, PeriodMeta.Buckets(data.Period, query.By == FunnelGrouping.Period ? query.Grain : null, result.AsOf), table);
    }
}
