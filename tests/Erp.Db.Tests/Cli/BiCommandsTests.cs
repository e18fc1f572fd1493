using System.Globalization;
using Erp.Db.Tests.Queries;

namespace Erp.Db.Tests.Cli;

/// <remarks>The tests that only read the sales dataset share one (<see cref="SharedQueryFixture"/>); those that change it, add logins or hold locks have their own.</remarks>
public class BiCommandsTests(SharedQueryFixture shared) : IClassFixture<SharedQueryFixture>
{
    [Fact]
    public async Task Sales_prints_the_envelope_with_totals_daily_rows_top_products_and_freshness()
    {
        var f = await shared.GetAsync();

        var run = await CliRun.RunAsync("sales", "--days", "7", "--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString);

        Assert.Equal(0, run.ExitCode);
        var json = run.Json();
        Assert.True(json.GetProperty("success").GetBoolean());
        var data = json.GetProperty("data");
        Assert.Equal(7, data.GetProperty("period").GetProperty("days").GetInt32());
        Assert.Equal(
            await f.Db.ScalarAsync<decimal>("SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND order_date >= CURRENT_DATE - 6 AND dw.is_valid_sale(status)"),
            data.GetProperty("metrics").GetProperty("revenue").GetDecimal());
        Assert.Equal(7, data.GetProperty("daily").GetArrayLength());
        Assert.True(data.GetProperty("topProducts").GetArrayLength() > 0);
        Assert.True(json.GetProperty("meta").GetProperty("executionMs").GetDouble() > 0);
        Assert.Contains(json.GetProperty("meta").GetProperty("freshness").EnumerateArray(), v => v.GetProperty("view").GetString() == "mart.mv_daily_sales");
    }

    [Theory]
    [InlineData("sales", "--days", "0")]
    [InlineData("sales", "--days", "abc")]
    [InlineData("sales", "--start", "2026-13-45")]
    [InlineData("sales", "--group-by", "'; DROP TABLE x; --")]
    [InlineData("products", "--page", "0")]
    [InlineData("products", "--page-size", "-5")]
    [InlineData("products", "--page-size", "1000000")]
    [InlineData("products", "--sort-by", "price; DROP TABLE dw.dim_products")]
    [InlineData("customers", "--segment", "everyone")]
    [InlineData("inventory", "--threshold", "-1")]
    [InlineData("report", "--type", "hourly")]
    [InlineData("receivables", "--status", "late")]
    [InlineData("receivables", "--status", "1")]
    [InlineData("receivables", "--page", "0")]
    [InlineData("receipts", "--page", "0")]
    [InlineData("receipts", "--from", "2026-13-01")]
    [InlineData("receipts", "--from", "2026-03-02", "--to", "2026-03-01")]
    [InlineData("movements", "--page", "0")]
    [InlineData("stock", "--status", "empty")]
    [InlineData("stock", "--category", "999999")]
    [InlineData("alerts", "--page-size", "0")]
    [InlineData("targets", "--page", "-1")]
    [InlineData("campaigns", "--page-size", "501")]
    public async Task Bad_input_exits_2_with_a_validation_error_and_changes_nothing(params string[] args)
    {
        var f = await shared.GetAsync();

        var run = await CliRun.RunAsync([.. args, "--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("VALIDATION_ERROR", run.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(4, await f.Db.ScalarAsync<long>("SELECT count(*) FROM dw.dim_products"));
    }

    [Fact]
    public async Task The_merchant_must_be_named_when_several_are_visible_and_must_exist()
    {
        var f = await shared.GetAsync();

        var unnamed = await CliRun.RunAsync("sales", "--format", "json", "--connection", f.Db.ConnectionString);
        var unknown = await CliRun.RunAsync("sales", "--merchant", "999", "--format", "json", "--connection", f.Db.ConnectionString);

        Assert.Equal(2, unnamed.ExitCode);
        Assert.Contains("--merchant", unnamed.Json().GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal("NOT_FOUND", unknown.Json().GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_app_login_allowed_any_merchant_may_name_one_and_a_scoped_reader_may_not_name_another()
    {
        await using var f = await QueryFixture.CreateAsync();
        await using var app = await Infrastructure.TestLogin.CreateAsync(f.Db, "erp_reader");
        await using var scoped = await Infrastructure.TestLogin.CreateAsync(f.Db, "erp_reader");
        await f.Db.ExecuteAsync($"SELECT ops.grant_merchant_access('{app.Name}', NULL), ops.grant_merchant_access('{scoped.Name}', 1)");

        var appRun = await CliRun.RunAsync("sales", "--merchant", "2", "--format", "json", "--connection", app.ConnectionString);
        var scopedOwn = await CliRun.RunAsync("sales", "--format", "json", "--connection", scoped.ConnectionString);
        var scopedOther = await CliRun.RunAsync("sales", "--merchant", "2", "--format", "json", "--connection", scoped.ConnectionString);

        Assert.Equal(0, appRun.ExitCode);
        Assert.Equal(
            await f.Db.ScalarAsync<decimal>("SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE merchant_id = 2 AND order_date >= CURRENT_DATE - 6 AND dw.is_valid_sale(status)"),
            appRun.Json().GetProperty("data").GetProperty("metrics").GetProperty("revenue").GetDecimal());
        Assert.Equal(0, scopedOwn.ExitCode);
        Assert.Equal(7, scopedOther.ExitCode);
        Assert.Equal("FORBIDDEN", scopedOther.Json().GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_database_that_does_not_answer_exits_1()
    {
        var run = await CliRun.RunAsync("sales", "--merchant", "1", "--format", "json", "--connection", "Host=127.0.0.1;Port=1;Username=x;Timeout=3");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("DB_UNAVAILABLE", run.Json().GetProperty("error").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("sales", "--group-by", "platform")]
    [InlineData("products", "--sort-by", "price", "--order", "ascending")]
    [InlineData("customers", "--segment", "vip", "--sort-by", "revenue", "--limit", "20")]
    [InlineData("inventory", "--status", "low", "--threshold", "5")]
    [InlineData("trends", "--days", "90", "--granularity", "week")]
    [InlineData("finance", "--days", "60")]
    [InlineData("report", "--type", "monthly")]
    [InlineData("receivables", "--status", "all", "--aging")]
    [InlineData("receipts")]
    [InlineData("receipts", "--unapplied", "--from", "2026-01-01")]
    [InlineData("movements", "--type", "reserve,sale_out")]
    [InlineData("stock", "--status", "out")]
    [InlineData("alerts", "--open")]
    [InlineData("targets")]
    [InlineData("campaigns")]
    public async Task Every_BI_command_answers_in_json_in_80_column_tables_and_in_csv(params string[] args)
    {
        var f = await shared.GetAsync();
        string[] common = ["--merchant", "1", "--connection", f.Db.ConnectionString];

        var json = await CliRun.RunAsync([.. args, .. common, "--format", "json"]);
        var table = await CliRun.RunAsync([.. args, .. common, "--format", "table"]);
        var csv = await CliRun.RunAsync([.. args, .. common, "--format", "csv"]);

        Assert.Equal(0, json.ExitCode);
        Assert.True(json.Json().GetProperty("success").GetBoolean());
        Assert.Equal(0, table.ExitCode);
        Assert.All(table.Output.Split('\n'), line => Assert.True(line.TrimEnd().Length <= 80, $"too wide: {line}"));
        Assert.Equal(0, csv.ExitCode);
        Assert.Contains(',', csv.Csv().Split('\n')[0]);
    }

    [Fact]
    public async Task A_report_of_a_day_without_sales_says_it_has_no_top_products()
    {
        var f = await shared.GetAsync();

        // A day long before the dataset's orders.
        var run = await CliRun.RunAsync("report", "--merchant", "1", "--date", "2020-01-01", "--format", "table", "--connection", f.Db.ConnectionString);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Top products: none, no product sold in the period.", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("(no rows)", run.Output, StringComparison.Ordinal);
    }

    /// <summary>Stock and customers have no history: a past period's report says its figures of them are today's; today's does not.</summary>
    [Fact]
    public async Task A_report_of_a_past_period_says_its_stock_and_customers_are_todays()
    {
        var f = await shared.GetAsync();
        var today = await f.Db.ScalarAsync<DateOnly>("SELECT CURRENT_DATE");

        var past = await CliRun.RunAsync("report", "--merchant", "1", "--type", "monthly", "--date", $"{today.AddMonths(-1):yyyy-MM-dd}", "--format", "json", "--connection", f.Db.ConnectionString);
        var current = await CliRun.RunAsync("report", "--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString);

        Assert.Equal((0, 0), (past.ExitCode, current.ExitCode));
        Assert.EndsWith($"are as of today, {today:yyyy-MM-dd}, not of {new DateOnly(today.AddMonths(-1).Year, today.AddMonths(-1).Month, 1).AddMonths(1).AddDays(-1):yyyy-MM-dd}: the warehouse keeps no history of stock positions or customer segments.",
            past.Json().GetProperty("meta").GetProperty("period").GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("no history", current.Json().GetProperty("meta").GetProperty("period").GetProperty("note").GetString() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_writes_the_rows_data_with_raw_values_and_says_what_it_leaves_out()
    {
        var f = await shared.GetAsync();
        string[] args = ["sales", "--group-by", "platform", "--days", "90", "--merchant", "1", "--connection", f.Db.ConnectionString];

        var json = (await CliRun.RunAsync([.. args, "--format", "json"])).Json().GetProperty("data").GetProperty("breakdown").EnumerateArray().ToList();
        var csv = await CliRun.RunAsync([.. args, "--format", "csv"]);
        var none = await CliRun.RunAsync("campaigns", "--merchant", "1", "--format", "csv", "--connection", f.Db.ConnectionString);
        var revenueOnly = await CliRun.RunAsync([.. args, "--metrics", "revenue", "--format", "csv"]);

        Assert.Equal(0, csv.ExitCode);
        var lines = csv.Csv().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        var header = lines[0].Split(',');
        Assert.Equal(json[0].EnumerateObject().Select(p => p.Name), header);
        Assert.True(json.Count > 0 && json.Count == lines.Length - 1);
        // Each cell is the JSON value as written (no thousands separator, no %, empty for null).
        for (var i = 0; i < json.Count; i++)
        {
            Assert.Equal(json[i].EnumerateObject().Select(p => p.Value.ValueKind switch
            {
                System.Text.Json.JsonValueKind.String => p.Value.GetString(),
                System.Text.Json.JsonValueKind.Null => "",
                _ => p.Value.GetRawText(),
            }), lines[i + 1].Split(','));
        }
        Assert.Contains(json, r => r.GetProperty("revenue").GetDecimal() >= 1000m);
        Assert.Contains("CSV holds the rows of the first table only", csv.Error, StringComparison.Ordinal);
        Assert.Equal(0, none.ExitCode);
        Assert.StartsWith("campaignId,code,name,", none.Csv(), StringComparison.Ordinal);
        Assert.Single(none.Csv().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
        // --metrics leaves out the other metrics' fields in CSV as in JSON.
        Assert.Equal(header.Where(h => h is not ("orders" or "aov" or "grossProfit" or "grossMargin" or "netProfit" or "netMargin")), revenueOnly.Csv().ReplaceLineEndings("\n").Split('\n')[0].Split(','));
    }

    [Fact]
    public async Task Csv_of_one_page_of_a_longer_list_says_which_page_it_holds_of_how_many()
    {
        var f = await shared.GetAsync();
        string[] args = ["receivables", "--status", "all", "--merchant", "1", "--connection", f.Db.ConnectionString, "--format", "csv"];
        var total = await f.Db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_accounts_receivable WHERE merchant_id = 1");
        Assert.True(total > 1, "the fixture needs two receivables");

        var first = await CliRun.RunAsync([.. args, "--page-size", "1"]);
        var last = await CliRun.RunAsync([.. args, "--page-size", "1", "--page", total.ToString(CultureInfo.InvariantCulture)]);
        var whole = await CliRun.RunAsync(args);

        Assert.Equal((0, 0, 0), (first.ExitCode, last.ExitCode, whole.ExitCode));
        // The file has the header and one row, which a spreadsheet would show as the whole list: stderr says it is one page.
        Assert.Equal(2, first.Csv().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Length);
        Assert.Contains($"CSV holds page 1 of {total} (1 of the {total} rows): the other pages with --page", first.Error, StringComparison.Ordinal);
        Assert.Contains($"CSV holds page {total} of {total} (1 of the {total} rows)", last.Error, StringComparison.Ordinal);
        Assert.Equal(total + 1, whole.Csv().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Length);
        Assert.DoesNotContain("CSV holds page", whole.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_past_QueryTimeout_is_TIMEOUT_with_exit_1_and_names_the_setting()
    {
        await using var f = await QueryFixture.CreateAsync();
        var directory = Directory.CreateTempSubdirectory("erpdb-timeout-");
        await using var locker = await f.Db.DataSource.OpenConnectionAsync();
        await using var transaction = await locker.BeginTransactionAsync();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "erpdb.json"), """{ "ErpDb": { "QueryTimeout": "00:00:01" } }""");
            // The sales query waits for this lock after the statement that sets its timeout.
            await using (var lockView = new Npgsql.NpgsqlCommand("LOCK TABLE mart.mv_daily_sales IN ACCESS EXCLUSIVE MODE", locker, transaction))
            {
                await lockView.ExecuteNonQueryAsync();
            }

            var run = await CliRun.RunInAsync(directory.FullName, "sales", "--days", "7", "--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString);

            Assert.Equal(1, run.ExitCode);
            var error = run.Json().GetProperty("error");
            Assert.Equal("TIMEOUT", error.GetProperty("code").GetString());
            Assert.Contains("limit of 1 s", error.GetProperty("message").GetString());
            Assert.Contains("ErpDb:QueryTimeout", error.GetProperty("message").GetString());
            Assert.Contains("erpdb.json", error.GetProperty("message").GetString());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
