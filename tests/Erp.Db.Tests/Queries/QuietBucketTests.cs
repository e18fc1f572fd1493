using System.Globalization;
using Erp.Db.Queries;
using Erp.Db.Queries.Finance;
using Erp.Db.Queries.Funnel;
using Erp.Db.Queries.Profit;
using Erp.Db.Queries.Trends;
using Erp.Db.Queries.Users;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Queries;

/// <summary>
/// The time-grouped answers besides sales and trends list every bucket of the period too: a quiet bucket has its sums 0 and its ratios
/// null, and the rows add up to the totals and to the facts (<see cref="QuietDaysDataset"/>).
/// </summary>
/// <remarks>The tests that only read the quiet days share one database loaded with them (<see cref="SharedDatabase"/>).</remarks>
public class QuietBucketTests(SharedDatabase shared) : IClassFixture<SharedDatabase>
{
    /// <summary>What <see cref="QueryFixture"/> loads, and the quiet days.</summary>
    private static async Task LoadAsync(TestDatabase db)
    {
        await Views.SalesDataset.LoadAsync(db);
        await QuietDaysDataset.LoadAsync(db);
    }

    private const long Merchant = QuietDaysDataset.Merchant;

    /// <summary>By day the first week; by week from its Wednesday (a cut first week) into the third; by month from three months before.</summary>
    private static Period PeriodOf(Granularity grain)
    {
        var monday = QuietDaysDataset.Monday;
        return grain switch
        {
            Granularity.Day => new Period(monday, monday.AddDays(6)),
            Granularity.Week => new Period(monday.AddDays(2), monday.AddDays(16)),
            _ => new Period(monday.AddMonths(-3), monday.AddDays(16)),
        };
    }

    /// <summary>The first day of every bucket the period touches.</summary>
    private static List<DateOnly> Buckets(Granularity grain, Period period)
    {
        var first = grain switch
        {
            Granularity.Day => period.Start,
            Granularity.Week => period.Start.AddDays(-(((int)period.Start.DayOfWeek + 6) % 7)),
            _ => new DateOnly(period.Start.Year, period.Start.Month, 1),
        };
        var buckets = new List<DateOnly>();
        for (var bucket = first; bucket <= period.End; bucket = grain switch { Granularity.Day => bucket.AddDays(1), Granularity.Week => bucket.AddDays(7), _ => bucket.AddMonths(1) })
        {
            buckets.Add(bucket);
        }
        return buckets;
    }

    private static string D(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A value as <see cref="S"/> writes it in SQL: a number without trailing zeros, or '-' for null.</summary>
    private static string N(decimal? value) => value?.ToString("0.##########", CultureInfo.InvariantCulture) ?? "-";

    private static string S(string expression) => $"coalesce(trim_scale(({expression})::numeric)::text, '-')";

    /// <summary>The buckets of the period in SQL, each with its first and last day in the period (b, first_day, last_day).</summary>
    private static string BucketsSql(Granularity grain, Period period)
    {
        var unit = grain.ToString().ToLowerInvariant();
        return $"""
            (SELECT g::date AS b, greatest(g::date, DATE '{D(period.Start)}') AS first_day,
                    least((g + interval '1 {unit}')::date - 1, DATE '{D(period.End)}') AS last_day
               FROM generate_series(date_trunc('{unit}', DATE '{D(period.Start)}'::timestamp), DATE '{D(period.End)}'::timestamp, interval '1 {unit}') AS g) AS k
            """;
    }

    [Theory]
    [InlineData(Granularity.Day)]
    [InlineData(Granularity.Week)]
    [InlineData(Granularity.Month)]
    public async Task Profit_by_period_has_a_row_for_every_bucket_quiet_ones_at_zero_adding_up_to_the_totals_and_the_facts(Granularity grain)
    {
        var db = await shared.GetAsync(LoadAsync);
        var erp = new ErpDatabase(db.DataSource);
        var period = PeriodOf(grain);
        var buckets = Buckets(grain, period);

        var report = (await erp.Queries.ProfitAsync(new ProfitQuery { MerchantId = Merchant, Period = period, By = ProfitGrouping.Period, Grain = grain, Paging = new Paging(1, 100) })).Data;
        var page = (await erp.Queries.ProfitAsync(new ProfitQuery { MerchantId = Merchant, Period = period, By = ProfitGrouping.Period, Grain = grain, Paging = new Paging(2, 2) })).Data;

        var rows = report.Rows.Items;
        Assert.Equal(buckets.Select(b => (DateOnly?)b), rows.Select(r => r.Bucket));
        Assert.All(rows, r => Assert.Null(r.Key));
        Assert.Equal(buckets.Count, report.Rows.Total);
        // The total counts the filled rows, and a page is a slice of them.
        Assert.Equal(buckets.Count, page.Rows.Total);
        Assert.Equal(rows.Skip(2).Take(2).Select(r => r.Bucket), page.Rows.Items.Select(r => r.Bucket));
        var quiet = rows.Where(r => r.Revenue == 0 && r.Expenses == 0).ToList();
        Assert.NotEmpty(quiet);
        Assert.All(quiet, r => Assert.Equal((0m, 0m, 0m, 0m, 0m, 0m), (r.Cost, r.Fees!.Value, r.GrossProfit, r.NetProfit!.Value, r.Expenses!.Value, r.OperatingProfit!.Value)));
        Assert.All(quiet, r => Assert.Equal(((decimal?)null, (decimal?)null, (decimal?)null), (r.GrossMargin, r.NetMargin, r.ExpenseRoi)));
        var totals = report.Totals;
        Assert.Equal((totals.Revenue, totals.Cost, totals.Fees, totals.GrossProfit, totals.NetProfit, totals.Expenses, totals.OperatingProfit),
            (rows.Sum(r => r.Revenue), rows.Sum(r => r.Cost), rows.Sum(r => r.Fees), rows.Sum(r => r.GrossProfit), rows.Sum(r => r.NetProfit), rows.Sum(r => r.Expenses), rows.Sum(r => r.OperatingProfit)));
        Assert.True(totals.Revenue > 0 && totals.Expenses > 0);
        // The same question asked of the orders and expenses, bucket by bucket.
        var expected = await db.ScalarAsync<string>($"""
            SELECT string_agg(concat_ws('|', to_char(k.b, 'YYYY-MM-DD'), {S("o.r")}, {S("o.c")}, {S("o.np")}, {S("round(o.gp / nullif(o.r, 0), 6)")}, {S("e.ex")},
                                        {S("round(o.gp / nullif(e.ex, 0), 6)")}), ',' ORDER BY k.b)
              FROM {BucketsSql(grain, period)}
             CROSS JOIN LATERAL (SELECT coalesce(sum(gmv_cny), 0) AS r, coalesce(sum(cost_amount_cny), 0) AS c, coalesce(sum(gross_profit_cny), 0) AS gp,
                                        coalesce(sum(net_profit_cny), 0) AS np
                                   FROM dw.fact_sales_orders WHERE merchant_id = {Merchant} AND dw.is_valid_sale(status) AND order_date BETWEEN k.first_day AND k.last_day) AS o
             CROSS JOIN LATERAL (SELECT coalesce(sum(amount_cny), 0) AS ex
                                   FROM dw.fact_expenses WHERE merchant_id = {Merchant} AND order_id IS NULL AND expense_date BETWEEN k.first_day AND k.last_day) AS e
            """);
        Assert.Equal(expected, string.Join(",", rows.Select(r => string.Join("|", D(r.Bucket!.Value), N(r.Revenue), N(r.Cost), N(r.NetProfit), N(r.GrossMargin), N(r.Expenses), N(r.ExpenseRoi)))));
    }

    [Theory]
    [InlineData(Granularity.Day)]
    [InlineData(Granularity.Week)]
    [InlineData(Granularity.Month)]
    public async Task Users_have_a_bucket_for_every_bucket_of_the_period_quiet_ones_at_zero_and_equal_the_facts(Granularity grain)
    {
        var db = await shared.GetAsync(LoadAsync);
        var erp = new ErpDatabase(db.DataSource);
        var period = PeriodOf(grain);
        var buckets = Buckets(grain, period);

        var report = (await erp.Queries.UsersAsync(new UserQuery { MerchantId = Merchant, Period = period, Grain = grain })).Data;

        var rows = report.Buckets;
        Assert.Equal(buckets, rows.Select(b => b.Bucket));
        var quiet = rows.Where(b => b.Dau == 0 && b.Revenue == 0).ToList();
        Assert.NotEmpty(quiet);
        Assert.All(quiet, b => Assert.Equal((0L, 0L, 0L), (b.NewUsers, b.ReturningUsers, b.PayingUsers)));
        Assert.All(quiet, b => Assert.Equal(((decimal?)null, (decimal?)null, (decimal?)null, (decimal?)null, (decimal?)null), (b.AvgSessionSeconds, b.RetentionD1, b.RetentionD7, b.Arpu, b.Arppu)));
        if (grain != Granularity.Month)
        {
            // A quiet day or week after activity still counts the users of the 30 days ending it.
            Assert.Contains(quiet, b => b.Mau > 0);
        }
        // The same question asked of the activity and the orders, bucket by bucket; the buckets add up to the period.
        var expected = await db.ScalarAsync<string>($"""
            SELECT string_agg(concat_ws('|', k.b, k.first_day, k.last_day, {S("round(a.active / (k.last_day - k.first_day + 1), 2)")}, m.mau, a.new_users, a.paying,
                                        {S("o.r")}, {S("round(o.r / nullif(a.active, 0), 4)")}), ',' ORDER BY k.b)
                   || '/' || sum(a.new_users) || '|' || {S("sum(o.r)")}
              FROM {BucketsSql(grain, period)}
             CROSS JOIN LATERAL (SELECT coalesce(sum(active_users), 0)::numeric AS active, coalesce(sum(new_users), 0) AS new_users, coalesce(sum(paying_users), 0) AS paying
                                   FROM dw.fact_user_activity WHERE merchant_id = {Merchant} AND activity_date BETWEEN k.first_day AND k.last_day) AS a
             CROSS JOIN LATERAL (SELECT coalesce(sum(new_users), 0) + coalesce(sum(returning_users) FILTER (WHERE activity_date = k.last_day - 29), 0) AS mau
                                   FROM dw.fact_user_activity WHERE merchant_id = {Merchant} AND activity_date BETWEEN k.last_day - 29 AND k.last_day) AS m
             CROSS JOIN LATERAL (SELECT coalesce(sum(gmv_cny), 0) AS r
                                   FROM dw.fact_sales_orders WHERE merchant_id = {Merchant} AND dw.is_valid_sale(status) AND order_date BETWEEN k.first_day AND k.last_day) AS o
            """);
        Assert.Equal(expected,
            string.Join(",", rows.Select(b => string.Join("|", D(b.Bucket), D(b.FirstDay), D(b.LastDay), N(b.Dau), b.Mau, b.NewUsers, b.PayingUsers, N(b.Revenue), N(b.Arpu))))
            + "/" + rows.Sum(b => b.NewUsers) + "|" + N(rows.Sum(b => b.Revenue)));
    }

    [Theory]
    [InlineData(Granularity.Day)]
    [InlineData(Granularity.Week)]
    [InlineData(Granularity.Month)]
    public async Task The_funnel_by_period_has_a_row_for_every_bucket_quiet_ones_at_zero_adding_up_to_the_totals_and_the_facts(Granularity grain)
    {
        var db = await shared.GetAsync(LoadAsync);
        var erp = new ErpDatabase(db.DataSource);
        var period = PeriodOf(grain);
        var buckets = Buckets(grain, period);

        var report = (await erp.Queries.FunnelAsync(new FunnelQuery { MerchantId = Merchant, Period = period, Grain = grain, Paging = new Paging(1, 100) })).Data;
        var page = (await erp.Queries.FunnelAsync(new FunnelQuery { MerchantId = Merchant, Period = period, Grain = grain, Paging = new Paging(2, 2) })).Data;
        var byShop = (await erp.Queries.FunnelAsync(new FunnelQuery { MerchantId = Merchant, Period = period, Grain = grain, By = FunnelGrouping.Shop })).Data;

        var rows = report.Rows.Items;
        Assert.Equal(buckets.Select(b => (DateOnly?)b), rows.Select(r => r.Bucket));
        Assert.All(rows, r => Assert.Null(r.Key));
        Assert.Equal(buckets.Count, report.Rows.Total);
        Assert.Equal(buckets.Count, page.Rows.Total);
        Assert.Equal(rows.Skip(2).Take(2).Select(r => r.Bucket), page.Rows.Items.Select(r => r.Bucket));
        var quiet = rows.Where(r => r.Visitors == 0).ToList();
        Assert.NotEmpty(quiet);
        Assert.All(quiet, r => Assert.Equal((0L, 0L, 0L, 0L), (r.UniqueVisitors, r.AddToCart, r.Checkout, r.Orders)));
        Assert.All(quiet, r => Assert.Equal(((decimal?)null, (decimal?)null, (decimal?)null, (decimal?)null), (r.VisitorToCartRate, r.CartToCheckoutRate, r.CheckoutToOrderRate, r.ConversionRate)));
        var totals = report.Totals;
        Assert.Equal((totals.Visitors, totals.UniqueVisitors, totals.AddToCart, totals.Checkout, totals.Orders),
            (rows.Sum(r => r.Visitors), rows.Sum(r => r.UniqueVisitors), rows.Sum(r => r.AddToCart), rows.Sum(r => r.Checkout), rows.Sum(r => r.Orders)));
        Assert.True(totals.Visitors > 0);
        // Shops stay groups with traffic: the one shop, as before.
        Assert.Equal(["31"], byShop.Rows.Items.Select(r => r.Key));
        var expected = await db.ScalarAsync<string>($"""
            SELECT string_agg(concat_ws('|', to_char(k.b, 'YYYY-MM-DD'), t.v, t.c, t.o, {S("round(t.c::numeric / nullif(t.v, 0), 6)")}, {S("round(t.o::numeric / nullif(t.v, 0), 6)")}), ',' ORDER BY k.b)
              FROM {BucketsSql(grain, period)}
             CROSS JOIN LATERAL (SELECT coalesce(sum(visitors), 0) AS v, coalesce(sum(add_to_cart), 0) AS c, coalesce(sum(orders), 0) AS o
                                   FROM dw.fact_traffic_funnel WHERE merchant_id = {Merchant} AND traffic_date BETWEEN k.first_day AND k.last_day) AS t
            """);
        Assert.Equal(expected, string.Join(",", rows.Select(r => string.Join("|", D(r.Bucket!.Value), r.Visitors, r.AddToCart, r.Orders, N(r.VisitorToCartRate), N(r.ConversionRate)))));
    }

    [Fact]
    public async Task Finance_has_every_month_of_the_period_quiet_ones_at_zero_adding_up_to_the_totals_and_the_facts()
    {
        var db = await shared.GetAsync(LoadAsync);
        var erp = new ErpDatabase(db.DataSource);
        var period = PeriodOf(Granularity.Month);
        var months = Buckets(Granularity.Month, period);

        var report = (await erp.Queries.FinanceAsync(new FinanceQuery { MerchantId = Merchant, Period = period })).Data;

        var rows = report.Months;
        Assert.Equal(months, rows.Select(m => m.Month!.Value));
        Assert.Equal(period.Start, rows[0].From);
        Assert.Equal(period.End, rows[^1].To);
        Assert.All(rows.Skip(1), m => Assert.Equal(m.Month, m.From));
        Assert.All(rows.SkipLast(1), m => Assert.Equal(m.Month!.Value.AddMonths(1).AddDays(-1), m.To));
        var quiet = rows.Where(m => m.Revenue == 0 && m.OrderFees == 0 && m.Expenses == 0).ToList();
        Assert.NotEmpty(quiet);
        Assert.All(quiet, m => Assert.Equal((0m, 0m, 0m, 0L, 0m, 0m, 0m, 0m, 0m),
            (m.Invoiced, m.Outstanding, m.Overdue, m.OverdueCount, m.Receipts, m.GrossProfit, m.NetProfit, m.OperatingProfit, m.NetCashFlow)));
        var t = report.Totals;
        Assert.Equal((t.Invoiced, t.Receipts, t.Expenses, t.OrderFees, t.Revenue, t.GrossProfit, t.NetProfit, t.OperatingProfit, t.NetCashFlow),
            (rows.Sum(m => m.Invoiced), rows.Sum(m => m.Receipts), rows.Sum(m => m.Expenses), rows.Sum(m => m.OrderFees), rows.Sum(m => m.Revenue),
             rows.Sum(m => m.GrossProfit), rows.Sum(m => m.NetProfit), rows.Sum(m => m.OperatingProfit), rows.Sum(m => m.NetCashFlow)));
        Assert.True(t.Revenue > 0);
        var expected = await db.ScalarAsync<string>($"""
            SELECT string_agg(concat_ws('|', k.b, {S("o.r")}, {S("o.np")}, {S("e.ex")}, {S("o.np - e.ex")}), ',' ORDER BY k.b)
              FROM {BucketsSql(Granularity.Month, period)}
             CROSS JOIN LATERAL (SELECT coalesce(sum(gmv_cny), 0) AS r, coalesce(sum(net_profit_cny), 0) AS np
                                   FROM dw.fact_sales_orders WHERE merchant_id = {Merchant} AND dw.is_valid_sale(status) AND order_date BETWEEN k.first_day AND k.last_day) AS o
             CROSS JOIN LATERAL (SELECT coalesce(sum(amount_cny), 0) AS ex
                                   FROM dw.fact_expenses WHERE merchant_id = {Merchant} AND order_id IS NULL AND expense_date BETWEEN k.first_day AND k.last_day) AS e
            """);
        Assert.Equal(expected, string.Join(",", rows.Select(m => string.Join("|", D(m.Month!.Value), N(m.Revenue), N(m.NetProfit), N(m.Expenses), N(m.OperatingProfit)))));
    }

    [Fact]
    public async Task A_window_without_data_or_another_merchants_data_lists_its_buckets_at_zero()
    {
        await using var f = await QueryFixture.CreateAsync();
        await QuietDaysDataset.LoadAsync(f.Db);
        await using var reader = await TestLogin.CreateAsync(f.Db, "erp_reader");
        await f.Db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 1)");
        var erp = new ErpDatabase(reader.DataSource);
        var empty = new Period(new DateOnly(2020, 1, 1), new DateOnly(2020, 1, 5));
        var others = PeriodOf(Granularity.Day);

        foreach (var (db, merchant, period) in new[] { (f.Erp, Merchant, empty), (erp, Merchant, others) })
        {
            var days = Buckets(Granularity.Day, period).Select(D).ToList();
            var profit = (await db.Queries.ProfitAsync(new ProfitQuery { MerchantId = merchant, Period = period, By = ProfitGrouping.Period, Grain = Granularity.Day })).Data;
            var users = (await db.Queries.UsersAsync(new UserQuery { MerchantId = merchant, Period = period })).Data;
            var funnel = (await db.Queries.FunnelAsync(new FunnelQuery { MerchantId = merchant, Period = period })).Data;
            var finance = (await db.Queries.FinanceAsync(new FinanceQuery { MerchantId = merchant, Period = period })).Data;

            Assert.Equal(days, profit.Rows.Items.Select(r => D(r.Bucket!.Value)));
            Assert.All(profit.Rows.Items, r => Assert.Equal((0m, 0m, (decimal?)null), (r.Revenue, r.Expenses!.Value, r.NetMargin)));
            Assert.Equal(0m, profit.Totals.Revenue);
            Assert.Equal(days, users.Buckets.Select(b => D(b.Bucket)));
            Assert.All(users.Buckets, b => Assert.Equal((0m, 0L, 0L, 0m, (decimal?)null), (b.Dau, b.Mau, b.NewUsers, b.Revenue, b.Arpu)));
            Assert.Equal(days, funnel.Rows.Items.Select(r => D(r.Bucket!.Value)));
            Assert.All(funnel.Rows.Items, r => Assert.Equal((0L, (decimal?)null), (r.Visitors, r.ConversionRate)));
            Assert.Equal(0L, funnel.Totals.Visitors);
            Assert.Equal(Buckets(Granularity.Month, period), finance.Months.Select(m => m.Month!.Value));
            Assert.Equal((period.Start, period.End), (finance.Months[0].From!.Value, finance.Months[^1].To!.Value));
            Assert.All(finance.Months, m => Assert.Equal((0m, 0m, 0m), (m.Revenue, m.Expenses, m.NetCashFlow)));
        }
    }
}
