using System.Globalization;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Queries;

namespace Erp.Db.Tests.Cli;

/// <summary>erpdb finance as a table: each month shows the operating profit its footer totals, beside the orders' net profit.</summary>
public class FinanceTableTests
{
    [Fact]
    public async Task A_finance_table_shows_each_months_operating_profit_the_footer_totals_not_only_the_orders_net_profit()
    {
        await using var f = await QueryFixture.CreateAsync();
        string[] common = ["finance", "--merchant", "1", "--days", "60", "--connection", f.Db.ConnectionString];

        var json = await CliRun.RunAsync([.. common, "--format", "json"]);
        var table = await CliRun.RunAsync([.. common, "--format", "table"]);

        Assert.True(table.ExitCode == 0, table.Output + table.Error);
        var months = json.Json().GetProperty("data").GetProperty("months").EnumerateArray().ToList();
        Assert.Contains(months, m => m.GetProperty("expenses").GetDecimal() != 0);
        var text = table.Output.Replace("\n", " ", StringComparison.Ordinal);
        foreach (var m in months)
        {
            Assert.Contains("Operating profit", text, StringComparison.Ordinal);
            Assert.Contains(m.GetProperty("operatingProfit").GetDecimal().ToString("N2", CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
        }
        Assert.Contains("Orders' net profit", text, StringComparison.Ordinal);
        Assert.Contains("Overdue of month's invoices", text, StringComparison.Ordinal);
        Assert.Contains("Order fees (all orders)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finance_help_says_order_fees_count_every_order_unlike_the_fees_profit_subtracts()
    {
        var help = await CliRun.RunAsync("finance", "--help");

        var text = string.Join(" ", help.Output.Split((char[])['\n', ' '], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("cancelled and refunded ones included", text, StringComparison.Ordinal);
        Assert.Contains("netCashFlow = receipts - expenses - orderFees", text, StringComparison.Ordinal);
    }
}
