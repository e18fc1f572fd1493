using System.Globalization;
using Erp.Db.Queries;
using Erp.Db.Queries.Reports;
using Erp.Db.Queries.Sales;
using Erp.Db.Tests.Cli;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Queries;

/// <summary>
/// Growth of a period that includes today compares with today's counterpart only up to the same time of day, in the merchant's
/// zone (docs/metrics.md, "Growth of a period that includes today"): whole hours before the current one, that hour prorated by
/// the minutes elapsed. Every expected figure is asked of dw.fact_sales_orders in SQL, by hour, not of the query file.
/// </summary>
public class LikeForLikeGrowthTests
{
    // One merchant in the database's own zone, so that its today is the database's; an order at :30 of every hour of the 15 days
    // to today (today's only up to now), its GMV different each hour, and a cancelled one in each day's hour 0 that must not count.
    internal const string Setup = """
        INSERT INTO dw.dim_merchants (merchant_id, merchant_code, merchant_name, timezone) VALUES (1, 'm1', 'Merchant one', current_setting('TimeZone'));
        INSERT INTO dw.dim_shops (shop_id, merchant_id, platform_id, platform_shop_code, shop_name, currency_code)
        SELECT 11, 1, platform_id, 's11', 'Shop 11', 'CNY' FROM dw.dim_platforms WHERE platform_code = 'shopee';
        INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, order_no, status, gmv, ordered_at)
        SELECT 1, CURRENT_DATE - d, 11, format('o%s-%s-%s', d, h, s), s, 100 + 7 * h + d, (CURRENT_DATE - d + make_interval(hours => h, mins => 30)) AT TIME ZONE current_setting('TimeZone')
          FROM generate_series(0, 14) AS d CROSS JOIN generate_series(0, 23) AS h CROSS JOIN (VALUES ('paid'), ('cancelled')) AS v(s)
         WHERE (s = 'paid' OR h = 0) AND (CURRENT_DATE - d + make_interval(hours => h, mins => 30)) AT TIME ZONE current_setting('TimeZone') <= now();
        CALL ops.refresh_all('test');
        """;

    [Fact]
    public async Task A_daily_report_of_today_compares_with_yesterday_up_to_the_same_time_of_day()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync(Setup);
        var erp = new ErpDatabase(db.DataSource);
        var today = await erp.TodayAsync();

        var before = await LocalNowAsync(db);
        var report = (await erp.Queries.ReportAsync(new ReportQuery { MerchantId = 1, Type = ReportType.Daily, Date = today })).Data;
        var after = await LocalNowAsync(db);

        var compared = report.ComparedTo!;
        Assert.Equal((today.AddDays(-1), today.AddDays(-1), 1), (compared.Start, compared.End, compared.Days));
        var through = compared.Through!.Value;
        // Cut at now's time of day, to the minute, on yesterday.
        Assert.Equal(compared.End, DateOnly.FromDateTime(through));
        Assert.InRange(through.TimeOfDay, before.TimeOfDay, after.TimeOfDay);
        var previous = await SoFarAsync(db, compared.End, through);
        Assert.Equal(previous, report.Sales.PreviousRevenue);
        // Only the comparison is cut: today's figures are today's orders, and yesterday's after that time are left out.
        var revenue = await db.ScalarAsync<decimal>($"SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE dw.is_valid_sale(status) AND order_date = {Date(today)}");
        Assert.Equal(revenue, report.Sales.Revenue);
        if (through.Hour < 23)
        {
            Assert.True(previous < await WholeDaysAsync(db, compared.End, compared.End));
        }
        // In the first half hour of a day yesterday had no order yet by now's time (they are at half past each hour): no rate then.
        Assert.Equal(await db.ScalarAsync<decimal?>($"SELECT round(({Num(revenue)} - {Num(previous)}) / nullif({Num(previous)}, 0), 6)"), report.Sales.GrowthRate);

        // erpdb report (today by default) says where the comparison was cut.
        var run = (await CliRun.RunAsync("report", "--merchant", "1", "--format", "json", "--connection", db.ConnectionString)).Json();
        var cut = run.GetProperty("data").GetProperty("comparedTo").GetProperty("through").GetDateTime();
        Assert.Equal(compared.End, DateOnly.FromDateTime(cut));
        Assert.Contains("counts only up to", run.GetProperty("meta").GetProperty("period").GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_period_before_today_compares_whole_days_and_sales_to_today_cuts_only_the_last_day_compared()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync(Setup);
        var erp = new ErpDatabase(db.DataSource);
        var today = await erp.TodayAsync();

        var yesterday = (await erp.Queries.ReportAsync(new ReportQuery { MerchantId = 1, Type = ReportType.Daily, Date = today.AddDays(-1) })).Data;
        var toYesterday = (await erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, today.AddDays(-1)) })).Data;
        var toToday = (await erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, today) })).Data;

        Assert.Null(yesterday.ComparedTo!.Through);
        Assert.Equal(await WholeDaysAsync(db, today.AddDays(-2), today.AddDays(-2)), yesterday.Sales.PreviousRevenue);
        Assert.Null(toYesterday.ComparedTo.Through);
        Assert.Equal(await WholeDaysAsync(db, today.AddDays(-14), today.AddDays(-8)), toYesterday.Metrics.PreviousRevenue);
        // The last 7 days to today: the 7 before, the last of them (a week ago today) up to now's time of day.
        var compared = toToday.ComparedTo;
        Assert.Equal((today.AddDays(-13), today.AddDays(-7)), (compared.Start, compared.End));
        Assert.Equal(compared.End, DateOnly.FromDateTime(compared.Through!.Value));
        Assert.Equal(await WholeDaysAsync(db, today.AddDays(-13), today.AddDays(-8)) + await SoFarAsync(db, compared.End, compared.Through.Value),
            toToday.Metrics.PreviousRevenue);
    }

    internal static async Task<DateTime> LocalNowAsync(TestDatabase db) =>
        await db.ScalarAsync<DateTime>("SELECT date_trunc('minute', now() AT TIME ZONE timezone) FROM dw.dim_merchants WHERE merchant_id = 1");

    /// <summary>
    /// Valid GMV of <paramref name="merchant"/>'s orders of <paramref name="day"/> up to <paramref name="through"/> (a local time that
    /// day, or the next day's 00:00 for all of it): the hours before its hour whole, its own hour by minutes / 60, asked of the facts.
    /// </summary>
    internal static async Task<decimal> SoFarAsync(TestDatabase db, DateOnly day, DateTime through, long merchant = 1)
    {
        var elapsed = through - day.ToDateTime(TimeOnly.MinValue);
        var (hour, minute) = ((int)elapsed.TotalHours, elapsed.Minutes);
        return await db.ScalarAsync<decimal>($"""
            SELECT round(coalesce(sum(gmv_cny) FILTER (WHERE hour < {hour}), 0) + coalesce(sum(gmv_cny) FILTER (WHERE hour = {hour}), 0) * {minute} / 60.0, 2)
              FROM (SELECT extract(hour FROM o.ordered_at AT TIME ZONE m.timezone) AS hour, o.gmv_cny
                      FROM dw.fact_sales_orders AS o JOIN dw.dim_merchants AS m USING (merchant_id)
                     WHERE o.merchant_id = {merchant} AND dw.is_valid_sale(o.status) AND o.order_date = {Date(day)}) AS s
            """);
    }

    /// <summary>Valid GMV of <paramref name="merchant"/>'s orders of the days <paramref name="first"/>..<paramref name="last"/>, whole.</summary>
    internal static async Task<decimal> WholeDaysAsync(TestDatabase db, DateOnly first, DateOnly last, long merchant = 1) => await db.ScalarAsync<decimal>(
        $"SELECT coalesce(sum(gmv_cny), 0) FROM dw.fact_sales_orders WHERE merchant_id = {merchant} AND dw.is_valid_sale(status) AND order_date BETWEEN {Date(first)} AND {Date(last)}");

    private static string Date(DateOnly day) => $"DATE '{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'";

    private static string Num(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
