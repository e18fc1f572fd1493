using System.Globalization;
using System.Text.Json;
using Erp.Db.Tests.Queries;

namespace Erp.Db.Tests.Cli;

/// <summary>
/// The same figure answers the same in every command: an AOV without orders is null everywhere, a rate has one precision
/// (<c>mart.rate</c>), and sales' growth for a period running past today sets like days against like. Checked against SQL over the facts.
/// </summary>
public class ConsistentAnswersTests
{
    private const string ValidSales = "merchant_id = 1 AND dw.is_valid_sale(status)";

    private static DateOnly Today => QueryFixture.Today;

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<JsonElement> DataAsync(QueryFixture f, params string[] args)
    {
        var run = await CliRun.RunAsync([.. args, "--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString]);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        return run.Json().GetProperty("data");
    }

    [Fact]
    public async Task An_average_order_value_without_orders_is_null_in_totals_rows_trends_and_the_report()
    {
        await using var f = await QueryFixture.CreateAsync();
        string[] quiet = ["--start", "2020-01-06", "--end", "2020-01-19"];

        var sales = await DataAsync(f, ["sales", .. quiet]);
        var byWeek = await DataAsync(f, ["sales", .. quiet, "--group-by", "week"]);
        var trends = await DataAsync(f, ["trends", .. quiet, "--grain", "week"]);
        var report = await DataAsync(f, "report", "--type", "monthly", "--date", "2020-01-31");
        var busy = await DataAsync(f, "sales", "--days", "7", "--end", Day(Today.AddDays(-1)));

        Assert.Equal(0, await f.Db.ScalarAsync<long>($"SELECT count(*) FROM dw.fact_sales_orders WHERE {ValidSales} AND order_date < DATE '2020-02-01'"));
        Assert.Equal(JsonValueKind.Null, sales.GetProperty("metrics").GetProperty("aov").ValueKind);
        Assert.All(sales.GetProperty("daily").EnumerateArray(), d => Assert.Equal(JsonValueKind.Null, d.GetProperty("aov").ValueKind));
        Assert.Equal(2, byWeek.GetProperty("breakdown").GetArrayLength());
        Assert.All(byWeek.GetProperty("breakdown").EnumerateArray(), d => Assert.Equal(JsonValueKind.Null, d.GetProperty("aov").ValueKind));
        Assert.Equal(2, trends.GetProperty("series").GetArrayLength());
        Assert.All(trends.GetProperty("series").EnumerateArray(), p => Assert.Equal(JsonValueKind.Null, p.GetProperty("aov").ValueKind));
        Assert.Equal(JsonValueKind.Null, report.GetProperty("sales").GetProperty("aov").ValueKind);
        // With orders: revenue / orders to the cent, as the facts give it.
        Assert.Equal(
            await f.Db.ScalarAsync<decimal>($"SELECT round(sum(gmv_cny) / count(*), 2) FROM dw.fact_sales_orders WHERE {ValidSales} AND order_date BETWEEN CURRENT_DATE - 7 AND CURRENT_DATE - 1"),
            busy.GetProperty("metrics").GetProperty("aov").GetDecimal());
    }

    [Fact]
    public async Task Every_rate_has_six_decimal_places_as_mart_rate_and_the_library_round_them()
    {
        await using var f = await QueryFixture.CreateAsync();
        var end = Today.AddDays(-1);
        string[] period = ["--start", Day(Today.AddDays(-13)), "--end", Day(end)];

        var sales = await DataAsync(f, ["sales", .. period, "--group-by", "shop"]);
        var trends = await DataAsync(f, ["trends", .. period, "--grain", "day"]);
        var profit = await DataAsync(f, ["profit", .. period, "--group-by", "shop"]);
        var customers = await DataAsync(f, "customers");

        var window = $"order_date BETWEEN DATE '{Day(Today.AddDays(-13))}' AND DATE '{Day(end)}'";
        var before = $"order_date BETWEEN DATE '{Day(Today.AddDays(-26))}' AND DATE '{Day(Today.AddDays(-14))}'";
        Assert.Equal(
            await f.Db.ScalarAsync<decimal>($"""
                SELECT round((sum(gmv_cny) FILTER (WHERE {window}) - sum(gmv_cny) FILTER (WHERE {before})) / sum(gmv_cny) FILTER (WHERE {before}), 6)
                  FROM dw.fact_sales_orders WHERE {ValidSales}
                """),
            sales.GetProperty("metrics").GetProperty("growthRate").GetDecimal());
        var margins = await f.Db.ScalarAsync<string>($"""
            SELECT string_agg(shop_id || ':' || round(sum_gp / sum_gmv, 6) || ':' || round(sum_np / sum_gmv, 6), ',' ORDER BY shop_id)
              FROM (SELECT shop_id, sum(gmv_cny) AS sum_gmv, sum(gross_profit_cny) AS sum_gp, sum(net_profit_cny) AS sum_np
                      FROM dw.fact_sales_orders WHERE {ValidSales} AND {window} GROUP BY shop_id) AS s
            """);
        Assert.Equal(margins, string.Join(",", sales.GetProperty("breakdown").EnumerateArray().OrderBy(r => long.Parse(r.GetProperty("key").GetString()!, CultureInfo.InvariantCulture))
            .Select(r => $"{r.GetProperty("key").GetString()}:{Six(r, "grossMargin")}:{Six(r, "netMargin")}")));
        // 13 days, compared with the 13 before. Every rate of every command: at most six decimal places, and some need all six.
        var rates = sales.GetProperty("breakdown").EnumerateArray().SelectMany(r => new[] { r.GetProperty("grossMargin"), r.GetProperty("netMargin") })
            .Concat(trends.GetProperty("series").EnumerateArray().SelectMany(p => new[] { p.GetProperty("revenueChange"), p.GetProperty("ordersChange"), p.GetProperty("aovChange") }))
            .Concat(profit.GetProperty("rows").GetProperty("items").EnumerateArray().SelectMany(r => new[] { r.GetProperty("grossMargin"), r.GetProperty("netMargin") }))
            .Append(sales.GetProperty("metrics").GetProperty("growthRate"))
            .Append(trends.GetProperty("changeRate"))
            .Append(customers.GetProperty("summary").GetProperty("repeatRate"))
            .Where(r => r.ValueKind == JsonValueKind.Number).Select(r => r.GetDecimal()).ToList();
        Assert.True(rates.Count > 20);
        Assert.All(rates, r => Assert.Equal(r, Math.Round(r, 6)));
        Assert.Contains(rates, r => r != Math.Round(r, 5));
    }

    [Fact]
    public async Task A_merchant_without_customers_has_no_repeat_rate_rather_than_a_rate_of_zero()
    {
        await using var f = await QueryFixture.CreateAsync();
        await f.Db.ExecuteAsync("INSERT INTO dw.dim_merchants (merchant_id, merchant_code, merchant_name) VALUES (3, 'm3', 'Merchant three')");

        var none = await CliRun.RunAsync("customers", "--merchant", "3", "--format", "json", "--connection", f.Db.ConnectionString);
        var table = await CliRun.RunAsync("customers", "--merchant", "3", "--format", "table", "--connection", f.Db.ConnectionString);
        var some = await DataAsync(f, "customers");

        Assert.Equal(0, none.ExitCode);
        var summary = none.Json().GetProperty("data").GetProperty("summary");
        Assert.Equal((0, JsonValueKind.Null), (summary.GetProperty("totalCustomers").GetInt64(), summary.GetProperty("repeatRate").ValueKind));
        Assert.Contains("repeat rate (2+ orders, any segment) n/a", string.Join(' ', table.Output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Number, some.GetProperty("summary").GetProperty("repeatRate").ValueKind);
    }

    [Fact]
    public async Task The_library_rounds_a_rate_as_mart_rate_does()
    {
        await using var f = await QueryFixture.CreateAsync();
        // Thirds, a value below the sixth place, halves at the seventh place either side of zero (PostgreSQL rounds them away from zero), none.
        (long Part, long Whole)[] pairs = [(1, 3), (-2, 3), (1, 8_000_000), (3, 2_000_000), (-3, 2_000_000), (5, 0)];

        var sql = await f.Db.ScalarAsync<string>(
            "SELECT string_agg(coalesce(mart.rate(p, w)::text, 'null'), ',' ORDER BY i) FROM (VALUES "
            + string.Join(", ", pairs.Select((r, i) => $"({i}, {r.Part}, {r.Whole})")) + ") AS v (i, p, w)");

        Assert.Equal(sql, string.Join(",", pairs.Select(r => Erp.Db.Queries.Rate.Of(r.Part, r.Whole) is { } rate ? rate.ToString("0.000000", CultureInfo.InvariantCulture) : "null")));
        Assert.Equal("0.333333,-0.666667,0.000000,0.000002,-0.000002,null", sql);
    }

    [Fact]
    public async Task Growth_of_a_period_running_past_today_compares_its_days_to_today_with_as_many_days_before()
    {
        await using var f = await QueryFixture.CreateAsync();
        var start = Today.AddDays(-5);

        var run = await CliRun.RunAsync("sales", "--start", Day(start), "--end", Day(Today.AddDays(25)), "--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString);

        Assert.Equal(0, run.ExitCode);
        var data = run.Json().GetProperty("data");
        // 31 days, 6 of them to today: compared with the first 6 days of the 31 before.
        var compared = data.GetProperty("comparedTo");
        Assert.Equal((Day(start.AddDays(-31)), Day(start.AddDays(-26)), 6),
            (compared.GetProperty("start").GetString(), compared.GetProperty("end").GetString(), compared.GetProperty("days").GetInt32()));
        // The last of them, today's counterpart, only up to now's time of day (docs/metrics.md): comparedTo.through.
        var through = compared.GetProperty("through").GetDateTime();
        var then = await LikeForLikeGrowthTests.WholeDaysAsync(f.Db, start.AddDays(-31), start.AddDays(-27))
            + await LikeForLikeGrowthTests.SoFarAsync(f.Db, start.AddDays(-26), through);
        var metrics = data.GetProperty("metrics");
        Assert.Equal(then, metrics.GetProperty("previousRevenue").GetDecimal());
        Assert.Equal(
            await f.Db.ScalarAsync<decimal>($"""
                SELECT round((sum(gmv_cny) - {then.ToString(CultureInfo.InvariantCulture)}) / {then.ToString(CultureInfo.InvariantCulture)}, 6)
                  FROM dw.fact_sales_orders WHERE {ValidSales} AND order_date BETWEEN DATE '{Day(start)}' AND CURRENT_DATE
                """),
            metrics.GetProperty("growthRate").GetDecimal());
        Assert.Contains("as many days at the start of the period before", run.Json().GetProperty("meta").GetProperty("period").GetProperty("note").GetString(), StringComparison.Ordinal);
        // A period that ends today or before compares with the whole period before, as always.
        var past = await DataAsync(f, "sales", "--start", Day(start.AddDays(-40)), "--end", Day(start.AddDays(-10)));
        Assert.Equal((Day(start.AddDays(-71)), 31), (past.GetProperty("comparedTo").GetProperty("start").GetString(), past.GetProperty("comparedTo").GetProperty("days").GetInt32()));
        Assert.False(past.GetProperty("comparedTo").TryGetProperty("through", out _));
    }

    private static string Six(JsonElement row, string field) => row.GetProperty(field).GetDecimal().ToString("0.000000", CultureInfo.InvariantCulture);
}
