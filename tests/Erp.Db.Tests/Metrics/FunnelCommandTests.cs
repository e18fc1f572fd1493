using Erp.Db.Queries;
using Erp.Db.Queries.Funnel;
using Erp.Db.Queries.Trends;
using Erp.Db.Tests.Infrastructure;
using static Erp.Db.Tests.Metrics.SeededMetrics;

namespace Erp.Db.Tests.Metrics;

[Collection(SharesSeededMetrics.Name)]
public class FunnelCommandTests(SeededMetrics seeded)
{
    private static readonly string[] Fields =
        ["key", "bucket", "label", "visitors", "uniqueVisitors", "addToCart", "checkout", "orders", "visitorToCartRate", "cartToCheckoutRate", "checkoutToOrderRate", "conversionRate"];

    private static string Measures => string.Join(", ",
        S("v"), S("uv"), S("c"), S("ch"), S("o"),
        S("round(c::numeric / nullif(v, 0), 6)"), S("round(ch::numeric / nullif(c, 0), 6)"),
        S("round(o::numeric / nullif(ch, 0), 6)"), S("round(o::numeric / nullif(v, 0), 6)"));

    /// <summary>The same question asked of the facts: the rows, then the totals.</summary>
    private static string FactsSql(long merchant, DateOnly from, DateOnly to, string by, string unit)
    {
        var key = by switch
        {
            "shop" => "f.shop_id::text",
            "platform" => "p.platform_code",
            _ => $"date_trunc('{unit}', f.traffic_date)::date::text",
        };
        var label = by switch
        {
            "shop" => "s.shop_name || ' (' || p.platform_code || ')'",
            "platform" => "p.platform_code",
            _ => $"to_char(date_trunc('{unit}', f.traffic_date), '{(unit == "week" ? "IYYY-\"W\"IW" : unit == "month" ? "YYYY-MM" : "YYYY-MM-DD")}')",
        };
        var order = by == "period" ? "key" : "v DESC, key";
        // By period every bucket the period touches is a row, one without traffic at 0; shops and platforms only with traffic.
        var groups = by != "period" ? "SELECT * FROM d" : $"""
            SELECT to_char(b, 'YYYY-MM-DD') AS key, to_char(b, '{(unit == "week" ? "IYYY-\"W\"IW" : unit == "month" ? "YYYY-MM" : "YYYY-MM-DD")}') AS label,
                   coalesce(d.v, 0) AS v, coalesce(d.uv, 0) AS uv, coalesce(d.c, 0) AS c, coalesce(d.ch, 0) AS ch, coalesce(d.o, 0) AS o
              FROM generate_series(date_trunc('{unit}', DATE '{D(from)}'::timestamp), DATE '{D(to)}'::timestamp, interval '1 {unit}') AS b
              LEFT JOIN d ON d.key = to_char(b, 'YYYY-MM-DD')
            """;
        // By period the JSON has no key and the bucket's first day; otherwise a key and no bucket.
        var (keyOut, bucketOut) = by == "period" ? ("'-'", "key") : ("key", "'-'");
        return $"""
            WITH d AS (
                SELECT {key} AS key, {label} AS label, sum(f.visitors) AS v, sum(f.unique_visitors) AS uv, sum(f.add_to_cart) AS c,
                       sum(f.checkout) AS ch, sum(f.orders) AS o
                  FROM dw.fact_traffic_funnel AS f
                  JOIN dw.dim_shops AS s ON s.merchant_id = f.merchant_id AND s.shop_id = f.shop_id
                  JOIN dw.dim_platforms AS p ON p.platform_id = s.platform_id
                 WHERE f.merchant_id = {merchant} AND f.traffic_date BETWEEN DATE '{D(from)}' AND DATE '{D(to)}'
                 GROUP BY 1, 2),
            g AS ({groups}),
            t AS (SELECT 'total' AS key, 'Total' AS label, coalesce(sum(v), 0) AS v, coalesce(sum(uv), 0) AS uv, coalesce(sum(c), 0) AS c,
                         coalesce(sum(ch), 0) AS ch, coalesce(sum(o), 0) AS o FROM g)
            SELECT coalesce((SELECT string_agg(concat_ws('|', {keyOut}, {bucketOut}, label, {Measures}), ',' ORDER BY {order}) FROM g), '')
                   || '/' || (SELECT concat_ws('|', key, '-', label, {Measures}) FROM t)
            """;
    }

    [Theory]
    [InlineData("period", "day", 20, 0)]
    [InlineData("period", "week", 70, 2)]
    [InlineData("period", "month", 120, 0)]
    [InlineData("shop", "day", 45, 1)]
    [InlineData("platform", "day", 45, 0)]
    [InlineData("shop", "day", 0, 7)]
    public async Task Funnel_json_equals_the_same_question_asked_of_the_facts(string by, string grain, int daysBack, int endBack)
    {
        var to = Yesterday.AddDays(-endBack);
        var from = to.AddDays(-daysBack);

        var data = await seeded.DataAsync("funnel", "--merchant", "2", "--from", D(from), "--to", D(to), "--by", by, "--grain", grain);

        Assert.True(data.GetProperty("rows").GetProperty("items").GetArrayLength() > 0);
        Assert.Equal(await seeded.Db.ScalarAsync<string>(FactsSql(2, from, to, by, grain)),
            Rows(data.GetProperty("rows").GetProperty("items"), Fields) + "/" + Rows(System.Text.Json.JsonDocument.Parse("[" + data.GetProperty("totals").GetRawText() + "]").RootElement, Fields));
    }

    [Fact]
    public async Task Rows_are_a_page_as_profits_are_and_the_totals_stay_the_whole_periods()
    {
        var to = Yesterday;
        var from = to.AddDays(-20);
        string[] common = ["--merchant", "2", "--from", D(from), "--to", D(to), "--by", "period", "--grain", "day"];

        var all = await seeded.DataAsync(["funnel", .. common]);
        var second = await seeded.DataAsync(["funnel", .. common, "--page", "2", "--page-size", "5"]);
        var profit = await seeded.DataAsync(["profit", .. common, "--page", "2", "--page-size", "5"]);

        // Every day of the period is a row, with traffic or not.
        long days = to.DayNumber - from.DayNumber + 1;

        // The same page object as profit's (items, total, page, pageSize, pages); the page is the rows' 6th to 10th.
        Assert.Equal(Names(profit.GetProperty("rows")), Names(second.GetProperty("rows")));
        var page = second.GetProperty("rows");
        Assert.True(days > 10);
        Assert.Equal((days, 2, 5, (days + 4) / 5), (page.GetProperty("total").GetInt64(), page.GetProperty("page").GetInt32(),
            page.GetProperty("pageSize").GetInt32(), page.GetProperty("pages").GetInt64()));
        Assert.Equal(all.GetProperty("rows").GetProperty("items").EnumerateArray().Skip(5).Take(5).Select(r => r.GetProperty("bucket").GetString()),
            second.GetProperty("rows").GetProperty("items").EnumerateArray().Select(r => r.GetProperty("bucket").GetString()));
        Assert.Equal(all.GetProperty("totals").GetRawText(), second.GetProperty("totals").GetRawText());

        static string[] Names(System.Text.Json.JsonElement page) => [.. page.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task An_empty_period_has_no_rows_and_zero_totals_without_rates()
    {
        var data = await seeded.DataAsync("funnel", "--merchant", "1", "--from", "2005-01-01", "--to", "2005-01-31", "--by", "shop");

        Assert.Equal(0, data.GetProperty("rows").GetProperty("items").GetArrayLength());
        Assert.Equal(0, data.GetProperty("rows").GetProperty("total").GetInt64());
        Assert.Equal(0, data.GetProperty("totals").GetProperty("visitors").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, data.GetProperty("totals").GetProperty("conversionRate").ValueKind);
    }

    [Fact]
    public async Task A_reader_of_merchant_A_gets_none_of_Bs_rows()
    {
        await using var reader = await TestLogin.CreateAsync(seeded.Db, "erp_reader");
        await seeded.Db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 1)");
        var erp = new ErpDatabase(reader.DataSource);
        var period = new Period(Yesterday.AddDays(-30), Yesterday);

        var own = await erp.Queries.FunnelAsync(new FunnelQuery { MerchantId = 1, Period = period, Grain = Granularity.Day, By = FunnelGrouping.Shop });
        var other = await erp.Queries.FunnelAsync(new FunnelQuery { MerchantId = 2, Period = period, Grain = Granularity.Day, By = FunnelGrouping.Shop });

        Assert.NotEmpty(own.Data.Rows.Items);
        Assert.Empty(other.Data.Rows.Items);
        Assert.Equal(0, other.Data.Totals.Visitors);
        Assert.Equal(0L, await reader.ScalarAsync<long>("SELECT count(*) FROM mart.traffic_funnel_daily WHERE merchant_id = 2"));
        Assert.True(await reader.ScalarAsync<long>("SELECT count(*) FROM mart.traffic_funnel_daily") > 0);
    }

    [Theory]
    [InlineData("--by", "category")]
    [InlineData("--by", "shop; DROP TABLE dw.fact_traffic_funnel")]
    [InlineData("--grain", "hour")]
    public async Task Bad_input_exits_2_with_a_validation_error(params string[] args)
    {
        var run = await Cli.CliRun.RunAsync(["funnel", .. args, "--merchant", "1", "--format", "json", "--connection", seeded.Db.ConnectionString]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("VALIDATION_ERROR", run.Json().GetProperty("error").GetProperty("code").GetString());
    }
}
