using System.Globalization;
using System.Text.Json;
using Erp.Db.Queries;
using Erp.Db.Queries.Customers;
using Erp.Db.Queries.Reports;
using Erp.Db.Queries.Sales;
using Erp.Db.Queries.Shops;
using Erp.Db.Queries.Trends;
using Erp.Db.Tests.Cli;
using Npgsql;

namespace Erp.Db.Tests.Queries;

/// <summary>
/// One today (docs/today.md): the library and erpdb count the days as the server does, in the database's time zone, whatever
/// this machine's. Each test sets its database's zone to one whose date differs from this machine's at the moment it runs: at
/// any instant UTC+14 or UTC-12 is on another date than any zone between them.
/// </summary>
public class WarehouseTodayTests
{
    [Fact]
    public void The_date_is_read_in_the_zone_the_server_names_and_a_name_this_machine_does_not_know_gives_none()
    {
        var instant = new DateTimeOffset(2026, 12, 5, 18, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2026, 12, 6), WarehouseClock.TodayIn("Etc/GMT-14", instant));
        Assert.Equal(new DateOnly(2026, 12, 6), WarehouseClock.TodayIn("Asia/Shanghai", instant));
        Assert.Equal(new DateOnly(2026, 12, 5), WarehouseClock.TodayIn("UTC", instant));
        Assert.Equal(new DateOnly(2026, 12, 5), WarehouseClock.TodayIn("Etc/GMT+12", instant));
        Assert.Equal(new DateOnly(2026, 12, 4), WarehouseClock.TodayIn("Etc/GMT+12", instant.AddHours(-7)));
        // POSIX strings (SET TIME ZONE 8 is reported as <+08>-08) are answered by the server.
        Assert.Null(WarehouseClock.TodayIn("<+08>-08", instant));
        Assert.Null(WarehouseClock.TodayIn(null, instant));
        Assert.Null(WarehouseClock.TodayIn("", instant));
    }

    [Fact]
    public async Task A_call_cancelled_before_it_begins_throws_even_when_a_pooled_connection_would_answer_at_once()
    {
        await using var db = await Infrastructure.TestDatabase.CreateMigratedAsync();
        await using var erp = ErpDatabase.Create(new ErpDbOptions { ConnectionString = db.ConnectionString });
        await erp.TodayAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => erp.TodayAsync(cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            erp.Queries.ReceivablesAsync(new Erp.Db.Queries.Receivables.ReceivableQuery { MerchantId = 1 }, cancelled.Token));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_library_takes_today_from_the_database_and_ends_default_periods_there(bool posix)
    {
        await using var f = await QueryFixture.CreateAsync();
        var (today, _) = await UseAnotherDateAsync(f, posix);
        await using var dataSource = NpgsqlDataSource.Create(f.Db.ConnectionString);
        var erp = new ErpDatabase(dataSource);

        var asked = await erp.TodayAsync();
        var week = await erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, asked) });
        var toYesterday = await erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, asked.AddDays(-1)) });
        var trend = await erp.Queries.TrendsAsync(new TrendQuery { MerchantId = 1, Period = Period.LastDays(7, asked) });
        var customers = await erp.Queries.CustomersAsync(new CustomerQuery { MerchantId = 1 });
        var shops = await erp.Queries.ShopsAsync(new ShopQuery { MerchantId = 1, Period = ShopPeriod.Day });
        var report = await erp.Queries.ReportAsync(new ReportQuery { MerchantId = 1, Type = ReportType.Daily, Date = asked });

        Assert.Equal(today, asked);
        Assert.Equal(today, week.AsOf);
        // Today's orders are still coming in; yesterday, as the database counts days, is over.
        Assert.False(week.Data.LastBucketComplete);
        Assert.True(toYesterday.Data.LastBucketComplete);
        Assert.False(trend.Data.LastBucketComplete);
        Assert.True(trend.Data.Series.Where(p => p.Bucket < today).All(p => p.Complete));
        Assert.Equal(today, customers.AsOf);
        Assert.Equal((today, today), (shops.Data.Start, shops.Data.End));
        Assert.Equal(today, report.AsOf);
        Assert.Equal(new PeriodInfo(today, today, 1), report.Data.Period);
        Assert.False(report.Data.Complete);
    }

    [Fact]
    public async Task Erpdb_states_the_database_today_as_asOf_and_ends_default_periods_on_it()
    {
        await using var f = await QueryFixture.CreateAsync();
        var (today, machine) = await UseAnotherDateAsync(f, posix: false);
        string[] common = ["--merchant", "1", "--format", "json", "--connection", f.Db.ConnectionString];

        var receivables = (await CliRun.RunAsync(["receivables", .. common])).Json();
        var sales = (await CliRun.RunAsync(["sales", .. common])).Json();
        var toYesterday = (await CliRun.RunAsync(["sales", "--days", "7", "--end", Day(today.AddDays(-1)), .. common])).Json();
        var customers = (await CliRun.RunAsync(["customers", .. common])).Json();
        var shops = (await CliRun.RunAsync(["shops", "--period", "day", .. common])).Json();
        var report = (await CliRun.RunAsync(["report", .. common])).Json();
        var finance = (await CliRun.RunAsync(["finance", "--days", "30", .. common])).Json();
        var trends = (await CliRun.RunAsync(["trends", "--days", "14", .. common])).Json();

        Assert.NotEqual(machine, today);
        Assert.Equal(Day(today), receivables.GetProperty("meta").GetProperty("asOf").GetString());
        Assert.Equal(Day(today), receivables.GetProperty("data").GetProperty("asOf").GetString());
        foreach (var (name, json) in new[] { ("sales", sales), ("customers", customers), ("shops", shops), ("report", report), ("finance", finance), ("trends", trends) })
        {
            Assert.True(json.GetProperty("success").GetBoolean(), $"{name}: {json}");
            Assert.Equal(Day(today), json.GetProperty("meta").GetProperty("asOf").GetString());
            Assert.Equal(Day(today), json.GetProperty("meta").GetProperty("period").GetProperty("end").GetString());
            Assert.False(json.GetProperty("meta").GetProperty("period").GetProperty("lastBucketComplete").GetBoolean(), name);
        }
        Assert.Equal(Day(today.AddDays(-6)), sales.GetProperty("data").GetProperty("period").GetProperty("start").GetString());
        Assert.Contains($"Includes today ({Day(today)})", sales.GetProperty("meta").GetProperty("period").GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.True(toYesterday.GetProperty("meta").GetProperty("period").GetProperty("lastBucketComplete").GetBoolean());
        Assert.Equal(Day(today), shops.GetProperty("meta").GetProperty("period").GetProperty("start").GetString());
        Assert.Equal(Day(today), report.GetProperty("meta").GetProperty("period").GetProperty("start").GetString());
        Assert.Equal(Day(today), finance.GetProperty("data").GetProperty("asOf").GetString());
    }

    [Fact]
    public async Task A_held_result_is_not_served_once_the_database_today_moves()
    {
        await using var f = await QueryFixture.CreateAsync();
        var (behind, _) = await SetZoneAsync(f, "Etc/GMT+12");
        await using var first = NpgsqlDataSource.Create(f.Db.ConnectionString);
        var erp = new ErpDatabase(first);
        // Trends: sales over a period that includes today is not cached (its growth moves with the clock: docs/metrics.md).
        var query = new TrendQuery { MerchantId = 1, Period = Period.LastDays(7, behind) };

        var before = await erp.Queries.TrendsAsync(query);
        var held = await erp.Queries.TrendsAsync(query);
        // The same ErpDatabase, its idle connections closed: the next one opens in a zone a day or two ahead.
        var (ahead, _) = await SetZoneAsync(f, "Etc/GMT-14");
        first.Clear();
        var after = await erp.Queries.TrendsAsync(query);

        Assert.Same(before.Data, held.Data);
        Assert.Equal(behind, held.AsOf);
        Assert.True(ahead > behind);
        Assert.NotSame(before.Data, after.Data);
        Assert.Equal(ahead, after.AsOf);
        // The period ends on the earlier today: still running then, over now.
        Assert.False(before.Data.LastBucketComplete);
        Assert.True(after.Data.LastBucketComplete);
    }

    /// <summary>
    /// Sets the test database's zone to UTC+14 or UTC-12, whichever is on another date than this machine now (as an IANA name, or
    /// as a POSIX string this machine cannot resolve); returns the database's today and this machine's, read after the change.
    /// </summary>
    private static Task<(DateOnly Database, DateOnly Machine)> UseAnotherDateAsync(QueryFixture f, bool posix)
    {
        var ahead = WarehouseClock.TodayIn("Etc/GMT-14", DateTimeOffset.UtcNow) != DateOnly.FromDateTime(DateTime.Now);
        var zone = (ahead, posix) switch
        {
            (true, false) => "Etc/GMT-14",
            (true, true) => "<+14>-14",
            (false, false) => "Etc/GMT+12",
            (false, true) => "<-12>+12",
        };
        return SetZoneAsync(f, zone);
    }

    /// <summary>
    /// ALTER DATABASE ... SET timezone, which new connections get; the test database's own idle connections are closed so
    /// that its next one does too. Returns the server's CURRENT_DATE and this machine's date.
    /// </summary>
    private static async Task<(DateOnly Database, DateOnly Machine)> SetZoneAsync(QueryFixture f, string zone)
    {
        await f.Db.ExecuteAsync($"ALTER DATABASE {f.Db.Name} SET timezone = '{zone}'");
        f.Db.DataSource.Clear();
        var database = await f.Db.ScalarAsync<DateOnly>("SELECT CURRENT_DATE");
        Assert.Equal(zone, await f.Db.ScalarAsync<string>("SELECT current_setting('TimeZone')"));
        return (database, DateOnly.FromDateTime(DateTime.Now));
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
