using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries.Sales;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb sales</c>: a merchant's sales over a period with growth, a breakdown and top products.</summary>
internal sealed class SalesCommand : Command
{
    private readonly Option<SalesGrouping> groupBy = GroupByOption.Create(
        "Breakdown: day, week (ISO, from Monday), month, hour (hour of the day 0-23 in the merchant's time zone, summed over the period's days), shop, platform, product or category. "
            + "By day, week and month every bucket of the period is a row and by hour all 24 hours: one without orders has revenue, orders and profit 0 and AOV and margins null; "
            + "by shop, platform, product and category only groups with sales.",
        SalesGrouping.Day,
        "day|week|month|hour|shop|platform|product|category");

    private readonly Option<int> top = new("--limit")
    {
        Description = "How many top products to list (0-100); with --group-by product also the rows of the breakdown, the rest summed in one row 'others' (its orders and AOV null: an order holding two of those products would count twice).",
        DefaultValueFactory = _ => 10,
    };

    private readonly Option<string[]> platforms = ListOption.Create("--platform",
        "Only these platforms (shopee, tiktok, amazon, lazada, ...): several separated by commas (shopee,tiktok), by spaces or by repeating the option.");

    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PeriodOptions period;
    private readonly MetricsOption metrics;

    public SalesCommand(CommandRunner runner, Database database)
        : base("sales", "A merchant's sales over a period: revenue, orders, average order value, growth against the previous period (of the same length; for a period ending after today, as many days at its start as the period has to today: data.comparedTo; for a period including today, today's counterpart counted only up to the same time of day in the merchant's time zone: data.comparedTo.through), a breakdown and the top products. Rates have 6 decimal places; AOV is null without orders.")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        period = new PeriodOptions(this, defaultDays: 7);
        Options.Add(groupBy);
        Options.Add(top);
        Options.Add(platforms);
        metrics = new MetricsOption(this,
            new Metric("revenue", "GMV of valid orders in CNY, with the previous period's and the growth rate", ["revenue", "previousRevenue", "growthRate"], ["Revenue"]),
            new Metric("orders", "valid orders (by product: the orders holding it; null by category and for 'others', where an order would count once per product)", ["orders"], ["Orders"]),
            new Metric("aov", "average order value, CNY", ["aov"], ["AOV"]),
            new Metric("grossProfit", "revenue minus cost of goods, CNY, and its margin over revenue", ["grossProfit", "grossMargin"], ["Gross profit"]),
            new Metric("netProfit", "gross profit minus platform, payment and shipping fees, CNY, and its margin over revenue", ["netProfit", "netMargin"], ["Net profit"]),
            new Metric("units", "units sold of each top product", ["units"], ["Units"]));
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var chosen = metrics.Resolve(parseResult);
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var query = new SalesQuery
        {
            MerchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken),
            Period = await period.ResolveAsync(parseResult, erp, cancellationToken),
            GroupBy = parseResult.GetValue(groupBy),
            TopProducts = parseResult.GetValue(top),
            Platforms = ListOption.Values(parseResult, platforms),
        };
        var result = await erp.Queries.SalesAsync(query, cancellationToken);
        var report = result.Data;
        var m = report.Metrics;
        var when = PeriodMeta.From(report.Period, Grain(query.GroupBy), report.LastBucketComplete, result.AsOf);
        bool Has(string metric) => MetricsOption.Has(chosen, metric);
        var totals = new List<string>();
        if (Has("revenue"))
        {
            totals.Add($"revenue {Cells.Money(m.Revenue)} CNY");
        }
        if (Has("orders"))
        {
            totals.Add($"{Cells.Count(m.Orders)} orders");
        }
        if (Has("aov"))
        {
            totals.Add($"AOV {Cells.Money(m.Aov)}");
        }
        if (Has("netProfit"))
        {
            totals.Add($"net profit {Cells.Money(m.NetProfit)}");
        }
        if (Has("revenue"))
        {
            totals.Add($"growth {Cells.Percent(m.GrowthRate)} against {report.ComparedTo.Start:yyyy-MM-dd}..{report.ComparedTo.End:yyyy-MM-dd}{Through(report.ComparedTo)}");
        }
        var breakdown = new TableView(
            [query.GroupBy.ToString(), "Revenue", "Orders", "AOV"],
            [.. report.Breakdown.Select(r => (IReadOnlyList<string>)[r.Label, Cells.Money(r.Revenue), Cells.Count(r.Orders), Cells.Money(r.Aov)])],
            $"{report.Period.Start:yyyy-MM-dd}..{report.Period.End:yyyy-MM-dd}: {string.Join(", ", totals)}.{when.Caption}", Records: report.Breakdown);
        var products = new TableView(
            ["Top product", "Revenue", "Orders", "Units"],
            [.. report.TopProducts.Select(p => (IReadOnlyList<string>)[$"{p.Sku} {p.Name}", Cells.Money(p.Revenue), Cells.Count(p.Orders), Cells.Count(p.Units)])], Records: report.TopProducts);
        return metrics.Apply(BiResult.From(result, when, breakdown, products), chosen);
    }

    /// <summary>meta.period.grain: the breakdown's time bucket, or the whole period for the other groupings.</summary>
    private static string Grain(SalesGrouping grouping) => grouping switch
    {
        SalesGrouping.Day => "day",
        SalesGrouping.Week => "week",
        SalesGrouping.Month => "month",
        SalesGrouping.Hour => "hour",
        _ => "period",
    };

    /// <summary>" up to HH:mm" when the comparison's last day was cut at today's time of day (docs/metrics.md); "" when it counts whole.</summary>
    internal static string Through(PeriodInfo compared) =>
        compared.Through is { } at ? $" (its last day up to {at:HH:mm}, the time of day now)" : "";
}
