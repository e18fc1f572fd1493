using Erp.Db.Queries;
using Erp.Db.Queries.Trends;
using Erp.Db.Queries.Users;
using Erp.Db.Tests.Infrastructure;
using static Erp.Db.Tests.Metrics.SeededMetrics;

namespace Erp.Db.Tests.Metrics;

[Collection(SharesSeededMetrics.Name)]
public class UsersCommandTests(SeededMetrics seeded)
{
    private static readonly string[] BucketFields =
        ["bucket", "firstDay", "lastDay", "dau", "mau", "newUsers", "returningUsers", "payingUsers", "avgSessionSeconds",
         "retentionD1", "retentionD7", "retentionD30", "revenue", "arpu", "arppu"];

    /// <summary>The same question asked of the facts: per bucket [from, to] touches, with or without activity or orders.</summary>
    private static string FactsSql(long merchant, DateOnly from, DateOnly to, string unit) => $"""
        WITH act AS (SELECT * FROM dw.fact_user_activity WHERE merchant_id = {merchant}),
        rev AS (SELECT order_date AS day, gmv_cny, status FROM dw.fact_sales_orders WHERE merchant_id = {merchant}),
        b AS (SELECT g::date AS bucket, greatest(g::date, DATE '{D(from)}') AS f, least((g + interval '1 {unit}')::date - 1, DATE '{D(to)}') AS l
                FROM generate_series(date_trunc('{unit}', DATE '{D(from)}'::timestamp), DATE '{D(to)}'::timestamp, interval '1 {unit}') AS g),
        x AS (
            SELECT b.*,
                   (SELECT coalesce(sum(active_users), 0) FROM act WHERE activity_date BETWEEN b.f AND b.l) AS au,
                   (SELECT coalesce(sum(paying_users), 0) FROM act WHERE activity_date BETWEEN b.f AND b.l) AS pu,
                   (SELECT coalesce(sum(gmv_cny), 0) FROM rev WHERE day BETWEEN b.f AND b.l AND dw.is_valid_sale(status)) AS revenue
              FROM b)
        SELECT coalesce(string_agg(concat_ws('|', x.bucket, x.f, x.l,
                   {S("round(x.au::numeric / (x.l - x.f + 1), 2)")},
                   {S("(SELECT coalesce(sum(new_users), 0) FROM act WHERE activity_date BETWEEN x.l - 29 AND x.l) + (SELECT coalesce(sum(returning_users), 0) FROM act WHERE activity_date = x.l - 29)")},
                   {S("(SELECT coalesce(sum(new_users), 0) FROM act WHERE activity_date BETWEEN x.f AND x.l)")},
                   {S("(SELECT coalesce(sum(returning_users), 0) FROM act WHERE activity_date BETWEEN x.f AND x.l)")},
                   {S("x.pu")},
                   {S("(SELECT round(sum(avg_session_seconds * sessions) / nullif(sum(sessions) FILTER (WHERE avg_session_seconds IS NOT NULL), 0), 2) FROM act WHERE activity_date BETWEEN x.f AND x.l)")},
                   {S("(SELECT round(sum(retention_d1 * new_users) / nullif(sum(new_users), 0), 6) FROM act WHERE activity_date BETWEEN x.f AND x.l AND retention_d1 IS NOT NULL AND activity_date + 1 < CURRENT_DATE)")},
                   {S("(SELECT round(sum(retention_d7 * new_users) / nullif(sum(new_users), 0), 6) FROM act WHERE activity_date BETWEEN x.f AND x.l AND retention_d7 IS NOT NULL AND activity_date + 7 < CURRENT_DATE)")},
                   {S("(SELECT round(sum(retention_d30 * new_users) / nullif(sum(new_users), 0), 6) FROM act WHERE activity_date BETWEEN x.f AND x.l AND retention_d30 IS NOT NULL AND activity_date + 30 < CURRENT_DATE)")},
                   {S("x.revenue")}, {S("round(x.revenue / nullif(x.au, 0), 4)")}, {S("round(x.revenue / nullif(x.pu, 0), 4)")}),
                   ',' ORDER BY x.bucket), '')
          FROM x
        """;

    private static string CohortSql(long merchant, DateOnly from, DateOnly to) => $"""
        WITH v AS (SELECT customer_id, order_date, gmv_cny FROM dw.fact_sales_orders
                    WHERE merchant_id = {merchant} AND dw.is_valid_sale(status) AND customer_id IS NOT NULL),
        f AS (SELECT customer_id, min(order_date) AS first FROM v GROUP BY 1),
        c AS (SELECT date_trunc('month', f.first)::date AS month, count(DISTINCT f.customer_id) AS n,
                     coalesce(sum(v.gmv_cny) FILTER (WHERE v.order_date < f.first + 30), 0) AS r30,
                     coalesce(sum(v.gmv_cny) FILTER (WHERE v.order_date < f.first + 90), 0) AS r90,
                     coalesce(sum(v.gmv_cny) FILTER (WHERE v.order_date < f.first + 365), 0) AS r365
                FROM f JOIN v USING (customer_id) GROUP BY 1)
        SELECT coalesce(string_agg(concat_ws('|', month, n,
                   {S("CASE WHEN (month + interval '1 month')::date - 1 + 30 <= CURRENT_DATE THEN round(r30 / n, 2) END")},
                   {S("CASE WHEN (month + interval '1 month')::date - 1 + 90 <= CURRENT_DATE THEN round(r90 / n, 2) END")},
                   {S("CASE WHEN (month + interval '1 month')::date - 1 + 365 <= CURRENT_DATE THEN round(r365 / n, 2) END")}),
                   ',' ORDER BY month), '')
          FROM c WHERE month BETWEEN date_trunc('month', DATE '{D(from)}') AND DATE '{D(to)}'
        """;

    [Theory]
    [InlineData("day", 40, 0)]
    [InlineData("week", 100, 3)]
    [InlineData("month", 149, 0)]
    [InlineData("day", 0, 5)]
    public async Task Users_json_equals_the_same_question_asked_of_the_facts(string grain, int daysBack, int endBack)
    {
        var to = Yesterday.AddDays(-endBack);
        var from = to.AddDays(-daysBack);

        var data = await seeded.DataAsync("users", "--merchant", "1", "--from", D(from), "--to", D(to), "--grain", grain);

        Assert.Equal(D(from), data.GetProperty("period").GetProperty("start").GetString());
        Assert.Equal(grain, data.GetProperty("grain").GetString());
        var buckets = data.GetProperty("buckets");
        Assert.True(buckets.GetArrayLength() > 0);
        Assert.Equal(await seeded.Db.ScalarAsync<string>(FactsSql(1, from, to, grain)), Rows(buckets, BucketFields));
        Assert.Equal(await seeded.Db.ScalarAsync<string>(CohortSql(1, from, to)), Rows(data.GetProperty("cohorts"), "cohortMonth", "customers", "ltv30", "ltv90", "ltv365"));
    }

    [Fact]
    public async Task The_days_not_yet_past_have_no_retention_and_recent_cohorts_no_ltv()
    {
        var data = await seeded.DataAsync("users", "--merchant", "1", "--days", "10", "--to", D(Yesterday));

        var last = data.GetProperty("buckets").EnumerateArray().Last();
        Assert.Equal(D(Yesterday), last.GetProperty("bucket").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, last.GetProperty("retentionD1").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, last.GetProperty("retentionD7").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, data.GetProperty("cohorts").EnumerateArray().Last().GetProperty("ltv30").ValueKind);
        Assert.True(last.GetProperty("dau").GetDecimal() > 0);
    }

    [Fact]
    public async Task An_empty_period_has_its_buckets_at_zero_and_no_cohorts()
    {
        var data = await seeded.DataAsync("users", "--merchant", "1", "--from", "2005-01-01", "--to", "2005-03-31", "--grain", "month");

        // Every month of the period, without activity: counts 0, ratios null.
        Assert.Equal(["2005-01-01", "2005-02-01", "2005-03-01"], data.GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty("bucket").GetString()));
        Assert.All(data.GetProperty("buckets").EnumerateArray(), b => Assert.Equal(("0", "0", "0", "-"), (V(b.GetProperty("dau")), V(b.GetProperty("mau")), V(b.GetProperty("revenue")), V(b.GetProperty("arpu")))));
        Assert.Equal(0, data.GetProperty("cohorts").GetArrayLength());
    }

    [Fact]
    public async Task A_reader_of_merchant_A_gets_none_of_Bs_rows()
    {
        await using var reader = await TestLogin.CreateAsync(seeded.Db, "erp_reader");
        await seeded.Db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 1)");
        var erp = new ErpDatabase(reader.DataSource);
        var period = new Period(Yesterday.AddDays(-60), Yesterday);

        var own = await erp.Queries.UsersAsync(new UserQuery { MerchantId = 1, Period = period, Grain = Granularity.Week });
        var other = await erp.Queries.UsersAsync(new UserQuery { MerchantId = 2, Period = period, Grain = Granularity.Week });

        Assert.NotEmpty(own.Data.Buckets);
        Assert.NotEmpty(own.Data.Cohorts);
        // Every week of the period, none with anything of merchant B.
        Assert.Equal(own.Data.Buckets.Select(b => b.Bucket), other.Data.Buckets.Select(b => b.Bucket));
        Assert.All(other.Data.Buckets, b => Assert.Equal((0m, 0L, 0L, 0m), (b.Dau, b.Mau, b.NewUsers, b.Revenue)));
        Assert.Empty(other.Data.Cohorts);
        Assert.Contains(own.Freshness, v => v.View == "mart.mv_user_activity_daily");
        Assert.Equal(0L, await seeded.Db.ScalarAsync<long>("SELECT count(*) FROM ops.merchant_isolation_problems()"));
    }

    [Theory]
    [InlineData("--grain", "year")]
    [InlineData("--grain", "1")]
    [InlineData("--from", "2026-02-30")]
    public async Task Bad_input_exits_2_with_a_validation_error(params string[] args)
    {
        var run = await Cli.CliRun.RunAsync(["users", .. args, "--merchant", "1", "--format", "json", "--connection", seeded.Db.ConnectionString]);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("VALIDATION_ERROR", run.Json().GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Help_states_each_definition_from_the_query_file()
    {
        var run = await Cli.CliRun.RunAsync("users", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var term in new[] { "dau", "mau", "retention_d1/d7/d30", "arpu", "arppu", "ltv_30/90/365", "lower bound" })
        {
            Assert.Contains(term, run.Output, StringComparison.Ordinal);
        }
        Assert.Contains("lower bound", MetricDefinitions.Users, StringComparison.Ordinal);
        Assert.DoesNotContain("reads:", MetricDefinitions.Users, StringComparison.Ordinal);
    }
}
