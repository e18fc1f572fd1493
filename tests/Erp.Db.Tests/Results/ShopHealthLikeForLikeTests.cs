using System.Globalization;
using CsCheck;
using Dapper;
using Erp.Db.Queries;
using Erp.Db.Queries.Sales;
using Erp.Db.Queries.Shops;
using Erp.Db.Tests.Cli;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Queries;

namespace Erp.Db.Tests.Results;

/// <summary>
/// The shop health of a day, week or month that includes today compares its sales with the same days of the period before, the
/// last of them (today's counterpart) only up to the time of day the result was computed, as sales and report do at query time
/// (docs/metrics.md, "Growth of a period that includes today"; docs/c-class-recompute.md). Expected figures are asked of
/// dw.fact_sales_orders by hour (<see cref="LikeForLikeGrowthTests.SoFarAsync"/>), not of the functions under test.
/// </summary>
public class ShopHealthLikeForLikeTests
{
    // LikeForLikeGrowthTests' orders (the 15 days to today, one at :30 of each hour), and as many for the 40 days before, so that
    // last month's same days have sales too; and a listing today, so that the shop is active today (and has a health row for each
    // running period) from midnight, before today's first order at 00:30.
    private static readonly string Setup = LikeForLikeGrowthTests.Setup.Replace("generate_series(0, 14)", "generate_series(0, 54)", StringComparison.Ordinal) + """
        INSERT INTO dw.dim_products (product_id, merchant_id, sku, product_name) VALUES (101, 1, 'SKU-101', 'Robot');
        INSERT INTO dw.fact_product_metrics (merchant_id, shop_id, product_id, metric_date, price, stock, listing_status)
        VALUES (1, 11, 101, CURRENT_DATE, 20, 5, 'active');
        SELECT ops.recompute_c_class('test');
        """;

    [Fact]
    public async Task Shops_of_a_running_period_compare_with_its_counterpart_up_to_the_time_of_day_of_the_run()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync(Setup);
        var erp = new ErpDatabase(db.DataSource);
        var today = await erp.TodayAsync();

        var before = await LocalNowAsync(db);
        await db.ExecuteAsync("SELECT ops.recompute_c_class('test')");
        var after = await LocalNowAsync(db);

        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var expected = new (ShopPeriod Period, DateOnly Start, DateOnly End)[]
        {
            (ShopPeriod.Day, today.AddDays(-1), today.AddDays(-1)),
            (ShopPeriod.Week, monday.AddDays(-7), today.AddDays(-7)),
            (ShopPeriod.Month, new DateOnly(today.Year, today.Month, 1).AddMonths(-1), today.AddMonths(-1)),
        };
        foreach (var (period, start, end) in expected)
        {
            var report = (await erp.Queries.ShopsAsync(new ShopQuery { MerchantId = 1, Period = period })).Data;
            var compared = report.ComparedTo!;
            Assert.Equal((start, end, end.DayNumber - start.DayNumber + 1), (compared.Start, compared.End, compared.Days));
            var through = compared.Through!.Value;
            Assert.Equal(end, DateOnly.FromDateTime(through));
            Assert.InRange(through.TimeOfDay, before.TimeOfDay, after.TimeOfDay);

            var shop = Assert.Single(report.Shops.Items);
            var previous = await LikeForLikeGrowthTests.WholeDaysAsync(db, start, end.AddDays(-1)) + await LikeForLikeGrowthTests.SoFarAsync(db, end, through);
            Assert.Equal(previous, shop.PreviousRevenue);
            Assert.Equal(await LikeForLikeGrowthTests.WholeDaysAsync(db, report.Start, today), shop.Revenue);
            // No growth while the counterpart has no sales yet (its orders are at half past each hour).
            var growth = await db.ScalarAsync<decimal?>(string.Create(CultureInfo.InvariantCulture, $"SELECT round(({shop.Revenue} - {previous}) / nullif({previous}, 0), 6)"));
            Assert.Equal(growth, shop.Components.SalesGrowth.Value);
            // The health score's growth component scores that growth (the default thresholds: no configuration).
            Assert.Equal(await db.ScalarAsync<decimal?>(string.Create(CultureInfo.InvariantCulture,
                    $"SELECT ops.health_component_score({growth?.ToString(CultureInfo.InvariantCulture) ?? "NULL"}, ops.shop_health_defaults() -> 'thresholds' -> 'sales_growth')")),
                shop.Components.SalesGrowth.Score);
            if (through.Hour < 23 && period == ShopPeriod.Day)
            {
                // Early in the day the whole of yesterday would have read as a fall.
                Assert.True(previous < await LikeForLikeGrowthTests.WholeDaysAsync(db, end, end));
            }
        }

        // A day before today compares whole days and says no cut.
        var yesterday = (await erp.Queries.ShopsAsync(new ShopQuery { MerchantId = 1, Period = ShopPeriod.Day, Date = today.AddDays(-1) })).Data;
        Assert.Null(yesterday.ComparedTo!.Through);
        Assert.Equal((today.AddDays(-2), today.AddDays(-2)), (yesterday.ComparedTo.Start, yesterday.ComparedTo.End));
        Assert.Equal(await LikeForLikeGrowthTests.WholeDaysAsync(db, today.AddDays(-2), today.AddDays(-2)), Assert.Single(yesterday.Shops.Items).PreviousRevenue);
    }

    [Fact]
    public async Task The_precomputed_comparison_and_the_query_cut_at_the_same_instant_agree()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync(Setup);
        var today = await new ErpDatabase(db.DataSource).TodayAsync();
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var first = new DateOnly(today.Year, today.Month, 1);

        // One transaction, so one now(): the C-class run and sales_totals.sql cut at the same instant.
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("SET LOCAL erp.merchant_id = '1'; SELECT ops.recompute_c_class('test')", transaction: transaction);
        foreach (var (kind, start, previousStart, previousEnd) in new[]
                 {
                     ("day", today, today.AddDays(-1), today.AddDays(-1)),
                     ("week", monday, monday.AddDays(-7), today.AddDays(-7)),
                     ("month", first, first.AddMonths(-1), today.AddMonths(-1)),
                 })
        {
            var stored = await connection.QuerySingleAsync<(decimal Previous, DateTime Through)>(
                "SELECT previous_gmv_cny, previous_through FROM mart.shop_health WHERE merchant_id = 1 AND period_type = @kind AND period_start = @start",
                new { kind, start = Sql.Date(start) }, transaction);
            var query = await connection.QuerySingleAsync<(decimal Previous, DateTime Through)>(
                $"SELECT q.previousrevenue, q.previousthrough FROM ({QuerySql.Text("sales_totals")}\n) AS q",
                new
                {
                    start = Sql.Date(start),
                    end = Sql.Date(today),
                    previous_start = Sql.Date(previousStart),
                    previous_end = Sql.Date(previousEnd),
                    today = Sql.Date(today),
                    cut = true,
                    platforms = Array.Empty<string>(),
                },
                transaction);
            Assert.Equal(query, stored);
        }
    }

    [Fact]
    public async Task A_result_computed_while_its_day_ran_and_read_later_says_where_it_was_cut()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync(Setup);
        // Yesterday's row as a run of yesterday at 15:00 would have left it, had no run recomputed it since.
        await db.ExecuteAsync("""
            UPDATE mart.shop_health SET previous_through = CURRENT_DATE - 2 + time '15:00', computed_at = (CURRENT_DATE - 1 + time '15:00') AT TIME ZONE current_setting('TimeZone')
             WHERE merchant_id = 1 AND period_type = 'day' AND period_start = CURRENT_DATE - 1
            """);

        var run = (await CliRun.RunAsync("shops", "--merchant", "1", "--period", "day", "--date",
            (await new ErpDatabase(db.DataSource).TodayAsync()).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "--format", "json", "--connection", db.ConnectionString)).Json();

        var through = run.GetProperty("data").GetProperty("comparedTo").GetProperty("through").GetDateTime();
        Assert.Equal(new TimeSpan(15, 0, 0), through.TimeOfDay);
        var period = run.GetProperty("meta").GetProperty("period");
        Assert.False(period.GetProperty("lastBucketComplete").GetBoolean());
        Assert.Contains("Computed on an earlier day, while the day was running", period.GetProperty("note").GetString(), StringComparison.Ordinal);

        // This month's rows as yesterday's run would have left them: still running, but not cut at today's counterpart.
        await db.ExecuteAsync("""
            UPDATE mart.shop_health SET previous_end = (CURRENT_DATE - interval '1 month')::date - 1,
                   previous_through = (CURRENT_DATE - interval '1 month')::date - 1 + time '15:00'
             WHERE merchant_id = 1 AND period_type = 'month' AND period_start = date_trunc('month', CURRENT_DATE)::date
            """);
        var month = (await CliRun.RunAsync("shops", "--merchant", "1", "--period", "month", "--format", "json", "--connection", db.ConnectionString)).Json();
        Assert.Contains("Computed on an earlier day, while the month was running", month.GetProperty("meta").GetProperty("period").GetProperty("note").GetString(), StringComparison.Ordinal);
        // Read now, a fresh run's running month says it runs, cut at today's counterpart.
        await db.ExecuteAsync("SELECT ops.recompute_c_class('test')");
        month = (await CliRun.RunAsync("shops", "--merchant", "1", "--period", "month", "--format", "json", "--connection", db.ConnectionString)).Json();
        Assert.StartsWith("The month is still running", month.GetProperty("meta").GetProperty("period").GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cut_at_any_fixed_time_of_day_equals_the_facts_by_hour()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync(Setup);
        var yesterday = (await new ErpDatabase(db.DataSource).TodayAsync()).AddDays(-1);

        // Where a day is cut at a fixed instant: its time of day there to the minute, 00:00 before it, 24:00 after it.
        Assert.Equal("09:45:00", await db.ScalarAsync<string>("SELECT mart.day_cut('Asia/Shanghai', DATE '2026-12-06', TIMESTAMPTZ '2026-12-06 01:45:59+00')::text"));
        Assert.Equal("00:00:00", await db.ScalarAsync<string>("SELECT mart.day_cut('Asia/Shanghai', DATE '2026-12-06', TIMESTAMPTZ '2026-12-05 15:59:59+00')::text"));
        Assert.Equal("24:00:00", await db.ScalarAsync<string>("SELECT mart.day_cut('America/Los_Angeles', DATE '2026-12-05', TIMESTAMPTZ '2026-12-06 08:00:00+00')::text"));

        // The day's sales up to any minute, as the C-class and sales_totals.sql sum them from the hourly sales, against the facts.
        await Gen.Int[0, 24 * 60].SampleAsync(async minutes =>
        {
            var through = yesterday.ToDateTime(TimeOnly.MinValue).AddMinutes(minutes);
            var cut = await db.ScalarAsync<decimal>(string.Create(CultureInfo.InvariantCulture, $"""
                SELECT round(sum(gmv_cny * mart.minutes_counted(sales_hour, make_time({minutes / 60}, {minutes % 60}, 0))) / 60, 2)
                  FROM mart.mv_hourly_sales WHERE merchant_id = 1 AND sales_date = DATE '{yesterday:yyyy-MM-dd}'
                """));
            Assert.Equal(await LikeForLikeGrowthTests.SoFarAsync(db, yesterday, through), cut);
        }, iter: 60, threads: 1);
        // And the whole day (24:00), which a sample may miss.
        Assert.Equal(await LikeForLikeGrowthTests.WholeDaysAsync(db, yesterday, yesterday), await db.ScalarAsync<decimal>(string.Create(CultureInfo.InvariantCulture,
            $"SELECT round(sum(gmv_cny * mart.minutes_counted(sales_hour, time '24:00')) / 60, 2) FROM mart.mv_hourly_sales WHERE merchant_id = 1 AND sales_date = DATE '{yesterday:yyyy-MM-dd}'")));
    }

    private static Task<DateTime> LocalNowAsync(TestDatabase db) => LikeForLikeGrowthTests.LocalNowAsync(db);
}
