using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries.Trends;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb trends</c>: revenue, orders and profit per day, week or month, optionally forecast.</summary>
internal sealed class TrendsCommand : Command
{
    private readonly Option<Granularity> granularity = GrainOption.Create("day, week (ISO, from Monday) or month.", Granularity.Day);

    private readonly Option<int> forecast = new("--forecast")
    {
        Description = "Extend the series by N buckets (0-90 days, 0-26 weeks, 0-12 months; default 0). Method: a least-squares line "
            + "through the period's complete buckets (empty ones count as 0; buckets cut by the period's edges or reaching today are left out), "
            + "for revenue, orders and net profit; the band (revenueLower..revenueUpper, ordersLower..ordersUpper) is the 95% prediction interval "
            + "(value ± 1.96 × residual standard error, widened away from the data). Forecast points have forecast: true. Needs 3 complete buckets.",
        DefaultValueFactory = _ => 0,
    };

    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly PeriodOptions period;
    private readonly MetricsOption metrics;

    public TrendsCommand(CommandRunner runner, Database database)
        : base("trends", "Revenue, orders, average order value and net profit per day, week or month, with their changes, direction and a forecast.\nIn CNY, of valid orders, one point per bucket of the period (a bucket without orders at 0, its AOV null: no average of nothing), with the change of revenue, orders and AOV against the bucket before (revenueChange, ordersChange, aovChange: fractions to 6 decimal places, 0.05 = +5%; null after a bucket without orders, -1 into one, aovChange null into one; revenueChange and ordersChange null unless both buckets are complete: one cut by the period or reaching today has fewer days), whether each bucket is complete, the overall direction over the complete buckets and an optional forecast.")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        period = new PeriodOptions(this, defaultDays: 90);
        Options.Add(granularity);
        Options.Add(forecast);
        metrics = new MetricsOption(this,
            new Metric("revenue", "GMV of valid orders in CNY, its change per bucket (revenueChange), the direction and the forecast band",
                ["revenue", "revenueChange", "revenueLower", "revenueUpper", "direction", "changeRate", "revenueSlope"], ["Revenue", "Change", "Revenue low", "Revenue high"]),
            new Metric("orders", "valid orders, their change per bucket (ordersChange) and their forecast band", ["orders", "ordersChange", "ordersLower", "ordersUpper"], ["Orders"]),
            new Metric("aov", "average order value, CNY, and its change per bucket (aovChange)", ["aov", "aovChange"], ["AOV"]),
            new Metric("netProfit", "net profit after fees, CNY", ["netProfit"], ["Net profit"]));
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var chosen = metrics.Resolve(parseResult);
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var query = new TrendQuery
        {
            MerchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken),
            Period = await period.ResolveAsync(parseResult, erp, cancellationToken),
            Grain = parseResult.GetValue(granularity),
            Forecast = parseResult.GetValue(forecast),
        };
        var result = await erp.Queries.TrendsAsync(query, cancellationToken);
        var data = result.Data;
        var grain = query.Grain.ToString().ToLowerInvariant();
        var when = PeriodMeta.From(data.Period, grain, data.LastBucketComplete, result.AsOf);
        var headers = new List<string> { query.Grain.ToString(), "Revenue", "Orders", "AOV", "Net profit", "Change" };
        if (data.Forecast is not null)
        {
            headers.AddRange(["Revenue low", "Revenue high"]);
        }
        // Figures stay in numeric columns (never shortened); the bucket says whether it is partial or forecast.
        var table = new TableView(headers,
            [.. data.Series.Select(p => BiResult.Row([
                $"{p.Bucket:yyyy-MM-dd}{(p.Forecast ? " (forecast)" : p.Complete ? "" : " (partial)")}",
                Cells.Money(p.Revenue), Cells.Count(p.Orders), Cells.Money(p.Aov), Cells.Money(p.NetProfit), p.Forecast ? "" : Cells.Percent(p.RevenueChange),
                .. data.Forecast is null ? Array.Empty<string>() : [p.RevenueLower is { } low ? Cells.Money(low) : "", p.RevenueUpper is { } high ? Cells.Money(high) : ""]]))],
            $"Trend {data.Direction} ({Cells.Percent(data.ChangeRate)}, second half of the complete {grain}s against the first).{when.Caption}"
            + (data.Forecast is { } f ? $" Forecast: {f.Buckets} {grain}s by a least-squares line through {f.FittedBuckets} complete {grain}s, 95% prediction band." : ""), Records: data.Series);
        return metrics.Apply(BiResult.From(result, when, table), chosen);
    }
}
