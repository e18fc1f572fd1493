using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Views;
using Npgsql;

namespace Erp.Db.Tests.Queries;

/// <summary>
/// mart.period_buckets, the one definition of the buckets of the time-series queries and of their names: the buckets at the
/// year's and the months' edges, the same weeks and months as the mart views, callable by readers, inlined, and no other unit.
/// </summary>
public class PeriodBucketsTests
{
    /// <summary>The buckets of a period as one text: "bucket key label first_day last_day; ...".</summary>
    private static string Buckets(string unit, string start, string end) => $"""
        SELECT coalesce(string_agg(concat_ws(' ', bucket, key, label, first_day, last_day), '; ' ORDER BY bucket), '')
          FROM mart.period_buckets('{unit}', '{start}', '{end}')
        """;

    [Fact]
    public async Task Weeks_across_a_year_end_are_iso_weeks_named_by_their_iso_year_and_cut_to_the_period()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();

        // 2020 has an ISO week 53 that ends on 2021-01-03; 2024-12-30 starts ISO week 1 of 2025.
        Assert.Equal(
            "2020-12-28 2020-12-28 2020-W53 2020-12-31 2021-01-03; "
            + "2021-01-04 2021-01-04 2021-W01 2021-01-04 2021-01-10; "
            + "2021-01-11 2021-01-11 2021-W02 2021-01-11 2021-01-11",
            await db.ScalarAsync<string>(Buckets("week", "2020-12-31", "2021-01-11")));
        Assert.Equal(
            "2024-12-23 2024-12-23 2024-W52 2024-12-29 2024-12-29; 2024-12-30 2024-12-30 2025-W01 2024-12-30 2025-01-01",
            await db.ScalarAsync<string>(Buckets("week", "2024-12-29", "2025-01-01")));
    }

    [Fact]
    public async Task Months_and_days_are_named_by_their_first_day_and_cut_to_the_period()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();

        Assert.Equal(
            "2023-12-01 2023-12-01 2023-12 2023-12-31 2023-12-31; "
            + "2024-01-01 2024-01-01 2024-01 2024-01-01 2024-01-31; "
            + "2024-02-01 2024-02-01 2024-02 2024-02-01 2024-02-29; "
            + "2024-03-01 2024-03-01 2024-03 2024-03-01 2024-03-01",
            await db.ScalarAsync<string>(Buckets("month", "2023-12-31", "2024-03-01")));
        Assert.Equal(
            "2024-02-28 2024-02-28 2024-02-28 2024-02-28 2024-02-28; "
            + "2024-02-29 2024-02-29 2024-02-29 2024-02-29 2024-02-29; "
            + "2024-03-01 2024-03-01 2024-03-01 2024-03-01 2024-03-01",
            await db.ScalarAsync<string>(Buckets("day", "2024-02-28", "2024-03-01")));
        // A period that ends before it starts has no days, so no buckets.
        Assert.Equal("", await db.ScalarAsync<string>(Buckets("month", "2024-03-10", "2024-03-01")));
    }

    [Fact]
    public async Task Any_other_unit_is_refused_naming_the_units_it_takes()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();

        foreach (var unit in new[] { "hour", "year", "Week", "fortnight" })
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => db.ScalarAsync<string>(Buckets(unit, "2024-01-01", "2024-01-31")));
            Assert.Equal("22023", error.SqlState);
            Assert.Contains($"period unit '{unit.ToLowerInvariant()}' (lower case day, week or month)", error.MessageText, StringComparison.Ordinal);
        }
        var none = await Assert.ThrowsAsync<PostgresException>(() => db.ScalarAsync<long>("SELECT count(*) FROM mart.period_buckets(NULL, '2024-01-01', '2024-01-31')"));
        Assert.Equal("22023", none.SqlState);
    }

    [Theory]
    [InlineData("week", "mv_weekly_sales", "week_start")]
    [InlineData("month", "mv_monthly_sales", "month_start")]
    public async Task The_buckets_are_the_weeks_and_months_of_the_mart_views(string unit, string view, string key)
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);

        // Summing the daily view over each bucket's days gives the week or month view, row for row, under the same key.
        var sums = $"""
            SELECT d.merchant_id, d.shop_id, b.bucket, sum(d.gmv_cny) AS gmv_cny, sum(d.order_count) AS order_count
              FROM mart.mv_daily_sales AS d
              JOIN mart.period_buckets('{unit}', (SELECT min(sales_date) FROM mart.mv_daily_sales), (SELECT max(sales_date) FROM mart.mv_daily_sales)) AS b
                ON d.sales_date BETWEEN b.first_day AND b.last_day
             GROUP BY 1, 2, 3
            """;
        Assert.Equal(0L, await db.ScalarAsync<long>($"""
            SELECT count(*)
              FROM ({sums}) AS s
              FULL JOIN mart.{view} AS v ON (v.merchant_id, v.shop_id, v.{key}) = (s.merchant_id, s.shop_id, s.bucket)
             WHERE (s.gmv_cny, s.order_count) IS DISTINCT FROM (v.gmv_cny, v.order_count)
            """));
        Assert.True(await db.ScalarAsync<long>($"SELECT count(DISTINCT {key}) FROM mart.{view}") >= 2, $"the dataset spans two {unit}s at least");
    }

    [Fact]
    public async Task A_reader_may_call_it_the_isolation_check_accepts_it_and_the_planner_inlines_it()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");

        Assert.Equal(12L, await reader.ScalarAsync<long>("SELECT count(*) FROM mart.period_buckets('month', '2024-01-01', '2024-12-31')"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM ops.merchant_isolation_problems() WHERE object_name LIKE 'mart.period_buckets%'"));
        // Inlined: the plan scans generate_series itself, so the planner sees the buckets' expressions (no SET, STRICT or SECURITY DEFINER).
        var plan = await db.ScalarAsync<string>("EXPLAIN (VERBOSE, FORMAT JSON) SELECT * FROM mart.period_buckets('week', '2024-01-01', '2024-03-31')");
        Assert.Contains("\"Function Name\": \"generate_series\"", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("period_buckets", plan, StringComparison.Ordinal);
    }
}
