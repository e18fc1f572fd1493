using Erp.Db.Tests.Ingest;

namespace Erp.Db.Tests.Cli;

public class PostCommandTests
{
    [Fact]
    public async Task Post_books_history_once_and_a_second_run_changes_nothing()
    {
        await using var db = await IngestSample.CreateAsync();
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_order_items (merchant_id, order_id, order_date, line_no, product_id, quantity, unit_price, unit_cost)
            VALUES (1, 1, '2026-03-01', 1, 100, 2, 50, 10), (1, 3, '2026-04-01', 1, 100, 1, 25, 10);
            UPDATE dw.fact_sales_orders SET is_invoiced = true WHERE merchant_id = 1;
            """);

        var first = await CliRun.RunAsync("post", "--merchant", "1", "--connection", db.ConnectionString, "--format", "json");
        var second = await CliRun.RunAsync("post", "--merchant", "1", "--connection", db.ConnectionString, "--format", "json");
        var table = await CliRun.RunAsync("post", "-m", "1", "--from", "2026-03-01", "--to", "2026-03-31", "--connection", db.ConnectionString, "--format", "table");

        Assert.Equal(0, first.ExitCode);
        var data = first.Json().GetProperty("data");
        Assert.True(first.Json().GetProperty("success").GetBoolean());
        Assert.Equal((3, 2, 2, 3, false), (data.GetProperty("orders").GetInt32(), data.GetProperty("ordersCosted").GetInt32(),
            data.GetProperty("movements").GetInt32(), data.GetProperty("receivables").GetInt32(), data.GetProperty("nothingChanged").GetBoolean()));
        Assert.Equal(0, second.ExitCode);
        Assert.True(second.Json().GetProperty("data").GetProperty("nothingChanged").GetBoolean());
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("nothing changed", table.Output);
        Assert.Equal("20.00|2|10.00|1", await db.ScalarAsync<string>(
            "SELECT string_agg(cost_amount_cny || '|' || item_count, '|' ORDER BY order_id) FROM dw.fact_sales_orders WHERE order_id IN (1, 3)"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_inventory_transactions WHERE merchant_id = 2"));
    }

    [Fact]
    public async Task Post_with_to_before_from_exits_2_with_a_validation_error()
    {
        var run = await CliRun.RunAsync("post", "--from", "2026-03-31", "--to", "2026-03-01", "--connection", "Host=127.0.0.1;Port=1;Database=none", "--format", "json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("VALIDATION_ERROR", run.Json().GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Post_for_a_merchant_that_does_not_exist_exits_2_not_found()
    {
        await using var db = await IngestSample.CreateAsync();

        var run = await CliRun.RunAsync("post", "--merchant", "99", "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("NOT_FOUND", run.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("Merchant 99 does not exist", run.Json().GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Post_names_a_merchant_by_its_code_as_by_its_id()
    {
        await using var db = await IngestSample.CreateAsync();
        var code = (await db.ScalarAsync<string>("SELECT merchant_code FROM dw.dim_merchants WHERE merchant_id = 1"))!;

        var byCode = await CliRun.RunAsync("post", "--merchant", code, "--connection", db.ConnectionString, "--format", "json");
        var unknown = await CliRun.RunAsync("post", "--merchant", "no-such-code", "--connection", db.ConnectionString, "--format", "json");

        Assert.True(byCode.ExitCode == 0, byCode.Output + byCode.Error);
        Assert.Equal(1, byCode.Json().GetProperty("data").GetProperty("merchantId").GetInt64());
        Assert.Equal((2, "NOT_FOUND"), (unknown.ExitCode, unknown.Json().GetProperty("error").GetProperty("code").GetString()));
        Assert.Contains($"1 {code} (", unknown.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_writer_without_a_merchant_grant_posts_a_merchant_named_by_id_or_code()
    {
        // Writers write every merchant's rows and need no grant: post checks only that the merchant exists.
        await using var db = await IngestSample.CreateAsync();
        await using var writer = await Infrastructure.TestLogin.CreateAsync(db, "erp_writer");
        var code = (await db.ScalarAsync<string>("SELECT merchant_code FROM dw.dim_merchants WHERE merchant_id = 1"))!;

        var byId = await CliRun.RunAsync("post", "--merchant", "1", "--connection", writer.ConnectionString, "--format", "json");
        var byCode = await CliRun.RunAsync("post", "--merchant", code, "--connection", writer.ConnectionString, "--format", "json");
        var missing = await CliRun.RunAsync("post", "--merchant", "99", "--connection", writer.ConnectionString, "--format", "json");

        Assert.True(byId.ExitCode == 0, byId.Output + byId.Error);
        Assert.True(byCode.ExitCode == 0, byCode.Output + byCode.Error);
        Assert.Equal(1, byCode.Json().GetProperty("data").GetProperty("merchantId").GetInt64());
        Assert.Equal((2, "NOT_FOUND"), (missing.ExitCode, missing.Json().GetProperty("error").GetProperty("code").GetString()));
    }

    [Fact]
    public async Task A_first_day_after_the_last_is_refused_naming_from_as_the_list_commands_do()
    {
        var run = await CliRun.RunAsync("post", "--from", "2026-12-06", "--to", "2026-12-01", "--connection", "Host=127.0.0.1;Port=1;Database=none", "--format", "json");

        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal("--from: the first day 2026-12-06 is after the last day 2026-12-01.", error.GetProperty("message").GetString());
        Assert.Equal("--from", error.GetProperty("details").GetProperty("field").GetString());
    }
}
