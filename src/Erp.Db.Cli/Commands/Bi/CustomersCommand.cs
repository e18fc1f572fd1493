using System.CommandLine;
using Erp.Db.Cli.Connection;
using Erp.Db.Cli.Output;
using Erp.Db.Queries.Customers;

namespace Erp.Db.Cli.Commands.Bi;

/// <summary><c>erpdb customers</c>: customer segments and a list.</summary>
internal sealed class CustomersCommand : Command
{
    private readonly Option<CustomerSegment> segment = new("--segment") { Description = "all, new, repeat, churned, vip or one_time. Each customer is in one segment, the first that matches: churned (no order in 90 days), vip (lifetime spend at or above the platinum level), new (first order within 30 days), repeat (2+ orders), one_time.", DefaultValueFactory = _ => CustomerSegment.All };
    private readonly Option<int> period = new("--period") { Description = "Days for \"active customers\" (1-3660).", DefaultValueFactory = _ => 30 };
    private readonly Option<CustomerSort> sortBy = new("--sort-by") { Description = "revenue, orders or last_order.", DefaultValueFactory = _ => CustomerSort.Revenue };
    private readonly Option<int> limit = new("--limit") { Description = "How many customers to list (1-500).", DefaultValueFactory = _ => 100 };
    private readonly Database database;
    private readonly MerchantOption merchant;
    private readonly MetricsOption metrics;

    public CustomersCommand(CommandRunner runner, Database database)
        : base("customers", "Customer counts per segment (new, repeat, churned, VIP) and a sorted list of one segment's customers.")
    {
        this.database = database;
        merchant = new MerchantOption(this);
        Options.Add(segment);
        Options.Add(period);
        Options.Add(sortBy);
        Options.Add(limit);
        metrics = new MetricsOption(this,
            new Metric("count", "customers per segment, in the summary and the segments",
                ["totalCustomers", "activeCustomers", "newCustomers", "repeatCustomers", "churnedCustomers", "vipCustomers", "oneTimeCustomers", "count"], []),
            new Metric("revenue", "lifetime spend in CNY: per segment, per customer in the segment, per listed customer", ["revenue", "averageRevenue"], ["Revenue"]),
            new Metric("frequency", "valid orders per listed customer and the repeat rate (share of customers with 2+ orders)", ["orders", "repeatRate"], ["Orders"]));
        SetAction((parseResult, ct) => runner.RunAsync(parseResult, token => ExecuteAsync(parseResult, token), ct));
    }

    private async Task<CommandResult> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var chosen = metrics.Resolve(parseResult);
        var erp = await database.GetErpAsync(parseResult, cancellationToken);
        var query = new CustomerQuery
        {
            MerchantId = await merchant.ResolveAsync(parseResult, erp, cancellationToken),
            Segment = parseResult.GetValue(segment),
            SortBy = parseResult.GetValue(sortBy),
            Limit = parseResult.GetValue(limit),
            PeriodDays = parseResult.GetValue(period),
        };
        var result = await erp.Queries.CustomersAsync(query, cancellationToken);
        var s = result.Data.Summary;
        var table = new TableView(
            ["Customer", "Segment", "Revenue", "Orders", "First", "Last"],
            [.. result.Data.Customers.Select(c => BiResult.Row(c.CustomerCode, c.Segment, Cells.Money(c.Revenue), Cells.Count(c.Orders), $"{c.FirstOrderDate:yyyy-MM-dd}", $"{c.LastOrderDate:yyyy-MM-dd}"))],
            $"{Cells.Count(s.TotalCustomers)} customers: {Cells.Count(s.NewCustomers)} new, {Cells.Count(s.RepeatCustomers)} repeat, "
            + $"{Cells.Count(s.ChurnedCustomers)} churned, {Cells.Count(s.VipCustomers)} VIP, {Cells.Count(s.OneTimeCustomers)} one-time; "
            + $"repeat rate (2+ orders, any segment) {Cells.Percent(s.RepeatRate)}.", Records: result.Data.Customers);
        // The window the library counted: the last --period days to the warehouse's today on the query's connection.
        var today = result.AsOf;
        var active = new PeriodMeta(today.AddDays(1 - query.PeriodDays), today, query.PeriodDays, "period", false,
            "The active-customer window (--period) includes today, whose data is still coming in; segments and lifetime figures are as of today.");
        return metrics.Apply(BiResult.From(result, active, table), chosen);
    }
}
