using Erp.Db.Tests.Cli;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Seeding;

/// <remarks>The cases of the out-of-range theory share one database: each must write nothing into it (<see cref="SharedDatabase"/>).</remarks>
public class SeedCommandTests(SharedDatabase shared) : IClassFixture<SharedDatabase>
{
    [Fact]
    public async Task Seed_exits_0_with_the_summary_in_the_JSON_envelope_then_refuses_a_second_run_without_replace()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();

        var first = await CliRun.RunAsync("seed", "--orders", "500", "--days", "90", "--end-date", "2025-06-30", "--seed", "3",
            "--connection", db.ConnectionString, "--format", "json");
        var second = await CliRun.RunAsync("seed", "--orders", "500", "--connection", db.ConnectionString, "--format", "json");
        var replaced = await CliRun.RunAsync("seed", "--orders", "300", "--days", "30", "--merchants", "1", "--shops", "5", "--products", "40",
            "--replace", "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(0, first.ExitCode);
        // The views were refreshed after the (replacing) load: they already show the seeded data.
        Assert.Equal(
            await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE dw.is_valid_sale(status)"),
            await db.ScalarAsync<long>("SELECT coalesce(sum(order_count), 0)::bigint FROM mart.mv_daily_sales"));
        var data = first.Json().GetProperty("data");
        Assert.True(first.Json().GetProperty("success").GetBoolean());
        Assert.Equal("2025-04-02", data.GetProperty("startDate").GetString());
        Assert.Equal("2025-06-30", data.GetProperty("endDate").GetString());
        Assert.Equal(3, data.GetProperty("seed").GetInt32());
        Assert.Equal(17, data.GetProperty("tables").GetArrayLength());
        var orders = data.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("table").GetString() == "dw.fact_sales_orders");
        Assert.Equal(500, orders.GetProperty("rows").GetInt64());
        Assert.True(data.GetProperty("rowsPerSecond").GetDouble() > 0);
        // No progress bar when stderr is not a terminal: only the note about the refreshed views.
        Assert.StartsWith("erpdb: views refreshed", Assert.Single(first.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));

        Assert.Equal(2, second.ExitCode);
        var error = second.Json().GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
        Assert.Equal("database already has orders; use --replace to truncate dw facts/dims first or seed an empty database", error.GetProperty("message").GetString());

        Assert.Equal(0, replaced.ExitCode);
        Assert.True(replaced.Json().GetProperty("data").GetProperty("replaced").GetBoolean());
        Assert.Equal(300L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
        Assert.Equal(5L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.dim_shops"));
        Assert.Equal(40L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.dim_products"));
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(DISTINCT platform_id) FROM dw.dim_shops")); // the fifth shop is a second Shopee site
    }

    [Theory]
    [InlineData("--orders", "-5", "--orders must be between 1")]
    [InlineData("--days", "0", "--days must be between 1")]
    [InlineData("--merchants", "101", "--merchants must be between 1")]
    [InlineData("--shops", "0", "--shops must be between 1")]
    [InlineData("--products", "2", "--products must be between 5")]
    [InlineData("--end-date", "31/12/2025", "'31/12/2025' is not a date (yyyy-MM-dd), as --end-date must be.")]
    // The seeder writes by COPY, past ingest's checks: the business dates (dw.business_date_problem) hold it instead.
    [InlineData("--end-date", "1999-12-31", "--end-date 1999-12-31 is before 2000-01-01, the first business date")]
    [InlineData("--end-date", "2100-01-01", "--end-date 2100-01-01 is more than 31 days after today")]
    [InlineData("--end-date", "0001-01-01", "--end-date 0001-01-01 is before 2000-01-01, the first business date")]
    public async Task Out_of_range_values_exit_2_with_a_validation_error_and_write_nothing(string option, string value, string message)
    {
        var db = await shared.GetAsync();

        var run = await CliRun.RunAsync("seed", option, value, "--connection", db.ConnectionString, "--format", "json");

        Assert.Equal(2, run.ExitCode);
        Assert.False(run.Json().GetProperty("success").GetBoolean());
        Assert.Equal("VALIDATION_ERROR", run.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Contains(message, run.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        // A value refused names its option in details.field, as every other command does.
        Assert.Equal(option, run.Json().GetProperty("error").GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.dim_merchants"));
    }

    [Fact]
    public async Task A_non_number_exits_2_and_the_table_format_prints_the_error_on_stderr()
    {
        var json = await CliRun.RunAsync("seed", "--orders", "many", "--format", "json");
        var table = await CliRun.RunAsync("seed", "--orders", "0", "--connection", "Host=127.0.0.1;Port=1", "--format", "table");

        Assert.Equal(2, json.ExitCode);
        Assert.Equal("VALIDATION_ERROR", json.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(2, table.ExitCode);
        Assert.Contains("error [VALIDATION_ERROR]: --orders must be between 1", table.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_describes_every_option()
    {
        var run = await CliRun.RunAsync("seed", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var option in new[] { "--orders", "--days", "--merchants", "--shops", "--products", "--seed", "--end-date", "--replace" })
        {
            Assert.Contains(option, run.Output, StringComparison.Ordinal);
        }
        Assert.Contains("binary COPY", run.Output, StringComparison.Ordinal);
    }
}
