using System.Text.Json;
using Erp.Db.Queries;
using Erp.Db.Queries.Profit;
using Erp.Db.Tests.Infrastructure;
using static Erp.Db.Tests.Metrics.SeededMetrics;

namespace Erp.Db.Tests.Metrics;

[Collection(SharesSeededMetrics.Name)]
public class ProfitCommandTests(SeededMetrics seeded)
{
    private static readonly string[] Fields =
        ["key", "bucket", "label", "revenue", "cost", "fees", "grossProfit", "netProfit", "grossMargin", "netMargin", "expenses", "operatingProfit", "expenseRoi"];

    private static string Measures => string.Join(", ",
        S("round(r, 2)"), S("round(c, 2)"), S("round(f, 2)"), S("round(gp, 2)"), S("round(np, 2)"),
        S("round(gp / nullif(r, 0), 6)"), S("round(np / nullif(r, 0), 6)"), S("round(ex, 2)"), S("round(np - ex, 2)"), S("round(gp / nullif(ex, 0), 6)"));

    /// <summary>The same question asked of the orders and expenses: the rows, then the totals.</summary>
    private static string FactsSql(long merchant, DateOnly from, DateOnly to, string by, string unit)
    {
        var key = by switch
        {
            "shop" => "coalesce(l.shop_id::text, 'shared')",
            "platform" => "coalesce(l.platform_code, 'shared')",
            _ => $"date_trunc('{unit}', l.day)::date::text",
        };
        var label = by switch
        {
            "shop" => "coalesce(l.shop_name || ' (' || l.platform_code || ')', 'Shared (no shop)')",
            "platform" => "coalesce(l.platform_code, 'Shared (no shop)')",
            _ => $"to_char(date_trunc('{unit}', l.day), '{(unit == "week" ? "IYYY-\"W\"IW" : unit == "month" ? "YYYY-MM" : "YYYY-MM-DD")}')",
        };
        var order = by == "period" ? "key" : "r DESC, key";
        // By period every bucket the period touches is a row, one without sales or expenses at 0.
        // By shop or platform only groups with sales (valid orders) or expenses.
        var groups = by != "period" ? "SELECT key, label, r, c, f, gp, np, ex FROM d WHERE n > 0 OR xn > 0" : $"""
            SELECT to_char(b, 'YYYY-MM-DD') AS key, to_char(b, '{(unit == "week" ? "IYYY-\"W\"IW" : unit == "month" ? "YYYY-MM" : "YYYY-MM-DD")}') AS label,
                   coalesce(d.r, 0) AS r, coalesce(d.c, 0) AS c, coalesce(d.f, 0) AS f, coalesce(d.gp, 0) AS gp, coalesce(d.np, 0) AS np, coalesce(d.ex, 0) AS ex
              FROM generate_series(date_trunc('{unit}', DATE '{D(from)}'::timestamp), DATE '{D(to)}'::timestamp, interval '1 {unit}') AS b
              LEFT JOIN d ON d.key = to_char(b, 'YYYY-MM-DD')
            """;
        // By period the JSON has no key and the bucket's first day; otherwise a key and no bucket.
        var (keyOut, bucketOut) = by == "period" ? ("'-'", "key") : ("key", "'-'");
        return $"""
            WITH s AS (
                SELECT o.shop_id, o.order_date AS day,
                       CASE WHEN dw.is_valid_sale(o.status) THEN o.gmv_cny ELSE 0 END AS r,
                       CASE WHEN dw.is_valid_sale(o.status) THEN o.cost_amount_cny ELSE 0 END AS c,
                       CASE WHEN dw.is_valid_sale(o.status) THEN o.fees_cny ELSE 0 END AS f,
                       CASE WHEN dw.is_valid_sale(o.status) THEN o.gross_profit_cny ELSE 0 END AS gp,
                       CASE WHEN dw.is_valid_sale(o.status) THEN o.net_profit_cny ELSE 0 END AS np, 0::numeric AS ex,
                       CASE WHEN dw.is_valid_sale(o.status) THEN 1 ELSE 0 END AS n, 0 AS xn
                  FROM dw.fact_sales_orders AS o
                 WHERE o.merchant_id = {merchant} AND o.order_date BETWEEN DATE '{D(from)}' AND DATE '{D(to)}'
                UNION ALL
                SELECT e.shop_id, e.expense_date, 0, 0, 0, 0, 0, e.amount_cny, 0, 1
                  FROM dw.fact_expenses AS e
                 WHERE e.merchant_id = {merchant} AND e.order_id IS NULL AND e.expense_date BETWEEN DATE '{D(from)}' AND DATE '{D(to)}'),
            l AS (SELECT s.*, sh.shop_name, p.platform_code FROM s
                    LEFT JOIN dw.dim_shops AS sh ON sh.merchant_id = {merchant} AND sh.shop_id = s.shop_id
                    LEFT JOIN dw.dim_platforms AS p ON p.platform_id = sh.platform_id),
            d AS (SELECT {key} AS key, {label} AS label, sum(r) AS r, sum(c) AS c, sum(f) AS f, sum(gp) AS gp, sum(np) AS np, sum(ex) AS ex,
                         sum(n) AS n, sum(xn) AS xn
                    FROM l GROUP BY 1, 2),
            g AS ({groups}),
            t AS (SELECT 'total' AS key, 'Total' AS label, coalesce(sum(r), 0) AS r, coalesce(sum(c), 0) AS c, coalesce(sum(f), 0) AS f,
                         coalesce(sum(gp), 0) AS gp, coalesce(sum(np), 0) AS np, coalesce(sum(ex), 0) AS ex FROM g)
            SELECT coalesce((SELECT string_agg(concat_ws('|', {keyOut}, {bucketOut}, label, {Measures}), ',' ORDER BY {order}) FROM g), '')
                   || '/' || (SELECT concat_ws('|', key, '-', label, {Measures}) FROM t)
            """;
    }

    private static string Json(JsonElement data) =>
        Rows(data.GetProperty("rows").GetProperty("items"), Fields) + "/" + Rows(JsonDocument.Parse("[" + data.GetProperty("totals").GetRawText() + "]").RootElement, Fields);

    /// <summary>Windows that start and end inside a month and a week, so whole months and weeks come from their views and the edges from days.</summary>
    [Theory]
    [InlineData("shop", "month", 100, 3)]
    [InlineData("platform", "month", 75, 0)]
    [InlineData("period", "month", 130, 5)]
    [InlineData("period", "week", 60, 2)]
    [InlineData("period", "day", 12, 0)]
    [InlineData("shop", "month", 0, 4)]
    public async Task Profit_json_equals_the_same_question_asked_of_the_orders_and_expenses(string by, string grain, int daysBack, int endBack)
    {
        var to = Yesterday.AddDays(-endBack);
        var from = to.AddDays(-daysBack);

        var data = await seeded.DataAsync("profit", "--merchant", "1", "--from", D(from), "--to", D(to), "--by", by, "--grain", grain, "--page-size", "500");

        Assert.True(data.GetProperty("rows").GetProperty("total").GetInt64() > 0);
        Assert.Equal(await seeded.Db.ScalarAsync<string>(FactsSql(1, from, to, by, grain)), Json(data));
        if (by != "period")
        {
            // Shared expenses (no shop) are the row keyed "shared", never an empty key, and the rows add up to the totals.
            var rows = data.GetProperty("rows").GetProperty("items").EnumerateArray().ToList();
            Assert.DoesNotContain(rows, r => r.GetProperty("key").GetString() == "");
            // A one-day window may hold no shared expense (the seed books them on some days): then there is no such row.
            var sharedExpenses = await seeded.Db.ScalarAsync<decimal?>($"SELECT sum(amount_cny) FROM dw.fact_expenses WHERE merchant_id = 1 AND shop_id IS NULL AND order_id IS NULL AND expense_date BETWEEN DATE '{D(from)}' AND DATE '{D(to)}'");
            if (sharedExpenses is null)
            {
                Assert.DoesNotContain(rows, r => r.GetProperty("key").GetString() == "shared");
            }
            else
            {
                var shared = Assert.Single(rows, r => r.GetProperty("key").GetString() == "shared");
                Assert.Equal(sharedExpenses.Value, shared.GetProperty("expenses").GetDecimal());
            }
            var totals = data.GetProperty("totals");
            foreach (var field in new[] { "revenue", "expenses", "operatingProfit" })
            {
                Assert.Equal(totals.GetProperty(field).GetDecimal(), rows.Sum(r => r.GetProperty(field).GetDecimal()));
            }
        }
    }

    [Fact]
    public async Task Whole_months_are_read_from_the_profit_view_and_agree_with_it()
    {
        var to = new DateOnly(Yesterday.Year, Yesterday.Month, 1).AddDays(-1);
        var from = new DateOnly(to.Year, to.Month, 1).AddMonths(-1);

        var data = await seeded.DataAsync("profit", "--merchant", "1", "--from", D(from), "--to", D(to), "--by", "period", "--grain", "month");

        var expected = await seeded.Db.ScalarAsync<string>($"""
            SELECT string_agg(concat_ws('|', month_start, {S("r")}, {S("gp")}), ',' ORDER BY month_start)
              FROM (SELECT month_start, sum(gmv_cny) AS r, sum(gross_profit_cny) AS gp FROM mart.mv_profit_analysis
                     WHERE merchant_id = 1 AND month_start BETWEEN DATE '{D(from)}' AND DATE '{D(to)}' GROUP BY month_start) AS m
            """);
        Assert.Equal(expected,
            string.Join(",", data.GetProperty("rows").GetProperty("items").EnumerateArray().Select(r => $"{V(r.GetProperty("bucket"))}|{V(r.GetProperty("revenue"))}|{V(r.GetProperty("grossProfit"))}")));
        Assert.Equal(await seeded.Db.ScalarAsync<string>(FactsSql(1, from, to, "period", "month")), Json(data));
    }

    [Fact]
    public async Task By_product_pages_line_profit_and_counts_every_product()
    {
        var to = Yesterday;
        var from = to.AddDays(-40);

        var data = await seeded.DataAsync("profit", "--merchant", "2", "--from", D(from), "--to", D(to), "--by", "product", "--page-size", "5", "--page", "2");

        var expected = await seeded.Db.ScalarAsync<string>($"""
            WITH g AS (
                SELECT it.product_id::text AS key, max(p.sku) || ' ' || max(p.product_name) AS label,
                       sum(round(it.amount * o.exchange_rate, 2)) AS r, sum(it.cost_amount) AS c
                  FROM dw.fact_order_items AS it
                  JOIN dw.fact_sales_orders AS o ON o.merchant_id = it.merchant_id AND o.order_id = it.order_id AND o.order_date = it.order_date
                  JOIN dw.dim_products AS p ON p.merchant_id = it.merchant_id AND p.product_id = it.product_id
                 WHERE it.merchant_id = 2 AND dw.is_valid_sale(o.status) AND it.order_date BETWEEN DATE '{D(from)}' AND DATE '{D(to)}'
                 GROUP BY 1),
            pg AS (SELECT * FROM g ORDER BY round(r, 2) DESC, key LIMIT 5 OFFSET 5)
            SELECT (SELECT count(*) FROM g) || '#' || string_agg(concat_ws('|', key, '-', label, {S("round(r, 2)")}, {S("round(c, 2)")}, '-', {S("round(r - c, 2)")}, '-',
                       {S("round(round(r - c, 2) / nullif(round(r, 2), 0), 6)")}, '-', '-', '-', '-'), ',' ORDER BY round(r, 2) DESC, key)
              FROM pg
            """);
        Assert.Equal(expected, data.GetProperty("rows").GetProperty("total").GetInt64() + "#" + Rows(data.GetProperty("rows").GetProperty("items"), Fields));
        var table = await Cli.CliRun.RunAsync("profit", "--merchant", "2", "--from", D(from), "--to", D(to), "--by", "product", "--format", "table", "--connection", seeded.Db.ConnectionString);
        Assert.Contains("the last row is the total of the orders: rows are order lines", string.Join(' ', table.Output.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Campaigns_overlapping_the_period_carry_the_roi_of_the_campaign_results()
    {
        var data = await seeded.DataAsync("profit", "--merchant", "1", "--from", D(Yesterday.AddDays(-149)), "--to", D(Yesterday));

        var expected = await seeded.Db.ScalarAsync<string>($"""
            SELECT coalesce(string_agg(concat_ws('|', campaign_id, {S("roi")}), ',' ORDER BY start_date, campaign_id), '')
              FROM mart.campaign_results WHERE merchant_id = 1 AND start_date <= DATE '{D(Yesterday)}' AND end_date >= DATE '{D(Yesterday.AddDays(-149))}'
            """);
        Assert.Equal(expected, Rows(data.GetProperty("campaigns"), "campaignId", "roi"));
        // The seeded festival campaigns of the period too, the one long before it not.
        var codes = data.GetProperty("campaigns").EnumerateArray().Select(c => c.GetProperty("code").GetString()).ToList();
        Assert.Contains("recent", codes);
        Assert.DoesNotContain("old", codes);
        Assert.All(data.GetProperty("campaigns").EnumerateArray(), c => Assert.NotEqual(JsonValueKind.Null, c.GetProperty("roi").ValueKind));
    }

    [Fact]
    public async Task An_empty_period_has_its_buckets_at_zero_and_zero_totals_without_margins()
    {
        var data = await seeded.DataAsync("profit", "--merchant", "1", "--from", "2005-03-01", "--to", "2005-03-31", "--by", "period");

        // By period every month of the period is a row, at 0 without margins.
        Assert.Equal(1, data.GetProperty("rows").GetProperty("total").GetInt64());
        var month = data.GetProperty("rows").GetProperty("items")[0];
        Assert.Equal(("2005-03-01", 0m, JsonValueKind.Null), (month.GetProperty("bucket").GetString(), month.GetProperty("revenue").GetDecimal(), month.GetProperty("grossMargin").ValueKind));
        Assert.Equal(0m, data.GetProperty("totals").GetProperty("revenue").GetDecimal());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("totals").GetProperty("grossMargin").ValueKind);
        Assert.Equal(0, data.GetProperty("campaigns").GetArrayLength());
    }

    [Fact]
    public async Task A_reader_of_merchant_A_gets_none_of_Bs_rows()
    {
        await using var reader = await TestLogin.CreateAsync(seeded.Db, "erp_reader");
        await seeded.Db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 1)");
        var erp = new ErpDatabase(reader.DataSource);
        var period = new Period(Yesterday.AddDays(-100), Yesterday);

        var own = await erp.Queries.ProfitAsync(new ProfitQuery { MerchantId = 1, Period = period });
        var other = await erp.Queries.ProfitAsync(new ProfitQuery { MerchantId = 2, Period = period });
        var otherProducts = await erp.Queries.ProfitAsync(new ProfitQuery { MerchantId = 2, Period = period, By = ProfitGrouping.Product });

        Assert.NotEmpty(own.Data.Rows.Items);
        Assert.True(own.Data.Totals.Expenses > 0);
        Assert.Empty(other.Data.Rows.Items);
        Assert.Equal(0m, other.Data.Totals.Revenue);
        Assert.Equal(0m, other.Data.Totals.Expenses);
        Assert.Empty(other.Data.Campaigns);
        Assert.Equal(0, otherProducts.Data.Rows.Total);
    }

    [Theory]
    [InlineData("--by", "customer")]
    [InlineData("--by", "3")]
    [InlineData("--grain", "quarter")]
    [InlineData("--page-size", "0")]
    public async Task Bad_input_exits_2_with_a_validation_error(params string[] args)
    {
        var run = await Cli.CliRun.RunAsync(["profit", .. args, "--merchant", "1", "--format", "json", "--connection", seeded.Db.ConnectionString]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("VALIDATION_ERROR", run.Json().GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_shop_breakdown_of_sales_has_profit_and_margins()
    {
        var to = Yesterday.AddDays(-2);
        var from = to.AddDays(-20);

        var data = await seeded.DataAsync("sales", "--merchant", "1", "--start", D(from), "--end", D(to), "--group-by", "shop");

        var expected = await seeded.Db.ScalarAsync<string>($"""
            SELECT string_agg(concat_ws('|', shop_id, {S("r")}, {S("gp")}, {S("np")}, {S("round(gp / nullif(r, 0), 6)")}, {S("round(np / nullif(r, 0), 6)")}), ',' ORDER BY r DESC, shop_id::text)
              FROM (SELECT shop_id, sum(gmv_cny) AS r, sum(gross_profit_cny) AS gp, sum(net_profit_cny) AS np
                      FROM dw.fact_sales_orders WHERE merchant_id = 1 AND dw.is_valid_sale(status) AND order_date BETWEEN DATE '{D(from)}' AND DATE '{D(to)}'
                     GROUP BY shop_id) AS s
            """);
        Assert.Equal(expected, Rows(data.GetProperty("breakdown"), "key", "revenue", "grossProfit", "netProfit", "grossMargin", "netMargin"));
    }
}
