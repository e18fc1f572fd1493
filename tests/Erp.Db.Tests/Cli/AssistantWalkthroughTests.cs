using System.Globalization;
using System.Text.Json;
using Erp.Db.Tests.Queries;

namespace Erp.Db.Tests.Cli;

/// <summary>
/// The gaps found when erpdb was used as an assistant would (docs/assistants.md, "Checked"): the largest overdue
/// receivables, the change of AOV and orders per bucket, profit in every sales breakdown that can carry it, and a
/// JSON meta without table text. Answers are checked against SQL over the facts, not the views.
/// </summary>
/// <remarks>The tests that only read the sales dataset share one (<see cref="SharedQueryFixture"/>); those that change it, add logins or hold locks have their own.</remarks>
public class AssistantWalkthroughTests(SharedQueryFixture shared) : IClassFixture<SharedQueryFixture>
{
    private static DateOnly Today => QueryFixture.Today;

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Money(JsonElement row, string field) =>
        row.GetProperty(field).ValueKind == JsonValueKind.Null ? "null" : row.GetProperty(field).GetDecimal().ToString("0.######", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Receivables_sorted_by_largest_list_the_largest_overdue_first_as_the_facts_do()
    {
        await using var f = await QueryFixture.CreateAsync();
        // Small and long overdue, large and just overdue, one in between partly paid: the two orders differ.
        await f.Db.ExecuteAsync("""
            INSERT INTO dw.fact_accounts_receivable (merchant_id, shop_id, invoice_no, amount, received_amount, invoice_date, due_date, status)
            VALUES (1, 11, 'w-old-small', 100, 0, CURRENT_DATE - 90, CURRENT_DATE - 60, 'open'),
                   (1, 11, 'w-new-large', 5000, 0, CURRENT_DATE - 30, CURRENT_DATE - 3, 'open'),
                   (1, 12, 'w-mid', 2000, 500, CURRENT_DATE - 50, CURRENT_DATE - 30, 'partially_paid');
            """);
        string[] common = ["receivables", "--merchant", "1", "--status", "overdue", "--format", "json", "--connection", f.Db.ConnectionString];

        var largest = (await CliRun.RunAsync([.. common, "--sort-by", "largest"])).Json().GetProperty("data");
        var byDefault = (await CliRun.RunAsync(common)).Json().GetProperty("data");

        string Invoices(JsonElement data) => string.Join(",", data.GetProperty("receivables").GetProperty("items").EnumerateArray()
            .Select(r => $"{r.GetProperty("invoiceNo").GetString()}={r.GetProperty("outstandingCny").GetDecimal().ToString(CultureInfo.InvariantCulture)}"));
        const string Overdue = """
            FROM dw.fact_accounts_receivable
            WHERE merchant_id = 1 AND status IN ('open', 'partially_paid', 'overdue') AND due_date < CURRENT_DATE
            """;
        var expectedLargest = await f.Db.ScalarAsync<string>($"""
            SELECT string_agg(invoice_no || '=' || round(outstanding_amount * exchange_rate, 2), ','
                              ORDER BY round(outstanding_amount * exchange_rate, 2) DESC, due_date, receivable_id) {Overdue}
            """);
        var expectedOverdue = await f.Db.ScalarAsync<string>($"""
            SELECT string_agg(invoice_no || '=' || round(outstanding_amount * exchange_rate, 2), ','
                              ORDER BY due_date, round(outstanding_amount * exchange_rate, 2) DESC, receivable_id) {Overdue}
            """);
        Assert.Equal(expectedLargest, Invoices(largest));
        Assert.StartsWith("w-new-large=", Invoices(largest), StringComparison.Ordinal);
        Assert.Equal(expectedOverdue, Invoices(byDefault));
        Assert.StartsWith("w-old-small=", Invoices(byDefault), StringComparison.Ordinal);
        // The sort changes the order only: the totals are the same.
        Assert.Equal(byDefault.GetProperty("totals").GetRawText(), largest.GetProperty("totals").GetRawText());

        var bad = await CliRun.RunAsync([.. common, "--sort-by", "oldest"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("VALIDATION_ERROR", bad.Json().GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Trends_give_the_change_of_orders_and_aov_per_bucket_and_metrics_aov_keeps_its_change()
    {
        var f = await shared.GetAsync();
        var start = Today.AddDays(-35);
        var end = Today.AddDays(-1);
        string[] common = ["trends", "--merchant", "1", "--start", Day(start), "--end", Day(end), "--granularity", "week", "--format", "json", "--connection", f.Db.ConnectionString];

        var all = (await CliRun.RunAsync(common)).Json().GetProperty("data").GetProperty("series");
        var aovOnly = (await CliRun.RunAsync([.. common, "--metrics", "aov"])).Json().GetProperty("data").GetProperty("series");

        // Every week the period touches, at 0 without orders and with no AOV (which week the period starts in, and whether it has
        // orders, depends on today's weekday); no change against a week of none, and no change of orders unless both weeks are
        // whole in the period (a week the start cuts has fewer days).
        var expected = await f.Db.ScalarAsync<string>($"""
            SELECT string_agg(w || '|' || orders || '|' || coalesce(aov::text, 'null') || '|' || coalesce(orders_change::text, 'null') || '|' || coalesce(aov_change::text, 'null'), ',' ORDER BY w)
              FROM (SELECT w, orders, aov,
                           CASE WHEN whole AND lag(whole) OVER (ORDER BY w)
                                THEN round((orders - lag(orders) OVER (ORDER BY w))::numeric / nullif(lag(orders) OVER (ORDER BY w), 0), 6) END AS orders_change,
                           round((aov - lag(aov) OVER (ORDER BY w)) / nullif(lag(aov) OVER (ORDER BY w), 0), 6) AS aov_change
                      FROM (SELECT g.w::date AS w, coalesce(o.orders, 0) AS orders, o.aov,
                                   g.w::date >= DATE '{Day(start)}' AND g.w::date + 6 <= DATE '{Day(end)}' AS whole
                              FROM generate_series(date_trunc('week', DATE '{Day(start)}'), DATE '{Day(end)}', interval '1 week') AS g (w)
                              LEFT JOIN (SELECT date_trunc('week', order_date)::date AS w, count(*) AS orders, round(sum(gmv_cny) / count(*), 2) AS aov
                                           FROM dw.fact_sales_orders
                                          WHERE merchant_id = 1 AND dw.is_valid_sale(status) AND order_date BETWEEN DATE '{Day(start)}' AND DATE '{Day(end)}'
                                          GROUP BY 1) AS o ON o.w = g.w::date) AS weeks) AS x
            """);
        var actual = string.Join(",", all.EnumerateArray().Select(p =>
            $"{p.GetProperty("bucket").GetString()}|{p.GetProperty("orders").GetInt64()}|{Money(p, "aov")}|{Money(p, "ordersChange")}|{Money(p, "aovChange")}"));
        Assert.Equal(Normalize(expected!), actual);
        Assert.Contains(all.EnumerateArray(), p => p.GetProperty("aovChange").ValueKind == JsonValueKind.Number);
        Assert.All(aovOnly.EnumerateArray(), p =>
        {
            Assert.True(p.TryGetProperty("aovChange", out _));
            Assert.False(p.TryGetProperty("ordersChange", out _));
            Assert.False(p.TryGetProperty("revenueChange", out _));
        });
    }

    [Fact]
    public async Task Sales_breakdowns_by_day_week_platform_and_hour_carry_profit_and_margins_and_meta_holds_no_table_text()
    {
        var f = await shared.GetAsync();
        string[] common = ["sales", "--merchant", "1", "--days", "14", "--end", Day(Today.AddDays(-1)), "--format", "json", "--connection", f.Db.ConnectionString];
        var window = $"order_date BETWEEN DATE '{Day(Today.AddDays(-14))}' AND DATE '{Day(Today.AddDays(-1))}'";

        // Every day, week and hour of the period has a row, at 0 without orders; platforms with only cancelled orders show
        // at 0 (mart.daily_sales), platforms without any do not.
        var days = $"generate_series(DATE '{Day(Today.AddDays(-14))}', DATE '{Day(Today.AddDays(-1))}', interval '1 day') AS d";
        foreach (var (groupBy, bucket, orders, keys) in new[]
        {
            ("day", "to_char(o.order_date, 'YYYY-MM-DD')", "true", $"SELECT to_char(d, 'YYYY-MM-DD') FROM {days}"),
            ("week", "to_char(date_trunc('week', o.order_date), 'YYYY-MM-DD')", "true", $"SELECT DISTINCT to_char(date_trunc('week', d), 'YYYY-MM-DD') FROM {days}"),
            ("platform", "p.platform_code", "true", "SELECT NULL::text WHERE false"),
            ("hour", "lpad(extract(hour FROM o.ordered_at AT TIME ZONE m.timezone)::int::text, 2, '0')", "dw.is_valid_sale(o.status)",
             "SELECT lpad(h::text, 2, '0') FROM generate_series(0, 23) AS h"),
        })
        {
            var json = (await CliRun.RunAsync([.. common, "--group-by", groupBy])).Json();
            var expected = await f.Db.ScalarAsync<string>($"""
                SELECT string_agg(k || '|' || coalesce(gross, 0) || '|' || coalesce(net, 0) || '|' || coalesce(round(gross / nullif(revenue, 0), 6)::text, 'null')
                                  || '|' || coalesce(round(net / nullif(revenue, 0), 6)::text, 'null'), ',' ORDER BY k COLLATE "C")
                  FROM ({keys}) AS every(k) FULL JOIN (SELECT {bucket} AS k, coalesce(sum(o.gmv_cny) FILTER (WHERE dw.is_valid_sale(o.status)), 0) AS revenue,
                               coalesce(sum(o.gross_profit_cny) FILTER (WHERE dw.is_valid_sale(o.status)), 0) AS gross,
                               coalesce(sum(o.net_profit_cny) FILTER (WHERE dw.is_valid_sale(o.status)), 0) AS net
                          FROM dw.fact_sales_orders AS o
                          JOIN dw.dim_merchants AS m USING (merchant_id)
                          JOIN dw.dim_shops AS s ON s.merchant_id = o.merchant_id AND s.shop_id = o.shop_id
                          JOIN dw.dim_platforms AS p ON p.platform_id = s.platform_id
                         WHERE o.merchant_id = 1 AND {orders} AND o.{window}
                         GROUP BY 1) AS x USING (k)
                """);
            var rows = json.GetProperty("data").GetProperty("breakdown").EnumerateArray()
                .Select(r => $"{r.GetProperty("key").GetString() ?? r.GetProperty("bucket").GetString()}|{Money(r, "grossProfit")}|{Money(r, "netProfit")}|{Money(r, "grossMargin")}|{Money(r, "netMargin")}")
                .Order(StringComparer.Ordinal);
            Assert.Equal(Normalize(expected!), string.Join(",", rows));
            Assert.False(json.GetProperty("meta").GetProperty("period").TryGetProperty("caption", out _));
        }
    }

    [Fact]
    public async Task Trends_give_no_change_of_revenue_or_orders_against_or_into_a_week_with_fewer_days()
    {
        var f = await shared.GetAsync();
        // From a Wednesday four weeks back to today: the first week has five days in the period, the last runs today.
        var monday = Today.AddDays(-28 - ((int)Today.DayOfWeek + 6) % 7);
        var start = monday.AddDays(2);
        string[] common = ["trends", "--merchant", "1", "--start", Day(start), "--grain", "week", "--format", "json", "--connection", f.Db.ConnectionString];

        var series = (await CliRun.RunAsync(common)).Json().GetProperty("data").GetProperty("series").EnumerateArray().ToList();

        Assert.Equal(5, series.Count);
        Assert.Equal([false, true, true, true, false], series.Select(p => p.GetProperty("complete").GetBoolean()));
        // The first whole week after the cut one, and the running week after a whole one: no change of sums, the AOV's kept.
        foreach (var p in new[] { series[1], series[4] })
        {
            Assert.Equal(("null", "null"), (Money(p, "revenueChange"), Money(p, "ordersChange")));
        }
        Assert.NotEqual("null", Money(series[1], "aovChange"));
        // Between whole weeks, the change the facts give.
        var changes = await f.Db.ScalarAsync<string>($"""
            SELECT string_agg(change, ',' ORDER BY week)
              FROM (SELECT week, round((revenue - lag(revenue) OVER w) / lag(revenue) OVER w, 6) || '|'
                                 || round((orders - lag(orders) OVER w)::numeric / lag(orders) OVER w, 6) AS change
                      FROM (SELECT date_trunc('week', order_date)::date AS week, sum(gmv_cny) AS revenue, count(*) AS orders
                              FROM dw.fact_sales_orders
                             WHERE merchant_id = 1 AND dw.is_valid_sale(status)
                               AND order_date BETWEEN DATE '{Day(monday.AddDays(7))}' AND DATE '{Day(monday.AddDays(27))}'
                             GROUP BY 1) AS weeks
                    WINDOW w AS (ORDER BY week)) AS changes
             WHERE week > DATE '{Day(monday.AddDays(7))}'
            """);
        Assert.Equal(Normalize(changes!), string.Join(",", series[2..4].Select(p => $"{Money(p, "revenueChange")}|{Money(p, "ordersChange")}")));
    }

    [Theory]
    [InlineData("product", "it.product_id::text")]
    [InlineData("category", "coalesce(p.category_id::text, '')")]
    public async Task Sales_by_product_and_category_carry_the_lines_gross_profit_and_margin_as_the_facts_and_profit_give_them(string groupBy, string key)
    {
        var f = await shared.GetAsync();
        string[] window = ["--merchant", "1", "--start", Day(Today.AddDays(-20)), "--end", Day(Today.AddDays(-1)), "--group-by", groupBy, "--format", "json", "--connection", f.Db.ConnectionString];

        var sales = (await CliRun.RunAsync(["sales", .. window, "--limit", "1"])).Json().GetProperty("data").GetProperty("breakdown").EnumerateArray().ToList();
        var profit = (await CliRun.RunAsync(["profit", .. window, "--page-size", "500"])).Json().GetProperty("data").GetProperty("rows").GetProperty("items").EnumerateArray()
            .ToDictionary(r => r.GetProperty("key").GetString()!, r => $"{Money(r, "grossProfit")}|{Money(r, "grossMargin")}");

        // By product the best and the rest as 'others'; by category every category.
        var listed = sales.Select(r => r.GetProperty("key").GetString()!).Where(k => k != "others").ToList();
        var keys = "{" + string.Join(",", listed.Select(k => $"\"{k}\"")) + "}";
        var expected = await f.Db.ScalarAsync<string>($"""
            SELECT string_agg(k || '|' || round(gross, 2) || '|' || coalesce(round(gross / nullif(revenue, 0), 6)::text, 'null'), ','
                              ORDER BY k = 'others', revenue DESC, k COLLATE "C")
              FROM (SELECT CASE WHEN {key} = ANY('{keys}'::text[]) THEN {key} ELSE 'others' END AS k,
                           sum(round(it.amount * o.exchange_rate, 2)) AS revenue, sum(round(it.amount * o.exchange_rate, 2) - it.cost_amount) AS gross
                      FROM dw.fact_order_items AS it
                      JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date)
                      JOIN dw.dim_products AS p USING (merchant_id, product_id)
                     WHERE it.merchant_id = 1 AND dw.is_valid_sale(o.status) AND it.order_date BETWEEN DATE '{Day(Today.AddDays(-20))}' AND DATE '{Day(Today.AddDays(-1))}'
                     GROUP BY 1) AS g
            """);
        Assert.Equal(groupBy == "product", sales.Any(r => r.GetProperty("key").GetString() == "others"));
        Assert.Equal(Normalize(expected!), string.Join(",", sales.OrderBy(r => r.GetProperty("key").GetString() == "others")
            .ThenByDescending(r => r.GetProperty("revenue").GetDecimal()).ThenBy(r => r.GetProperty("key").GetString(), StringComparer.Ordinal)
            .Select(r => $"{r.GetProperty("key").GetString()}|{Money(r, "grossProfit")}|{Money(r, "grossMargin")}")));
        Assert.All(sales, r => Assert.Equal(("null", "null"), (Money(r, "netProfit"), Money(r, "netMargin"))));
        // The same figures as profit's, row by row.
        Assert.All(listed, k => Assert.Equal(profit[k], $"{Money(sales.Single(r => r.GetProperty("key").GetString() == k), "grossProfit")}|{Money(sales.Single(r => r.GetProperty("key").GetString() == k), "grossMargin")}"));
    }

    /// <summary>SQL's numeric text with trailing zeros ("12.50") as the JSON figures print ("12.5").</summary>
    private static string Normalize(string rows) => string.Join(",", rows.Split(',').Select(row => string.Join("|", row.Split('|').Select(cell =>
        decimal.TryParse(cell, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && cell.Contains('.', StringComparison.Ordinal)
            ? d.ToString("0.######", CultureInfo.InvariantCulture)
            : cell))));
}
