using System.Globalization;
using System.Text.Json;
using Dapper;
using Erp.Db.Cli.Output;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Queries;
using Erp.Db.Tests.Views;

namespace Erp.Db.Tests.Cli;

/// <summary>
/// The BI contract an assistant relies on: JSON when piped, --metrics, --group-by hour, trends --forecast,
/// FORBIDDEN, explicit periods, finance windows, one definition of low stock. Answers are checked against
/// SQL over the facts, not the views.
/// </summary>
/// <remarks>The tests that only read the sales dataset share one (<see cref="SharedQueryFixture"/>); those that change it, add logins or hold locks have their own.</remarks>
public class BiContractTests(SharedQueryFixture shared) : IClassFixture<SharedQueryFixture>
{
    private const string ValidSales = "merchant_id = 1 AND dw.is_valid_sale(status)";

    private static DateOnly Today => QueryFixture.Today;

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public void Tables_are_for_terminals_and_json_for_pipes_unless_format_says_otherwise()
    {
        Assert.Equal(OutputFormat.Table, OutputFormats.Default(isTerminal: true));
        Assert.Equal(OutputFormat.Json, OutputFormats.Default(isTerminal: false));
        Assert.Equal(OutputFormat.Table, OutputFormats.FromArgs(["sales", "--format", "table"], OutputFormat.Json));
        Assert.Equal(OutputFormat.Csv, OutputFormats.FromArgs(["sales", "-f=csv"], OutputFormat.Table));
        Assert.Equal(OutputFormat.Json, OutputFormats.FromArgs(["sales", "--days", "x"], OutputFormat.Json));
    }

    [Fact]
    public async Task Piped_output_is_the_json_envelope_and_format_table_still_prints_a_table()
    {
        var f = await shared.GetAsync();

        var piped = await CliRun.RunAsync("sales", "--merchant", "1", "--connection", f.Db.ConnectionString);
        var badInput = await CliRun.RunAsync("sales", "--merchant", "1", "--days", "abc", "--connection", f.Db.ConnectionString);
        var table = await CliRun.RunAsync("sales", "--merchant", "1", "--format", "table", "--connection", f.Db.ConnectionString);

        Assert.Equal(0, piped.ExitCode);
        Assert.True(piped.Json().GetProperty("success").GetBoolean());
        Assert.Equal(2, badInput.ExitCode);
        Assert.Equal("VALIDATION_ERROR", badInput.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, table.ExitCode);
        Assert.StartsWith("Day", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_select_the_fields_of_sales_in_json_and_in_tables()
    {
        var f = await shared.GetAsync();
        string[] common = ["sales", "--merchant", "1", "--days", "7", "--metrics", "revenue,orders", "--connection", f.Db.ConnectionString];

        var json = (await CliRun.RunAsync([.. common, "--format", "json"])).Json();
        var table = await CliRun.RunAsync([.. common, "--format", "table"]);

        var metrics = json.GetProperty("data").GetProperty("metrics");
        Assert.Equal(await f.Db.ScalarAsync<decimal>($"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE {ValidSales} AND order_date >= CURRENT_DATE - 6"),
            metrics.GetProperty("revenue").GetDecimal());
        Assert.Equal(await f.Db.ScalarAsync<long>($"SELECT count(*) FROM dw.fact_sales_orders WHERE {ValidSales} AND order_date >= CURRENT_DATE - 6"),
            metrics.GetProperty("orders").GetInt64());
        Assert.False(metrics.TryGetProperty("aov", out _));
        Assert.False(metrics.TryGetProperty("netProfit", out _));
        var day = json.GetProperty("data").GetProperty("daily")[0];
        Assert.True(day.TryGetProperty("revenue", out _));
        Assert.True(day.TryGetProperty("bucket", out _));
        Assert.False(day.TryGetProperty("aov", out _));
        Assert.False(json.GetProperty("data").GetProperty("topProducts")[0].TryGetProperty("units", out _));
        Assert.Equal(["revenue", "orders"], json.GetProperty("meta").GetProperty("metrics").EnumerateArray().Select(m => m.GetString()));
        var header = table.Output.Split('\n')[0];
        Assert.Contains("Revenue", header, StringComparison.Ordinal);
        Assert.Contains("Orders", header, StringComparison.Ordinal);
        Assert.DoesNotContain("AOV", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_select_the_fields_of_customers_and_trends()
    {
        var f = await shared.GetAsync();

        var customers = (await CliRun.RunAsync("customers", "--merchant", "1", "--metrics", "count", "--format", "json", "--connection", f.Db.ConnectionString)).Json().GetProperty("data");
        var trends = (await CliRun.RunAsync("trends", "--merchant", "1", "--days", "10", "--metrics", "orders", "--format", "json", "--connection", f.Db.ConnectionString)).Json().GetProperty("data");

        Assert.Equal(await f.Db.ScalarAsync<long>($"SELECT count(DISTINCT customer_id) FROM dw.fact_sales_orders WHERE {ValidSales}"),
            customers.GetProperty("summary").GetProperty("totalCustomers").GetInt64());
        Assert.False(customers.GetProperty("summary").TryGetProperty("repeatRate", out _));
        Assert.All(customers.GetProperty("customers").EnumerateArray(), c => Assert.False(c.TryGetProperty("revenue", out _)));
        Assert.All(customers.GetProperty("customers").EnumerateArray(), c => Assert.True(c.TryGetProperty("customerCode", out _)));
        Assert.Equal(await f.Db.ScalarAsync<long>($"SELECT count(*) FROM dw.fact_sales_orders WHERE {ValidSales} AND order_date >= CURRENT_DATE - 9"),
            trends.GetProperty("series").EnumerateArray().Sum(p => p.GetProperty("orders").GetInt64()));
        Assert.All(trends.GetProperty("series").EnumerateArray(), p => Assert.False(p.TryGetProperty("revenue", out _)));
        Assert.False(trends.TryGetProperty("direction", out _));
    }

    [Theory]
    [InlineData("sales", "revenue,margin")]
    [InlineData("customers", "count,spend")]
    [InlineData("trends", "customers")]
    [InlineData("trends", ",")]
    public async Task An_unknown_metric_exits_2_listing_the_valid_ones(string command, string metrics)
    {
        var db = (await shared.GetAsync()).Db;

        var run = await CliRun.RunAsync(command, "--merchant", "1", "--metrics", metrics, "--format", "json", "--connection", db.ConnectionString);

        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
        Assert.Contains("Valid metrics: ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("--metrics", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("--metrics", error.GetProperty("details").GetProperty("field").GetString());
        Assert.Contains(error.GetProperty("details").GetProperty("valid").EnumerateArray(), v => v.GetString() == "orders" || v.GetString() == "count");
    }

    [Theory]
    [InlineData("json", "--start", "2026-13-01", "'2026-13-01' is not a date (yyyy-MM-dd), as --start must be.")]
    [InlineData("table", "--days", "seven", "'seven' is not a whole number, as --days must be.")]
    [InlineData("json", "--from", "05/11/2026", "'05/11/2026' is not a date (yyyy-MM-dd), as --from must be.")]
    [InlineData("json", "--end", "Nov 30 2026", "'Nov 30 2026' is not a date (yyyy-MM-dd), as --end must be.")]
    [InlineData("json", "--days", "2147483648", "'2147483648' is out of range for --days: a whole number up to 2147483647.")]
    public async Task A_value_of_the_wrong_kind_is_named_in_the_users_terms_with_the_commands_help(string format, string option, string value, string message)
    {
        var run = await CliRun.RunAsync("sales", "--merchant", "1", option, value, "--format", format, "--connection", "Host=127.0.0.1;Port=1;Database=none");

        Assert.Equal(2, run.ExitCode);
        var said = format == "json" ? run.Json().GetProperty("error").GetProperty("message").GetString()! : run.Error;
        if (format == "json")
        {
            // The option whose value was refused, as every refused value names it.
            Assert.Equal(option, run.Json().GetProperty("error").GetProperty("details").GetProperty("field").GetString());
        }
        Assert.Contains(message, said, StringComparison.Ordinal);
        Assert.Contains("Run 'erpdb sales --help' for usage.", said, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", said, StringComparison.Ordinal);
    }

    /// <summary>
    /// A day is yyyy-MM-dd in every command that takes one: a day-first '05/11/2026' was read month first, as 11 May, and the
    /// answer covered another period than the one meant, without a word.
    /// </summary>
    [Theory]
    [InlineData("--date", "05/11/2026", "shops", "--merchant", "1")]
    [InlineData("--date", "2026/11/05", "report", "--merchant", "1")]
    [InlineData("--to", "05/11/2026", "trends", "--merchant", "1")]
    [InlineData("--from", "05/11/2026", "post")]
    public async Task A_day_in_another_shape_than_yyyy_MM_dd_is_refused_by_every_command(string option, string value, params string[] command)
    {
        var run = await CliRun.RunAsync([.. command, option, value, "--format", "json", "--connection", "Host=127.0.0.1;Port=1;Database=none"]);

        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
        Assert.StartsWith($"'{value}' is not a date (yyyy-MM-dd), as {option} must be.", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sales_by_hour_sums_each_hour_of_the_day_in_the_merchants_time_zone()
    {
        await using var f = await QueryFixture.CreateAsync();
        // Orders at several hours, in a merchant time zone that is not the server's.
        await f.Db.ExecuteAsync("""
            UPDATE dw.dim_merchants SET timezone = 'America/New_York' WHERE merchant_id = 1;
            UPDATE dw.fact_sales_orders SET ordered_at = order_date::timestamp AT TIME ZONE 'America/New_York' + make_interval(hours => (order_id % 24)::int)
             WHERE merchant_id = 1;
            CALL ops.refresh_all('test');
            """);

        var json = (await CliRun.RunAsync("sales", "--merchant", "1", "--days", "14", "--group-by", "hour", "--format", "json", "--connection", f.Db.ConnectionString)).Json();

        var expected = (await f.Db.ScalarAsync<string>($"""
            SELECT string_agg(h || '=' || coalesce(revenue, 0) || '/' || coalesce(orders, 0), ',' ORDER BY h)
              FROM generate_series(0, 23) AS h
              LEFT JOIN (SELECT extract(hour FROM o.ordered_at AT TIME ZONE m.timezone)::int AS hour, sum(o.gmv_cny) AS revenue, count(*) AS orders
                           FROM dw.fact_sales_orders AS o JOIN dw.dim_merchants AS m USING (merchant_id)
                          WHERE o.merchant_id = 1 AND dw.is_valid_sale(o.status) AND o.order_date >= CURRENT_DATE - 13
                          GROUP BY 1) AS x ON x.hour = h
            """))!;
        var rows = json.GetProperty("data").GetProperty("breakdown").EnumerateArray()
            .Select(r => $"{int.Parse(r.GetProperty("key").GetString()!, CultureInfo.InvariantCulture)}={r.GetProperty("revenue").GetDecimal()}/{r.GetProperty("orders").GetInt64()}");
        Assert.Equal(expected, string.Join(",", rows));
        // All 24 hours are rows, those without orders at 0; the orders fall in more than 5 of them.
        Assert.Equal(24, expected.Split(',').Length);
        Assert.True(expected.Split(',').Count(h => !h.EndsWith("=0/0", StringComparison.Ordinal)) > 5);
        Assert.Equal("hour", json.GetProperty("meta").GetProperty("period").GetProperty("grain").GetString());
    }

    [Fact]
    public async Task A_forecast_extends_the_series_by_the_least_squares_line_through_the_complete_days_with_a_band()
    {
        var f = await shared.GetAsync();

        var json = (await CliRun.RunAsync("trends", "--merchant", "1", "--days", "30", "--forecast", "7", "--format", "json", "--connection", f.Db.ConnectionString)).Json();

        var series = json.GetProperty("data").GetProperty("series").EnumerateArray().ToList();
        var forecast = series.Where(p => p.GetProperty("forecast").GetBoolean()).ToList();
        Assert.Equal(7, forecast.Count);
        Assert.Equal(series.Count - 7, series.FindIndex(p => p.GetProperty("forecast").GetBoolean()));
        Assert.Equal(Day(Today.AddDays(1)), forecast[0].GetProperty("bucket").GetString());
        Assert.Equal(Day(Today.AddDays(7)), forecast[^1].GetProperty("bucket").GetString());
        // The line through the 29 complete days (today is still running), x = days since the start, extended to x = 30..36.
        for (var i = 0; i < 7; i++)
        {
            var expected = await f.Db.ScalarAsync<double>($"""
                WITH days AS (SELECT d::date AS day FROM generate_series(CURRENT_DATE - 29, CURRENT_DATE - 1, interval '1 day') AS d),
                     revenue AS (SELECT order_date, sum(gmv_cny) AS r FROM dw.fact_sales_orders WHERE {ValidSales} GROUP BY order_date)
                SELECT regr_intercept(coalesce(r, 0)::float8, (day - (CURRENT_DATE - 29))::float8)
                       + regr_slope(coalesce(r, 0)::float8, (day - (CURRENT_DATE - 29))::float8) * {30 + i}
                  FROM days LEFT JOIN revenue ON revenue.order_date = days.day
                """);
            var point = forecast[i];
            Assert.Equal(Math.Round(Math.Max(0, expected), 2), (double)point.GetProperty("revenue").GetDecimal(), 2);
            Assert.True(point.GetProperty("revenueLower").GetDecimal() <= point.GetProperty("revenue").GetDecimal());
            Assert.True(point.GetProperty("revenueUpper").GetDecimal() > point.GetProperty("revenue").GetDecimal());
        }
        var model = json.GetProperty("data").GetProperty("forecast");
        Assert.Equal("linear_regression", model.GetProperty("method").GetString());
        Assert.Equal(29, model.GetProperty("fittedBuckets").GetInt32());
        Assert.All(series.Where(p => !p.GetProperty("forecast").GetBoolean()), p => Assert.False(p.TryGetProperty("revenueLower", out var v) && v.ValueKind != JsonValueKind.Null));
    }

    [Theory]
    [InlineData("day", "91")]
    [InlineData("month", "13")]
    [InlineData("day", "-1")]
    public async Task A_forecast_beyond_its_bound_exits_2(string granularity, string buckets)
    {
        var db = (await shared.GetAsync()).Db;

        var run = await CliRun.RunAsync("trends", "--merchant", "1", "--granularity", granularity, "--forecast", buckets, "--format", "json", "--connection", db.ConnectionString);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("VALIDATION_ERROR", run.Json().GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_reader_gets_forbidden_alike_for_another_merchant_and_a_missing_one()
    {
        await using var f = await QueryFixture.CreateAsync();
        await using var scoped = await Infrastructure.TestLogin.CreateAsync(f.Db, "erp_reader");
        await using var nobody = await Infrastructure.TestLogin.CreateAsync(f.Db, "pg_monitor");
        await f.Db.ExecuteAsync($"SELECT ops.grant_merchant_access('{scoped.Name}', 1)");

        var other = await CliRun.RunAsync("sales", "--merchant", "2", "--connection", scoped.ConnectionString);
        var missing = await CliRun.RunAsync("sales", "--merchant", "999", "--connection", scoped.ConnectionString);
        var ownerMissing = await CliRun.RunAsync("sales", "--merchant", "999", "--connection", f.Db.ConnectionString);
        var noGrants = await CliRun.RunAsync("sales", "--merchant", "1", "--connection", nobody.ConnectionString);

        Assert.Equal(7, other.ExitCode);
        Assert.Equal(7, missing.ExitCode);
        Assert.Equal("FORBIDDEN", other.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("FORBIDDEN", missing.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(
            other.Json().GetProperty("error").GetProperty("message").GetString()!.Replace("merchant 2.", "merchant N.", StringComparison.Ordinal),
            missing.Json().GetProperty("error").GetProperty("message").GetString()!.Replace("merchant 999.", "merchant N.", StringComparison.Ordinal));
        Assert.DoesNotContain("Merchant two", other.Output, StringComparison.Ordinal);
        // The details list, as data, only the merchants granted, the same for both.
        var details = other.Json().GetProperty("error").GetProperty("details");
        Assert.Equal(details.GetRawText(), missing.Json().GetProperty("error").GetProperty("details").GetRawText());
        Assert.Equal(("--merchant", "1"), (details.GetProperty("field").GetString(),
            string.Join(",", details.GetProperty("merchants").EnumerateArray().Select(m => m.GetProperty("merchantId").GetInt64()))));
        Assert.Equal(2, ownerMissing.ExitCode);
        Assert.Equal("NOT_FOUND", ownerMissing.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(7, noGrants.ExitCode);
        Assert.Equal("FORBIDDEN", noGrants.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("permission", noGrants.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_login_that_also_writes_is_forbidden_a_merchant_it_is_not_granted_instead_of_answered_zeros()
    {
        // A login in erp_writer sees every merchant's dim_merchants row (the writers' policy), but the reader views
        // answer only the merchants ops.merchant_access grants it: merchant 2 read as zeros, exit 0.
        await using var f = await QueryFixture.CreateAsync();
        await using var both = await Infrastructure.TestLogin.CreateAsync(f.Db, "erp_reader, erp_writer");
        await f.Db.ExecuteAsync($"SELECT ops.grant_merchant_access('{both.Name}', 1)");
        var otherCode = (await f.Db.ScalarAsync<string>("SELECT merchant_code FROM dw.dim_merchants WHERE merchant_id = 2"))!;
        string[] sales = ["sales", "--days", "7", "--format", "json", "--connection", both.ConnectionString];

        var own = await CliRun.RunAsync([.. sales, "--merchant", "1"]);
        var unnamed = await CliRun.RunAsync(sales);
        var otherById = await CliRun.RunAsync([.. sales, "--merchant", "2"]);
        var otherByCode = await CliRun.RunAsync([.. sales, "--merchant", otherCode]);
        var missing = await CliRun.RunAsync([.. sales, "--merchant", "999"]);

        Assert.True(own.ExitCode == 0, own.Output + own.Error);
        Assert.True(own.Json().GetProperty("data").GetProperty("metrics").GetProperty("orders").GetInt64() > 0, own.Output);
        // Its one granted merchant needs no --merchant, as for a reader: it was told to choose among every row it sees,
        // merchant 2 included, which it may not read.
        Assert.True(unnamed.ExitCode == 0, unnamed.Output + unnamed.Error);
        Assert.Equal(own.Json().GetProperty("data").GetProperty("metrics").GetRawText(), unnamed.Json().GetProperty("data").GetProperty("metrics").GetRawText());
        foreach (var run in new[] { otherById, otherByCode, missing })
        {
            Assert.True(run.ExitCode == 7, run.Output + run.Error);
            Assert.Equal("FORBIDDEN", run.Json().GetProperty("error").GetProperty("code").GetString());
        }
        // The merchants it may read are listed, not merchant 2, which it was just refused.
        Assert.DoesNotContain($"2 {otherCode} (", otherById.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reader_granted_two_merchants_is_listed_both_and_names_either_by_code_but_no_other()
    {
        // Unscoped, such a login sees no dim_merchants row (ops.current_merchant_id() is NULL): the CLI said "No merchants
        // are visible", and a code of its own merchants was NOT_FOUND, though --merchant 2 worked.
        await using var f = await QueryFixture.CreateAsync();
        await f.Db.ExecuteAsync("INSERT INTO dw.dim_merchants (merchant_id, merchant_code, merchant_name) VALUES (3, 'm3', 'Merchant three')");
        await using var two = await Infrastructure.TestLogin.CreateAsync(f.Db, "erp_reader");
        await f.Db.ExecuteAsync($"SELECT ops.grant_merchant_access('{two.Name}', 1); SELECT ops.grant_merchant_access('{two.Name}', 2)");
        string[] sales = ["sales", "--days", "7", "--format", "json", "--connection", two.ConnectionString];

        var unnamed = await CliRun.RunAsync(sales);
        var byCode = await CliRun.RunAsync([.. sales, "--merchant", "m2"]);
        var byId = await CliRun.RunAsync([.. sales, "--merchant", "2"]);
        var notGranted = await CliRun.RunAsync([.. sales, "--merchant", "m3"]);
        var unknown = await CliRun.RunAsync([.. sales, "--merchant", "m9"]);

        Assert.Equal((2, "VALIDATION_ERROR"), (unnamed.ExitCode, unnamed.Json().GetProperty("error").GetProperty("code").GetString()));
        var listed = unnamed.Json().GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("1 m1 (Merchant one)", listed, StringComparison.Ordinal);
        Assert.Contains("2 m2 (Merchant two)", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("m3", listed, StringComparison.Ordinal);
        Assert.True(byCode.ExitCode == 0, byCode.Output + byCode.Error);
        Assert.Equal(byId.Json().GetProperty("data").ToString(), byCode.Json().GetProperty("data").ToString());
        Assert.Equal(
            (unknown.ExitCode, unknown.Json().GetProperty("error").GetProperty("code").GetString(), unknown.Json().GetProperty("error").GetProperty("message").GetString()!.Replace("m9", "?", StringComparison.Ordinal)),
            (notGranted.ExitCode, notGranted.Json().GetProperty("error").GetProperty("code").GetString(), notGranted.Json().GetProperty("error").GetProperty("message").GetString()!.Replace("m3", "?", StringComparison.Ordinal)));
        // The function itself, asked as the login, answers its grants; as the owner, every merchant.
        await using (var asLogin = await two.DataSource.OpenConnectionAsync())
        {
            Assert.Equal([1L, 2L], await asLogin.QueryAsync<long>("SELECT merchant_id FROM ops.readable_merchants()"));
        }
        await using var asOwner = await f.Db.DataSource.OpenConnectionAsync();
        Assert.Equal([1L, 2L, 3L], await asOwner.QueryAsync<long>("SELECT merchant_id FROM ops.readable_merchants()"));
    }

    [Fact]
    public async Task A_merchant_is_named_by_its_code_as_by_its_id_and_a_code_the_login_does_not_see_is_not_found_alike()
    {
        await using var f = await QueryFixture.CreateAsync();
        await using var scoped = await Infrastructure.TestLogin.CreateAsync(f.Db, "erp_reader");
        await f.Db.ExecuteAsync($"SELECT ops.grant_merchant_access('{scoped.Name}', 1)");
        var code = (await f.Db.ScalarAsync<string>("SELECT merchant_code FROM dw.dim_merchants WHERE merchant_id = 1"))!;
        var otherCode = (await f.Db.ScalarAsync<string>("SELECT merchant_code FROM dw.dim_merchants WHERE merchant_id = 2"))!;
        // Ending yesterday: a period that includes today compares itself with the time of day cut to the minute, which two runs
        // can straddle.
        string[] sales = ["sales", "--days", "7", "--end", Day(Today.AddDays(-1)), "--format", "json"];

        var byId = await CliRun.RunAsync([.. sales, "--merchant", "1", "--connection", f.Db.ConnectionString]);
        var byCode = await CliRun.RunAsync([.. sales, "--merchant", code, "--connection", f.Db.ConnectionString]);
        // A code in another case names the same merchant (m1 typed M1).
        var scopedByCode = await CliRun.RunAsync([.. sales, "-m", code.ToUpperInvariant(), "--connection", scoped.ConnectionString]);
        var unknown = await CliRun.RunAsync([.. sales, "--merchant", "no-such-code", "--connection", f.Db.ConnectionString]);
        var scopedOther = await CliRun.RunAsync([.. sales, "--merchant", otherCode.ToUpperInvariant(), "--connection", scoped.ConnectionString]);
        var scopedUnknown = await CliRun.RunAsync([.. sales, "--merchant", "no-such-code", "--connection", scoped.ConnectionString]);

        Assert.True(byCode.ExitCode == 0, byCode.Output + byCode.Error);
        Assert.Equal(byId.Json().GetProperty("data").GetRawText(), byCode.Json().GetProperty("data").GetRawText());
        Assert.True(scopedByCode.ExitCode == 0, scopedByCode.Output + scopedByCode.Error);
        Assert.Equal(byId.Json().GetProperty("data").GetRawText(), scopedByCode.Json().GetProperty("data").GetRawText());
        Assert.Equal((2, "NOT_FOUND"), (unknown.ExitCode, unknown.Json().GetProperty("error").GetProperty("code").GetString()));
        Assert.Contains($"1 {code} (", unknown.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((2, "NOT_FOUND"), (scopedOther.ExitCode, scopedOther.Json().GetProperty("error").GetProperty("code").GetString()));
        Assert.Equal(
            scopedOther.Json().GetProperty("error").GetProperty("message").GetString()!.Replace(otherCode.ToUpperInvariant(), "X", StringComparison.Ordinal),
            scopedUnknown.Json().GetProperty("error").GetProperty("message").GetString()!.Replace("no-such-code", "X", StringComparison.Ordinal));
        Assert.DoesNotContain("Merchant two", scopedOther.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_period_result_states_its_days_its_grain_and_whether_the_last_bucket_is_complete()
    {
        var f = await shared.GetAsync();
        string[] common = ["--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString];

        var lastWeek = (await CliRun.RunAsync(["sales", "--days", "7", .. common])).Json().GetProperty("meta");
        var toYesterday = (await CliRun.RunAsync(["sales", "--days", "7", "--end", Day(Today.AddDays(-1)), "--group-by", "shop", .. common])).Json().GetProperty("meta");
        var weeks = (await CliRun.RunAsync(["trends", "--days", "30", "--grain", "week", .. common])).Json();
        var report = (await CliRun.RunAsync(["report", "--type", "monthly", .. common])).Json().GetProperty("meta");
        var inventory = (await CliRun.RunAsync(["inventory", .. common])).Json().GetProperty("meta");

        var period = lastWeek.GetProperty("period");
        Assert.Equal(Day(Today.AddDays(-6)), period.GetProperty("start").GetString());
        Assert.Equal(Day(Today), period.GetProperty("end").GetString());
        Assert.Equal(7, period.GetProperty("days").GetInt32());
        Assert.Equal("day", period.GetProperty("grain").GetString());
        Assert.False(period.GetProperty("lastBucketComplete").GetBoolean());
        Assert.Contains("today", period.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.True(toYesterday.GetProperty("period").GetProperty("lastBucketComplete").GetBoolean());
        Assert.Equal("period", toYesterday.GetProperty("period").GetProperty("grain").GetString());
        // Weeks: the first is cut by the start unless it is a Monday, the last runs into today.
        var points = weeks.GetProperty("data").GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(Today.AddDays(-29).DayOfWeek == DayOfWeek.Monday, points[0].GetProperty("complete").GetBoolean());
        Assert.False(points[^1].GetProperty("complete").GetBoolean());
        Assert.All(points.Skip(1).SkipLast(1), p => Assert.True(p.GetProperty("complete").GetBoolean()));
        Assert.Equal("week", weeks.GetProperty("meta").GetProperty("period").GetProperty("grain").GetString());
        Assert.Equal("month", report.GetProperty("period").GetProperty("grain").GetString());
        Assert.Equal(Today.Day, report.GetProperty("period").GetProperty("days").GetInt32());
        Assert.False(report.GetProperty("period").GetProperty("lastBucketComplete").GetBoolean());
        Assert.Equal(Day(Today), inventory.GetProperty("asOf").GetString());
    }

    [Theory]
    [InlineData("sales")]
    [InlineData("products")]
    public async Task A_platform_no_platform_has_is_refused_naming_the_known_ones_and_a_known_one_answers(string command)
    {
        var db = (await shared.GetAsync()).Db;

        var bogus = await CliRun.RunAsync(command, "--merchant", "1", "--platform", "bogus", "--format", "json", "--connection", db.ConnectionString);
        var known = await CliRun.RunAsync(command, "--merchant", "1", "--platform", "Shopee", "--format", "json", "--connection", db.ConnectionString);

        Assert.Equal(2, bogus.ExitCode);
        Assert.Equal("VALIDATION_ERROR", bogus.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("'bogus' is not a platform. Known: ", bogus.Json().GetProperty("error").GetProperty("message").GetString());
        Assert.Contains("shopee", bogus.Json().GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(0, known.ExitCode);
    }

    [Fact]
    public async Task Sales_flags_a_first_week_the_start_cuts_and_refuses_a_period_that_has_not_begun()
    {
        var f = await shared.GetAsync();
        string[] common = ["sales", "--merchant", "1", "--group-by", "week", "--format", "json", "--connection", f.Db.ConnectionString];
        var monday = Today.AddDays(-21 - (((int)Today.DayOfWeek + 6) % 7));

        var cut = (await CliRun.RunAsync([.. common, "--start", Day(monday.AddDays(2)), "--end", Day(monday.AddDays(13))])).Json().GetProperty("meta").GetProperty("period");
        var whole = (await CliRun.RunAsync([.. common, "--start", Day(monday), "--end", Day(monday.AddDays(13))])).Json().GetProperty("meta").GetProperty("period");
        // The latest date that is today somewhere (UTC+14) is not refused; the day after it is, whatever the hour here.
        var latestToday = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(14));
        var future = await CliRun.RunAsync([.. common, "--start", Day(latestToday.AddDays(1)), "--end", Day(latestToday.AddDays(6))]);
        var tomorrow = await CliRun.RunAsync([.. common, "--start", Day(latestToday), "--end", Day(latestToday)]);

        Assert.False(cut.GetProperty("firstBucketComplete").GetBoolean());
        Assert.True(cut.GetProperty("lastBucketComplete").GetBoolean());
        Assert.Equal($"The first week starts before {Day(monday.AddDays(2))}: it counts only the days from then.", cut.GetProperty("note").GetString());
        Assert.True(whole.GetProperty("firstBucketComplete").GetBoolean());
        Assert.Equal(JsonValueKind.Null, whole.GetProperty("note").ValueKind);
        Assert.Equal(2, future.ExitCode);
        Assert.Contains("after today in every time zone", future.Output + future.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", future.Output + future.Error, StringComparison.Ordinal);
        Assert.Equal(0, tomorrow.ExitCode);
    }

    [Theory]
    [InlineData("sales")]
    [InlineData("trends")]
    [InlineData("profit")]
    [InlineData("users")]
    [InlineData("funnel")]
    [InlineData("finance")]
    public async Task Every_period_command_refuses_a_period_that_has_not_begun_naming_the_option_that_set_its_start(string command)
    {
        var db = (await shared.GetAsync()).Db;
        string[] common = [command, "--merchant", "1", "--format", "json", "--connection", db.ConnectionString];
        // The day after the latest date that is today somewhere (UTC+14), whatever the hour here.
        var future = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(14)).AddDays(1);

        var byStart = await CliRun.RunAsync([.. common, "--start", Day(future), "--end", Day(future.AddDays(30))]);
        var byEnd = await CliRun.RunAsync([.. common, "--days", "7", "--end", Day(future.AddDays(6))]);
        var begun = await CliRun.RunAsync([.. common, "--start", Day(Today.AddDays(-6)), "--end", Day(future.AddDays(30))]);

        foreach (var (run, option) in new[] { (byStart, "--start"), (byEnd, "--end") })
        {
            Assert.Equal(2, run.ExitCode);
            var error = run.Json().GetProperty("error");
            Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
            Assert.Contains($"The period starts on {Day(future)}, after today in every time zone", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Contains($"give an earlier {option}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(0, begun.ExitCode);
    }

    [Theory]
    [InlineData("day")]
    [InlineData("week")]
    [InlineData("month")]
    public async Task Shops_refuses_a_date_whose_period_has_not_begun_and_shows_one_that_has(string period)
    {
        var db = (await shared.GetAsync()).Db;
        string[] common = ["shops", "--merchant", "1", "--period", period, "--format", "json", "--connection", db.ConnectionString];
        var latestToday = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(14));
        // The first day of the next day, week or month after the latest today anywhere: its period starts after today everywhere.
        var next = period switch
        {
            "day" => latestToday.AddDays(1),
            "week" => latestToday.AddDays(7 - (((int)latestToday.DayOfWeek + 6) % 7)),
            _ => new DateOnly(latestToday.Year, latestToday.Month, 1).AddMonths(1),
        };

        var refused = await CliRun.RunAsync([.. common, "--date", Day(next.AddDays(period == "day" ? 0 : 2))]);
        var current = await CliRun.RunAsync([.. common, "--date", Day(Today)]);

        Assert.Equal(2, refused.ExitCode);
        var error = refused.Json().GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
        Assert.Contains($"The period starts on {Day(next)}, after today in every time zone", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("give an earlier --date", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, current.ExitCode);
    }

    [Fact]
    public async Task Shops_says_why_a_period_has_no_results_in_its_table_too_not_only_in_json()
    {
        await using var f = await QueryFixture.CreateAsync();
        string[] common = ["shops", "--merchant", "1", "--period", "month", "--date", "2001-01-15", "--connection", f.Db.ConnectionString];

        var json = (await CliRun.RunAsync([.. common, "--format", "json"])).Json();
        var table = await CliRun.RunAsync([.. common, "--format", "table"]);

        Assert.Equal(0, json.GetProperty("data").GetProperty("shops").GetProperty("total").GetInt64());
        var note = json.GetProperty("meta").GetProperty("period").GetProperty("note").GetString()!;
        Assert.StartsWith("No shop results for this month", note, StringComparison.Ordinal);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("No shop results for this month", table.Output.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void A_period_that_starts_after_the_warehouse_today_never_says_it_includes_today()
    {
        var tomorrow = Today.AddDays(1);

        var note = Erp.Db.Cli.Commands.Bi.PeriodMeta.Buckets(new Erp.Db.Queries.Sales.PeriodInfo(tomorrow, tomorrow.AddDays(6), 7), null, Today).Note;

        Assert.NotNull(note);
        Assert.DoesNotContain("Includes today", note, StringComparison.Ordinal);
        Assert.Contains($"after today in the database's time zone ({Day(Today)})", note, StringComparison.Ordinal);
    }

    /// <summary>
    /// A period typed as a whole month still running (--start the 1st --end the 31st) runs past today: its note says how many days have
    /// no data yet, not "the last day is incomplete", so a growth of -80% against the whole month before is not read as a collapse.
    /// </summary>
    [Fact]
    public void A_period_that_ends_after_today_says_how_many_of_its_days_have_no_data_yet()
    {
        var period = new Erp.Db.Queries.Sales.PeriodInfo(Today.AddDays(-5), Today.AddDays(25), 31);

        var byDay = Erp.Db.Cli.Commands.Bi.PeriodMeta.Buckets(period, null, Today);
        var toTomorrow = Erp.Db.Cli.Commands.Bi.PeriodMeta.Buckets(new Erp.Db.Queries.Sales.PeriodInfo(Today.AddDays(-5), Today.AddDays(1), 7), null, Today);

        Assert.False(byDay.LastBucketComplete);
        Assert.NotNull(byDay.Note);
        Assert.DoesNotContain("Includes today", byDay.Note, StringComparison.Ordinal);
        Assert.StartsWith($"Runs 25 days past today ({Day(Today)}) to {Day(Today.AddDays(25))}: those days have no data yet", byDay.Note, StringComparison.Ordinal);
        Assert.Contains("sales compares these days with as many days at the start of the period before (data.comparedTo)", byDay.Note, StringComparison.Ordinal);
        Assert.StartsWith($"Runs 1 day past today ({Day(Today)})", toTomorrow.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finance_and_trends_by_month_agree_on_which_months_of_a_period_are_complete()
    {
        var f = await shared.GetAsync();
        var firstOfMonth = new DateOnly(Today.Year, Today.Month, 1);
        (DateOnly Start, DateOnly End)[] periods =
        [
            (firstOfMonth.AddMonths(-2).AddDays(9), firstOfMonth.AddMonths(-1).AddDays(14)), // cut at both ends, in the past
            (firstOfMonth.AddMonths(-2), firstOfMonth.AddDays(-1)), // whole months, in the past
            (firstOfMonth.AddMonths(-1), Today), // to today
        ];
        foreach (var (start, end) in periods)
        {
            string[] common = ["--merchant", "1", "--start", Day(start), "--end", Day(end), "--format", "json", "--connection", f.Db.ConnectionString];

            var finance = (await CliRun.RunAsync(["finance", .. common])).Json().GetProperty("meta").GetProperty("period");
            var trends = (await CliRun.RunAsync(["trends", "--grain", "month", .. common])).Json().GetProperty("meta").GetProperty("period");

            Assert.Equal((trends.GetProperty("grain").GetString(), trends.GetProperty("firstBucketComplete").GetBoolean(), trends.GetProperty("lastBucketComplete").GetBoolean()),
                (finance.GetProperty("grain").GetString(), finance.GetProperty("firstBucketComplete").GetBoolean(), finance.GetProperty("lastBucketComplete").GetBoolean()));
            if (trends.GetProperty("note").GetString() is { } note)
            {
                // Finance says what trends says, then its own sentence.
                Assert.StartsWith(note + " ", finance.GetProperty("note").GetString(), StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, finance.GetProperty("note").ValueKind);
            }
        }
    }

    [Fact]
    public async Task Report_csv_writes_one_row_per_figure_with_its_place_in_the_json_and_its_raw_value()
    {
        var f = await shared.GetAsync();
        string[] args = ["report", "--type", "monthly", "--date", Day(Today.AddDays(-35)), "--merchant", "1", "--connection", f.Db.ConnectionString];

        var data = (await CliRun.RunAsync([.. args, "--format", "json"])).Json().GetProperty("data");
        var csv = await CliRun.RunAsync([.. args, "--format", "csv"]);

        Assert.Equal(0, csv.ExitCode);
        var lines = csv.Csv().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal("field,name,value", lines[0]);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.All(rows, r => Assert.Equal(3, r.Length));
        // Each value is the JSON's, as written: no thousands separator, no %, empty for null.
        foreach (var row in rows)
        {
            var value = row[0].Split('.').Aggregate(data, (element, name) => element.GetProperty(name));
            Assert.Equal(value.ValueKind == JsonValueKind.Null ? "" : value.GetRawText(), row[2]);
        }
        Assert.Equal(
            ["sales.revenue", "sales.orders", "sales.aov", "sales.growthRate", "sales.netProfit", "inventory.lowStockProducts",
             "inventory.outOfStockProducts", "customers.totalCustomers", "customers.activeCustomers", "customers.churnedCustomers", "finance.overdue"],
            rows.Select(r => r[0]));
        Assert.True(data.GetProperty("sales").GetProperty("revenue").GetDecimal() >= 1000m);
        // The finance figures say which days they are of: the report's month (over, so all of it).
        var day = Today.AddDays(-35);
        var month = new DateOnly(day.Year, day.Month, 1);
        var finance = data.GetProperty("finance");
        Assert.Equal((Day(month), Day(month), Day(month.AddMonths(1).AddDays(-1))),
            (finance.GetProperty("month").GetString(), finance.GetProperty("from").GetString(), finance.GetProperty("to").GetString()));
        Assert.Equal(data.GetProperty("period").GetProperty("end").GetString(), finance.GetProperty("to").GetString());
    }

    [Theory]
    [InlineData("profit", "period", "--by", "shop")]
    [InlineData("profit", "day", "--by", "period", "--grain", "day")]
    [InlineData("users", "day", "--grain", "day")]
    [InlineData("funnel", "day", "--by", "period", "--grain", "day")]
    [InlineData("funnel", "period", "--by", "shop")]
    public async Task Profit_users_and_funnel_state_their_period_as_the_other_period_results_do(string command, string grain, params string[] grouping)
    {
        var db = (await shared.GetAsync()).Db;
        string[] common = [command, "--merchant", "1", "--days", "7", .. grouping, "--format", "json", "--connection", db.ConnectionString];

        var toToday = (await CliRun.RunAsync(common)).Json().GetProperty("meta").GetProperty("period");
        var toYesterday = (await CliRun.RunAsync([.. common, "--end", Day(Today.AddDays(-1))])).Json().GetProperty("meta").GetProperty("period");

        Assert.Equal((Day(Today.AddDays(-6)), Day(Today), 7, grain), (toToday.GetProperty("start").GetString(), toToday.GetProperty("end").GetString(),
            toToday.GetProperty("days").GetInt32(), toToday.GetProperty("grain").GetString()));
        Assert.False(toToday.GetProperty("lastBucketComplete").GetBoolean());
        Assert.Contains("today", toToday.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.True(toYesterday.GetProperty("lastBucketComplete").GetBoolean());
    }

    /// <summary>
    /// Every BI command that groups names the option --group-by, and takes --by as well, with the same answer; help names it once.
    /// </summary>
    [Theory]
    [InlineData("sales", "shop")]
    [InlineData("profit", "shop")]
    [InlineData("funnel", "platform")]
    public async Task Every_grouping_is_group_by_and_by_alike_and_help_names_both(string command, string grouping)
    {
        var db = (await shared.GetAsync()).Db;
        string[] common = [command, "--merchant", "1", "--days", "30", "--end", Day(Today.AddDays(-1)), "--format", "json", "--connection", db.ConnectionString];

        var groupBy = await CliRun.RunAsync([.. common, "--group-by", grouping]);
        var by = await CliRun.RunAsync([.. common, "--by", grouping]);
        var help = await CliRun.RunAsync(command, "--help");

        Assert.True(groupBy.ExitCode == 0, groupBy.Output + groupBy.Error);
        Assert.True(by.ExitCode == 0, by.Output + by.Error);
        Assert.Equal(groupBy.Json().GetProperty("data").GetRawText(), by.Json().GetProperty("data").GetRawText());
        Assert.Equal(0, help.ExitCode);
        Assert.Single(help.Output.Split('\n'), l => l.TrimStart().StartsWith("--by, --group-by <", StringComparison.Ordinal));
    }

    /// <summary>
    /// Every BI command with buckets takes their size as --grain and as --granularity (trends' name, and its JSON field), with the
    /// same answer: an assistant that learnt one spelling from one command is not refused by the next.
    /// </summary>
    [Fact]
    public async Task Every_grain_is_grain_and_granularity_alike()
    {
        var f = await shared.GetAsync();
        string[][] commands = [["trends"], ["users"], ["funnel", "--group-by", "period"], ["profit", "--group-by", "period"]];
        foreach (var command in commands)
        {
            string[] common = [.. command, "--merchant", "1", "--days", "30", "--end", Day(Today.AddDays(-1)), "--format", "json", "--connection", f.Db.ConnectionString];

            var grain = await CliRun.RunAsync([.. common, "--grain", "week"]);
            var granularity = await CliRun.RunAsync([.. common, "--granularity", "week"]);

            Assert.True(grain.ExitCode == 0, command[0] + ": " + grain.Output + grain.Error);
            Assert.True(granularity.ExitCode == 0, command[0] + ": " + granularity.Output + granularity.Error);
            Assert.Equal("week", granularity.Json().GetProperty("meta").GetProperty("period").GetProperty("grain").GetString());
            Assert.Equal(grain.Json().GetProperty("data").GetRawText(), granularity.Json().GetProperty("data").GetRawText());
        }
    }

    /// <summary>
    /// products and inventory --category select the category and its subcategories, so a top-level category is not an empty list;
    /// an id that is not one of the merchant's categories (another merchant's, or none) is refused naming the top-level ones.
    /// </summary>
    [Fact]
    public async Task A_category_filter_takes_its_subcategories_and_refuses_an_unknown_category()
    {
        await using var f = await QueryFixture.CreateAsync();
        // Toys (1) moves under a new top-level category, Leisure (3); the products stay in Toys.
        await f.Db.ExecuteAsync("""
            INSERT INTO dw.dim_categories (category_id, merchant_id, category_code, category_name, path) VALUES (3, 1, 'leisure', 'Leisure', 'leisure');
            UPDATE dw.dim_categories SET parent_id = 3, level = 2, path = 'leisure/toys' WHERE category_id = 1;
            """);
        string[] common = ["--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString];
        var listings = await f.Db.ScalarAsync<long>("SELECT count(*) FROM mart.mv_product_management WHERE merchant_id = 1 AND is_latest AND category_id = 1");
        var products = await f.Db.ScalarAsync<long>("SELECT count(*) FROM mart.mv_inventory_summary WHERE merchant_id = 1 AND category_id = 1");
        Assert.True(listings > 0 && products > 0, $"the dataset should have Toys listings ({listings}) and stock ({products})");

        var productsOfParent = await CliRun.RunAsync(["products", "--category", "3", .. common]);
        var inventoryOfParent = await CliRun.RunAsync(["inventory", "--category", "3", .. common]);
        Assert.True(productsOfParent.ExitCode == 0, productsOfParent.Output + productsOfParent.Error);
        Assert.Equal(listings, productsOfParent.Json().GetProperty("data").GetProperty("total").GetInt64());
        Assert.True(inventoryOfParent.ExitCode == 0, inventoryOfParent.Output + inventoryOfParent.Error);
        Assert.Equal(products, inventoryOfParent.Json().GetProperty("data").GetProperty("summary").GetProperty("totalProducts").GetInt64());

        foreach (var (command, category) in new[] { ("products", "2"), ("inventory", "999") })
        {
            var unknown = await CliRun.RunAsync([command, "--category", category, .. common]);
            Assert.Equal(2, unknown.ExitCode);
            var error = unknown.Json().GetProperty("error");
            Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
            Assert.Equal($"--category: {category} is not a category of this merchant. Its top-level categories: 3 Leisure.", error.GetProperty("message").GetString());
            Assert.Equal("--category", error.GetProperty("details").GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task Finance_counts_exactly_the_days_of_a_mid_month_window_and_its_overdue_total_does_not_depend_on_the_window()
    {
        var f = await shared.GetAsync();
        var start = new DateOnly(Today.Year, Today.Month, 1).AddMonths(-2).AddDays(14);
        var end = new DateOnly(Today.Year, Today.Month, 1).AddMonths(-1).AddDays(9);
        string[] common = ["finance", "--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString];

        var midMonth = (await CliRun.RunAsync([.. common, "--start", Day(start), "--end", Day(end)])).Json();
        var oneDay = (await CliRun.RunAsync([.. common, "--days", "1"])).Json();
        var year = (await CliRun.RunAsync([.. common, "--days", "365"])).Json();

        var data = midMonth.GetProperty("data");
        Assert.Equal(Day(start), data.GetProperty("from").GetString());
        Assert.Equal(Day(end), data.GetProperty("to").GetString());
        Assert.Equal(Day(start), midMonth.GetProperty("meta").GetProperty("period").GetProperty("start").GetString());
        Assert.Equal(Day(end), midMonth.GetProperty("meta").GetProperty("period").GetProperty("end").GetString());
        // Each month row says which of its days it counts: the window cuts the first and the last.
        var months = data.GetProperty("months").EnumerateArray().ToList();
        Assert.Equal(Day(start), months[0].GetProperty("from").GetString());
        Assert.Equal(Day(end), months[^1].GetProperty("to").GetString());

        // The same window asked of the facts: only its days count.
        var window = $"BETWEEN DATE '{Day(start)}' AND DATE '{Day(end)}'";
        var revenue = await f.Db.ScalarAsync<decimal>($"SELECT coalesce(sum(gmv_cny), 0) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND dw.is_valid_sale(status) AND order_date {window}");
        var wholeMonths = await f.Db.ScalarAsync<decimal>($"SELECT coalesce(sum(gmv_cny), 0) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND dw.is_valid_sale(status) AND order_date BETWEEN DATE '{Day(new DateOnly(start.Year, start.Month, 1))}' AND DATE '{Day(new DateOnly(end.Year, end.Month, 1).AddMonths(1).AddDays(-1))}'");
        Assert.True(revenue > 0 && revenue < wholeMonths, $"the window's revenue {revenue} should be part of its whole months' {wholeMonths}");
        var totals = data.GetProperty("totals");
        Assert.Equal(revenue, totals.GetProperty("revenue").GetDecimal());
        // The totals are of the whole window: its days, and no one month (it spans two).
        Assert.Equal((Day(start), Day(end), JsonValueKind.Null),
            (totals.GetProperty("from").GetString(), totals.GetProperty("to").GetString(), totals.GetProperty("month").ValueKind));
        Assert.Equal(revenue, months.Sum(m => m.GetProperty("revenue").GetDecimal()));
        Assert.Equal(await f.Db.ScalarAsync<decimal>($"SELECT coalesce(sum(amount_cny), 0) FROM dw.fact_payment_receipts WHERE merchant_id = 1 AND receipt_date {window}"),
            totals.GetProperty("receipts").GetDecimal());
        Assert.Equal(await f.Db.ScalarAsync<decimal>($"SELECT coalesce(sum(amount_cny), 0) FROM dw.fact_expenses WHERE merchant_id = 1 AND order_id IS NULL AND expense_date {window}"),
            totals.GetProperty("expenses").GetDecimal());

        var overdue = await f.Db.ScalarAsync<decimal>("""
            SELECT sum(round(outstanding_amount * exchange_rate, 2)) FROM dw.fact_accounts_receivable
             WHERE merchant_id = 1 AND status IN ('open', 'partially_paid', 'overdue') AND due_date < CURRENT_DATE
            """);
        Assert.True(overdue > 0);
        foreach (var run in new[] { midMonth, oneDay, year })
        {
            Assert.Equal(overdue, run.GetProperty("data").GetProperty("totals").GetProperty("overdue").GetDecimal());
        }
    }

    [Fact]
    public async Task Products_and_inventory_share_one_definition_of_low_stock_and_low_products_still_selling_get_a_reorder()
    {
        await using var f = await QueryFixture.CreateAsync();
        // Product 102 is low (30 available, safety stock 50) and sells; a large delivery in transit must not hide it.
        await f.Db.ExecuteAsync("UPDATE dw.fact_inventory SET quantity_incoming = 1000 WHERE merchant_id = 1 AND product_id = 102; CALL ops.refresh_all('test');");
        string[] common = ["--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString];

        var products = (await CliRun.RunAsync(["products", "--stock-status", "low_stock", "--page-size", "500", .. common])).Json().GetProperty("data");
        var inventory = (await CliRun.RunAsync(["inventory", "--status", "low", .. common])).Json().GetProperty("data");

        var lowFromFacts = await f.Db.ScalarAsync<long[]>("""
            SELECT array_agg(product_id ORDER BY product_id) FROM (
                SELECT product_id FROM dw.fact_inventory WHERE merchant_id = 1 GROUP BY product_id
                HAVING sum(quantity_available) > 0 AND sum(quantity_available) <= sum(safety_stock)) AS low
            """);
        Assert.Equal(lowFromFacts, products.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("productId").GetInt64()).Distinct().Order().ToArray());
        Assert.Equal(lowFromFacts, inventory.GetProperty("products").GetProperty("items").EnumerateArray().Select(p => p.GetProperty("productId").GetInt64()).Order().ToArray());
        var sold = await f.Db.ScalarAsync<long>("""
            SELECT sum(i.quantity) FROM dw.fact_order_items AS i JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date)
             WHERE i.merchant_id = 1 AND i.product_id = 102 AND dw.is_valid_sale(o.status) AND i.order_date >= CURRENT_DATE - 30 AND i.order_date < CURRENT_DATE
            """);
        Assert.True(sold > 0);
        var kite = inventory.GetProperty("products").GetProperty("items").EnumerateArray().Single(p => p.GetProperty("productId").GetInt64() == 102);
        Assert.Equal(50 + sold - 30, kite.GetProperty("suggestedReorder").GetInt64());
    }

    [Theory]
    [InlineData("80")]
    [InlineData("120")]
    public async Task Tables_fit_80_and_120_columns_and_keep_figures_whole(string columns)
    {
        var f = await shared.GetAsync();
        var environment = new Dictionary<string, string> { ["COLUMNS"] = columns };
        string[] common = ["--merchant", "1", "--connection", f.Db.ConnectionString];

        var sales = await CliRun.RunAsync(environment, ["sales", "--group-by", "product", "--format", "table", .. common]);
        var json = (await CliRun.RunAsync(["sales", "--group-by", "product", "--format", "json", .. common])).Json().GetProperty("data");
        var trends = await CliRun.RunAsync(environment, ["trends", "--forecast", "3", "--granularity", "week", "--format", "table", .. common]);
        var trendJson = (await CliRun.RunAsync(["trends", "--forecast", "3", "--granularity", "week", "--format", "json", .. common])).Json().GetProperty("data");

        foreach (var run in new[] { sales, trends })
        {
            Assert.Equal(0, run.ExitCode);
            Assert.All(run.Output.Split('\n'), l => Assert.True(l.TrimEnd('\r').Length <= int.Parse(columns, CultureInfo.InvariantCulture), $"too wide: {l}"));
        }
        Assert.Contains(json.GetProperty("metrics").GetProperty("revenue").GetDecimal().ToString("#,0.00", CultureInfo.InvariantCulture), sales.Output, StringComparison.Ordinal);
        foreach (var row in json.GetProperty("breakdown").EnumerateArray())
        {
            Assert.Contains(row.GetProperty("revenue").GetDecimal().ToString("#,0.00", CultureInfo.InvariantCulture), sales.Output, StringComparison.Ordinal);
        }
        foreach (var point in trendJson.GetProperty("series").EnumerateArray().Where(p => p.GetProperty("forecast").GetBoolean()))
        {
            Assert.Contains(point.GetProperty("revenueLower").GetDecimal().ToString("#,0.00", CultureInfo.InvariantCulture), trends.Output, StringComparison.Ordinal);
            Assert.Contains(point.GetProperty("revenueUpper").GetDecimal().ToString("#,0.00", CultureInfo.InvariantCulture), trends.Output, StringComparison.Ordinal);
            Assert.Contains($"{point.GetProperty("bucket").GetString()} (forecast)", trends.Output, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("…", trends.Output, StringComparison.Ordinal);
        // Times carry their date and UTC offset.
        Assert.Matches(@"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} [+-][0-9]{2}:[0-9]{2}", sales.Output);
    }
}
