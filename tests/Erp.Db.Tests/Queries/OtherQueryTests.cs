using System.Globalization;
using Erp.Db.Queries;
using Erp.Db.Queries.Customers;
using Erp.Db.Queries.Finance;
using Erp.Db.Queries.Funnel;
using Erp.Db.Queries.Inventory;
using Erp.Db.Queries.Products;
using Erp.Db.Queries.Reports;
using Erp.Db.Queries.Sales;
using Erp.Db.Queries.Trends;

namespace Erp.Db.Tests.Queries;

/// <remarks>The tests that only read the sales dataset share one (<see cref="SharedQueryFixture"/>); those that change it or add the quiet days have their own.</remarks>
public class OtherQueryTests(SharedQueryFixture shared) : IClassFixture<SharedQueryFixture>
{
    [Fact]
    public async Task Customer_counts_and_list_match_the_facts()
    {
        var f = await shared.GetAsync();

        var all = (await f.Erp.Queries.CustomersAsync(new CustomerQuery { MerchantId = 1, SortBy = CustomerSort.Orders })).Data;
        var fresh = (await f.Erp.Queries.CustomersAsync(new CustomerQuery { MerchantId = 1, Segment = CustomerSegment.New })).Data;

        const string valid = "merchant_id = 1 AND dw.is_valid_sale(status)";
        Assert.Equal(await f.Db.ScalarAsync<long>($"SELECT count(DISTINCT customer_id) FROM dw.fact_sales_orders WHERE {valid}"), all.Summary.TotalCustomers);
        var withTwoOrders = await f.Db.ScalarAsync<long>($"SELECT count(*) FROM (SELECT customer_id FROM dw.fact_sales_orders WHERE {valid} GROUP BY customer_id HAVING count(*) >= 2) AS r");
        Assert.Equal(Math.Round((decimal)withTwoOrders / all.Summary.TotalCustomers, 6, MidpointRounding.AwayFromZero), all.Summary.RepeatRate);
        Assert.Equal(all.Summary.TotalCustomers, all.Segments.Values.Sum(s => s.Count));
        // One definition of each segment: the summary's counts are the segments' and add up to the total.
        var s = all.Summary;
        Assert.Equal(s.TotalCustomers, s.NewCustomers + s.RepeatCustomers + s.ChurnedCustomers + s.VipCustomers + s.OneTimeCustomers);
        Assert.Equal(
            [s.ChurnedCustomers, s.NewCustomers, s.OneTimeCustomers, s.RepeatCustomers, s.VipCustomers],
            new[] { "churned", "new", "one_time", "repeat", "vip" }.Select(k => all.Segments[k].Count));
        // Every segment is listed, an empty one with zeros (this dataset leaves some empty).
        Assert.Contains(all.Segments.Values, v => v.Count == 0);
        Assert.All(all.Segments.Values.Where(v => v.Count == 0), v => Assert.Equal((0m, 0m), (v.Revenue, v.AverageRevenue)));
        Assert.Equal(all.Summary.TotalCustomers, all.Customers.Count);
        Assert.True(all.Customers.Zip(all.Customers.Skip(1)).All(p => p.First.Orders >= p.Second.Orders));
        Assert.Contains(fresh.Customers, c => c.CustomerCode == "c1011");
        Assert.All(fresh.Customers, c => Assert.Equal("new", c.Segment));
        Assert.Equal(all.Summary.NewCustomers, fresh.Customers.Count);
        await Assert.ThrowsAsync<QueryValidationException>(() => f.Erp.Queries.CustomersAsync(new CustomerQuery { MerchantId = 1, Limit = 0 }));
    }

    [Fact]
    public async Task An_undefined_sort_grouping_or_segment_is_refused_naming_its_field()
    {
        // An enum value bound from an int (a query string, JSON) may be none of the listed ones. Funnel, profit, users and shops
        // refused it; these answered as if another value had been asked for, the segment with an empty list.
        var f = await shared.GetAsync();
        var period = Period.LastDays(30, QueryFixture.Today);
        var calls = new (string Field, Func<Task> Call)[]
        {
            ("sortBy", () => f.Erp.Queries.ProductsAsync(new ProductQuery { MerchantId = 1, SortBy = (ProductSort)99 })),
            ("direction", () => f.Erp.Queries.ProductsAsync(new ProductQuery { MerchantId = 1, Direction = (SortDirection)7 })),
            ("sortBy", () => f.Erp.Queries.CustomersAsync(new CustomerQuery { MerchantId = 1, SortBy = (CustomerSort)99 })),
            ("segment", () => f.Erp.Queries.CustomersAsync(new CustomerQuery { MerchantId = 1, Segment = (CustomerSegment)99 })),
            ("sortBy", () => f.Erp.Queries.InventoryAsync(new InventoryQuery { MerchantId = 1, SortBy = (InventorySort)99 })),
            ("groupBy", () => f.Erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = period, GroupBy = (SalesGrouping)99 })),
            ("granularity", () => f.Erp.Queries.TrendsAsync(new TrendQuery { MerchantId = 1, Period = period, Grain = (Granularity)99 })),
        };

        foreach (var (field, call) in calls)
        {
            var error = await Assert.ThrowsAsync<QueryValidationException>(call);
            Assert.Equal(field, error.Field);
            Assert.Contains("must be", error.Message, StringComparison.Ordinal);
        }
        // One message for all of them, the members spelled as the CLI and JSON spell them.
        var funnel = await Assert.ThrowsAsync<QueryValidationException>(() => f.Erp.Queries.FunnelAsync(new FunnelQuery { MerchantId = 1, Period = period, Grain = (Granularity)7 }));
        Assert.Equal(("grain", "grain must be day, week or month; got 7."), (funnel.Field, funnel.Message));
        // The defined values still answer.
        Assert.NotEmpty((await f.Erp.Queries.CustomersAsync(new CustomerQuery { MerchantId = 1, Segment = CustomerSegment.New })).Data.Customers);
    }

    [Fact]
    public async Task Inventory_statuses_follow_available_stock_and_the_threshold()
    {
        var f = await shared.GetAsync();

        var merchant1 = (await f.Erp.Queries.InventoryAsync(new InventoryQuery { MerchantId = 1 })).Data;
        var merchant2Out = (await f.Erp.Queries.InventoryAsync(new InventoryQuery { MerchantId = 2, Status = StockFilter.Out })).Data;
        var strict = (await f.Erp.Queries.InventoryAsync(new InventoryQuery { MerchantId = 1, Status = StockFilter.Low, Threshold = 200 })).Data;

        Assert.Equal(2, merchant1.Summary.TotalProducts);
        // Product 102: 30 available, safety stock 50: low. Product 101: 110 available over two warehouses.
        Assert.Equal(1, merchant1.Summary.LowStockProducts);
        Assert.Equal(110, merchant1.Products.Items.Single(p => p.ProductId == 101).CurrentStock);
        Assert.Equal("SKU-201", Assert.Single(merchant2Out.Products.Items).Sku);
        Assert.Equal(2, strict.Products.Total);
        await Assert.ThrowsAsync<QueryValidationException>(() => f.Erp.Queries.InventoryAsync(new InventoryQuery { MerchantId = 1, Threshold = -1 }));
        await Assert.ThrowsAsync<QueryValidationException>(() => f.Erp.Queries.InventoryAsync(new InventoryQuery { MerchantId = 1, Status = (StockFilter)9 }));
    }

    [Theory]
    [InlineData(StockFilter.All)]
    [InlineData(StockFilter.Low)]
    [InlineData(StockFilter.Out)]
    [InlineData(StockFilter.Overstock)]
    public async Task Inventory_page_total_counts_the_products_of_the_filter(StockFilter status)
    {
        var f = await shared.GetAsync();
        foreach (var merchant in new long[] { 1, 2 })
        {
            var report = (await f.Erp.Queries.InventoryAsync(new InventoryQuery { MerchantId = merchant, Status = status, OverstockDays = 5, Paging = new Paging(1, 500) })).Data;

            Assert.Equal(report.Products.Items.Count, report.Products.Total);
            Assert.All(report.Products.Items, p => Assert.True(status == StockFilter.All || string.Equals(p.Status, status.ToString(), StringComparison.OrdinalIgnoreCase), $"{p.Sku} is {p.Status}"));
        }
    }

    /// <summary>
    /// Overstock is the stock above the safety stock lasting more than 90 days of the last 30 days' sales, or not selling: a
    /// product that sells, kept just above a large safety stock, has many days of cover but is due to reorder, not overstocked,
    /// and no product is both. The summary's turnover is the products' cost sold over their stock value, a ratio of the sums.
    /// </summary>
    [Fact]
    public async Task Stock_above_its_safety_stock_that_does_not_sell_in_90_days_is_overstock_and_never_a_product_to_reorder()
    {
        await using var f = await QueryFixture.CreateAsync();
        var selling = await f.Db.ScalarAsync<long>("SELECT min(product_id) FROM mart.mv_inventory_summary WHERE merchant_id = 1 AND units_sold_30d > 1");
        await f.Db.ExecuteAsync($"""
            INSERT INTO dw.dim_products (product_id, merchant_id, sku, product_name, category_id, unit_cost, safety_stock)
            VALUES (103, 1, 'SKU-DEAD', 'Dead stock', 1, 3, 5), (104, 1, 'SKU-THIN', 'Thin stock', 1, 3, 5);
            INSERT INTO dw.fact_inventory (merchant_id, product_id, warehouse_code, quantity_on_hand, safety_stock, average_unit_cost)
            VALUES (1, 103, 'default', 60, 5, 3), (1, 104, 'default', 4, 5, 3);
            -- The selling product kept one unit above a safety stock of 100 times its month's sales: years of cover in all.
            UPDATE dw.fact_inventory AS i SET safety_stock = CASE WHEN i.warehouse_code = 'default' THEN s.units_sold_30d * 100 ELSE 0 END, quantity_incoming = 0,
                   quantity_on_hand = i.quantity_reserved + CASE WHEN i.warehouse_code = 'default' THEN s.units_sold_30d * 100 + 1 ELSE 0 END
              FROM mart.mv_inventory_summary AS s
             WHERE i.merchant_id = 1 AND i.product_id = {selling} AND s.merchant_id = 1 AND s.product_id = i.product_id;
            SELECT ops.refresh_view('mart.mv_inventory_summary', 'test');
            """);

        var report = (await f.Erp.Queries.InventoryAsync(new InventoryQuery { MerchantId = 1, Paging = new Paging(1, 500) })).Data;

        Assert.Equal("overstock", report.Products.Items.Single(p => p.Sku == "SKU-DEAD").Status);
        Assert.Equal("low", report.Products.Items.Single(p => p.Sku == "SKU-THIN").Status);
        var kept = report.Products.Items.Single(p => p.ProductId == selling);
        Assert.True(kept.DaysOfCover > 90, $"{kept.DaysOfCover}");
        Assert.Equal("normal", kept.Status);
        Assert.True(kept.SuggestedReorder > 0, $"{kept.SuggestedReorder}");
        Assert.DoesNotContain(report.Products.Items, p => p.Status == "overstock" && p.SuggestedReorder > 0);
        Assert.Equal(await f.Db.ScalarAsync<long>("""
            SELECT count(*) FROM mart.mv_inventory_summary
             WHERE merchant_id = 1 AND quantity_available > safety_stock
               AND (units_sold_30d = 0 OR (quantity_available - safety_stock) * 30.0 / units_sold_30d > 90)
            """), report.Summary.OverstockProducts);
        Assert.Equal(await f.Db.ScalarAsync<decimal>("SELECT round(sum(cost_sold_30d) / sum(inventory_value_cny), 4) FROM mart.mv_inventory_summary WHERE merchant_id = 1"),
            report.Summary.AverageTurnoverRate);
    }

    [Theory]
    [InlineData(Granularity.Day)]
    [InlineData(Granularity.Week)]
    [InlineData(Granularity.Month)]
    public async Task Trend_buckets_add_up_to_the_period_total(Granularity granularity)
    {
        var f = await shared.GetAsync();
        var period = Period.LastDays(30, QueryFixture.Today);

        var trend = (await f.Erp.Queries.TrendsAsync(new TrendQuery { MerchantId = 1, Period = period, Grain = granularity })).Data;

        Assert.Equal(await f.Db.ScalarAsync<decimal>(
            "SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND order_date >= CURRENT_DATE - 29 AND dw.is_valid_sale(status)"),
            trend.Series.Sum(p => p.Revenue));
        Assert.Contains(trend.Direction, new[] { "up", "down", "flat" });
        Assert.True(trend.Series.Zip(trend.Series.Skip(1)).All(p => p.First.Bucket < p.Second.Bucket));
    }

    [Fact]
    public async Task A_day_without_orders_is_a_bucket_at_zero_its_change_is_minus_one_and_the_change_from_it_is_null()
    {
        await using var f = await QueryFixture.CreateAsync();
        // Merchant 1 sold every day; take the orders of 10 days ago away, so that day has no row in the daily sales.
        await f.Db.ExecuteAsync("DELETE FROM dw.fact_sales_orders WHERE merchant_id = 1 AND order_date = CURRENT_DATE - 10");
        await f.Db.ExecuteAsync("CALL ops.refresh_all('test')");
        var today = QueryFixture.Today;

        var trend = (await f.Erp.Queries.TrendsAsync(new TrendQuery { MerchantId = 1, Period = new Period(today.AddDays(-12), today.AddDays(-8)), Grain = Granularity.Day })).Data;

        Assert.Equal([today.AddDays(-12), today.AddDays(-11), today.AddDays(-10), today.AddDays(-9), today.AddDays(-8)], trend.Series.Select(p => p.Bucket));
        var empty = trend.Series.Single(p => p.Bucket == today.AddDays(-10));
        // No orders, no average: AOV null, as in every command.
        Assert.Equal((0m, 0L, (decimal?)null, 0m), (empty.Revenue, empty.Orders, empty.Aov, empty.NetProfit));
        // A drop to nothing is -100%; from nothing there is no change (nothing to divide by), not one against an older day; AOV has none either way.
        Assert.Equal(((decimal?)-1m, (decimal?)-1m, (decimal?)null), (empty.RevenueChange, empty.OrdersChange, empty.AovChange));
        var afterGap = trend.Series.Single(p => p.Bucket == today.AddDays(-9));
        Assert.Equal((null, null, null), (afterGap.RevenueChange, afterGap.OrdersChange, afterGap.AovChange));
        // The next day's change is against the day just before, as the facts give it.
        var revenue = await f.Db.ScalarAsync<decimal>("""
            SELECT round((sum(gmv_cny) FILTER (WHERE order_date = CURRENT_DATE - 8) - sum(gmv_cny) FILTER (WHERE order_date = CURRENT_DATE - 9))
                         / sum(gmv_cny) FILTER (WHERE order_date = CURRENT_DATE - 9), 6)
              FROM dw.fact_sales_orders WHERE merchant_id = 1 AND dw.is_valid_sale(status)
            """);
        Assert.Equal(revenue, trend.Series.Single(p => p.Bucket == today.AddDays(-8)).RevenueChange);
    }

    [Fact]
    public async Task By_week_a_quiet_week_is_a_point_at_zero_its_change_minus_one_and_the_next_weeks_change_null()
    {
        await using var f = await QueryFixture.CreateAsync();
        await QuietDaysDataset.LoadAsync(f.Db);
        var monday = QuietDaysDataset.Monday;
        var period = new Period(monday, monday.AddDays(20));

        var trend = (await f.Erp.Queries.TrendsAsync(new TrendQuery { MerchantId = QuietDaysDataset.Merchant, Period = period, Grain = Granularity.Week })).Data;

        Assert.Equal([monday, monday.AddDays(7), monday.AddDays(14)], trend.Series.Select(p => p.Bucket));
        Assert.All(trend.Series, p => Assert.True(p.Complete));
        var (first, quiet, next) = (trend.Series[0], trend.Series[1], trend.Series[2]);
        Assert.Equal((350m, 4L), (first.Revenue, first.Orders));
        Assert.Equal((0m, 0L, (decimal?)null, 0m), (quiet.Revenue, quiet.Orders, quiet.Aov, quiet.NetProfit));
        Assert.Equal(((decimal?)-1m, (decimal?)-1m, (decimal?)null), (quiet.RevenueChange, quiet.OrdersChange, quiet.AovChange));
        Assert.Equal((120m, 2L), (next.Revenue, next.Orders));
        Assert.Equal((null, null, null), (next.RevenueChange, next.OrdersChange, next.AovChange));
        Assert.Equal(await f.Db.ScalarAsync<decimal>($"""
            SELECT sum(gmv_cny) FROM dw.fact_sales_orders
             WHERE merchant_id = 3 AND order_date BETWEEN '{period.Start:yyyy-MM-dd}' AND '{period.End:yyyy-MM-dd}' AND dw.is_valid_sale(status)
            """), trend.Series.Sum(p => p.Revenue));
        // Halves of the complete weeks: the first week against the last (the middle one is in neither).
        Assert.Equal(Math.Round((120m - 350m) / 350m, 6, MidpointRounding.AwayFromZero), trend.ChangeRate);
    }

    [Fact]
    public async Task A_forecast_over_quiet_days_counts_each_day_once_at_its_value_or_zero()
    {
        await using var f = await QueryFixture.CreateAsync();
        await QuietDaysDataset.LoadAsync(f.Db);
        var monday = QuietDaysDataset.Monday;
        // A day before the first sale, then 21 days from it: the day before is no history and is not fitted.
        var period = new Period(monday.AddDays(-1), monday.AddDays(20));

        var trend = (await f.Erp.Queries.TrendsAsync(new TrendQuery { MerchantId = QuietDaysDataset.Merchant, Period = period, Grain = Granularity.Day, Forecast = 3 })).Data;

        Assert.Equal(22 + 3, trend.Series.Count);
        Assert.Equal(period.Days, trend.Series.Count(p => !p.Forecast));
        Assert.Equal((21, monday, monday.AddDays(20)), (trend.Forecast!.FittedBuckets, trend.Forecast.FittedFrom, trend.Forecast.FittedTo));
        var forecast = trend.Series.Where(p => p.Forecast).ToList();
        for (var i = 0; i < 3; i++)
        {
            // x = the day's index among the period's days (the day before the first sale is index 0).
            var expected = await f.Db.ScalarAsync<double>($"""
                WITH days AS (SELECT d::date AS day FROM generate_series('{monday:yyyy-MM-dd}'::date, '{monday.AddDays(20):yyyy-MM-dd}'::date, interval '1 day') AS d),
                     revenue AS (SELECT order_date, sum(gmv_cny) AS r FROM dw.fact_sales_orders WHERE merchant_id = 3 AND dw.is_valid_sale(status) GROUP BY order_date)
                SELECT regr_intercept(coalesce(r, 0)::float8, (day - '{period.Start:yyyy-MM-dd}'::date)::float8)
                       + regr_slope(coalesce(r, 0)::float8, (day - '{period.Start:yyyy-MM-dd}'::date)::float8) * {22 + i}
                  FROM days LEFT JOIN revenue ON order_date = day
                """);
            Assert.Equal(Math.Max(0, expected), (double)forecast[i].Revenue, 0.006);
        }
    }

    [Fact]
    public async Task Months_before_the_first_sale_change_neither_the_direction_nor_the_forecast_of_a_trend()
    {
        var f = await shared.GetAsync();
        var firstSale = DateOnly.FromDateTime(await f.Db.ScalarAsync<DateTime>(
            "SELECT min(order_date)::timestamp FROM dw.fact_sales_orders WHERE merchant_id = 1 AND dw.is_valid_sale(status)"));
        var end = QueryFixture.Today;
        var monday = firstSale.AddDays(-(((int)firstSale.DayOfWeek + 6) % 7));
        var fromFirstDay = new TrendQuery { MerchantId = 1, Period = new Period(monday, end), Grain = Granularity.Week, Forecast = 2 };

        var exact = (await f.Erp.Queries.TrendsAsync(fromFirstDay)).Data;
        var wider = (await f.Erp.Queries.TrendsAsync(fromFirstDay with { Period = new Period(firstSale.AddMonths(-6), end) })).Data;

        Assert.Equal((exact.Direction, exact.ChangeRate), (wider.Direction, wider.ChangeRate));
        Assert.Equal(exact.Forecast!.FittedBuckets, wider.Forecast!.FittedBuckets);
        Assert.Equal(exact.Series.Where(p => p.Forecast).Select(p => p.Revenue), wider.Series.Where(p => p.Forecast).Select(p => p.Revenue));
    }

    [Fact]
    public async Task Active_customers_ordered_within_exactly_the_last_period_days_today_included()
    {
        var f = await shared.GetAsync();
        var lastOrderDays = await f.Db.ScalarAsync<long>(
            "SELECT count(DISTINCT order_date) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND order_date > CURRENT_DATE - 60");
        Assert.True(lastOrderDays >= 2, "the fixture needs orders on two days of the last 60 for a window's edge to matter");

        foreach (var days in new[] { 1, 2, 3, 7, 14, 30, 59 })
        {
            var active = (await f.Erp.Queries.CustomersAsync(new CustomerQuery { MerchantId = 1, PeriodDays = days })).Data.Summary.ActiveCustomers;

            // The window meta.period shows: the days from today - (days - 1) to today.
            Assert.Equal(await f.Db.ScalarAsync<long>(
                "SELECT count(DISTINCT customer_id) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND dw.is_valid_sale(status) "
                + $"AND order_date BETWEEN CURRENT_DATE - {days - 1} AND CURRENT_DATE"), active);
        }
    }

    [Theory]
    [InlineData(ReportType.Daily, 3)]
    [InlineData(ReportType.Weekly, 14)]
    [InlineData(ReportType.Monthly, 35)]
    public async Task A_reports_active_customers_are_those_who_ordered_in_its_period_not_in_the_days_before_today(ReportType type, int daysAgo)
    {
        var f = await shared.GetAsync();

        var report = (await f.Erp.Queries.ReportAsync(new ReportQuery { MerchantId = 1, Type = type, Date = QueryFixture.Today.AddDays(-daysAgo) })).Data;

        var ordered = await f.Db.ScalarAsync<long>(
            "SELECT count(DISTINCT customer_id) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND dw.is_valid_sale(status) "
            + $"AND order_date BETWEEN '{report.Period.Start:yyyy-MM-dd}' AND '{report.Period.End:yyyy-MM-dd}'");
        Assert.True(report.Period.End < QueryFixture.Today && ordered > 0);
        Assert.Equal(ordered, report.Customers.ActiveCustomers);
    }

    [Theory]
    [InlineData(ReportType.Weekly, 14)]
    [InlineData(ReportType.Monthly, 35)]
    public async Task A_past_periods_report_owes_what_was_owed_at_its_end_as_receivables_aged_as_of_that_day(ReportType type, int daysAgo)
    {
        var f = await shared.GetAsync();

        var report = (await f.Erp.Queries.ReportAsync(new ReportQuery { MerchantId = 1, Type = type, Date = QueryFixture.Today.AddDays(-daysAgo) })).Data;
        var then = (await f.Erp.Queries.ReceivablesAsync(new Erp.Db.Queries.Receivables.ReceivableQuery { MerchantId = 1, AsOf = report.Period.End })).Data.Totals;
        var today = (await f.Erp.Queries.FinanceAsync(new FinanceQuery { MerchantId = 1, Period = new Period(report.Period.Start, report.Period.End) })).Data.Totals;

        Assert.Equal((then.OutstandingCny, then.OverdueCny, then.OverdueCount), (report.Finance.Outstanding, report.Finance.Overdue, report.Finance.OverdueCount));
        // What is owed today differs in this data: the report would otherwise pass showing today's.
        Assert.NotEqual((today.Outstanding, today.Overdue), (report.Finance.Outstanding, report.Finance.Overdue));
    }

    [Fact]
    public async Task Finance_totals_match_receivables_receipts_and_expenses()
    {
        var f = await shared.GetAsync();
        var period = new Period(QueryFixture.Today.AddDays(-60), QueryFixture.Today);

        var finance = (await f.Erp.Queries.FinanceAsync(new FinanceQuery { MerchantId = 1, Period = period })).Data;

        Assert.Equal(await f.Db.ScalarAsync<decimal>("SELECT sum(amount) FROM dw.fact_expenses WHERE merchant_id = 1"), finance.Totals.Expenses);
        Assert.Equal(await f.Db.ScalarAsync<decimal>("SELECT sum(amount) FROM dw.fact_payment_receipts WHERE merchant_id = 1"), finance.Totals.Receipts);
        Assert.Equal(600m, finance.Totals.Overdue);
        Assert.Equal(finance.Months.Sum(m => m.Revenue), finance.Totals.Revenue);
        Assert.Equal(await f.Db.ScalarAsync<decimal>($"""
            SELECT sum(round(fee * exchange_rate, 2)) FROM dw.fact_sales_orders
            CROSS JOIN LATERAL unnest(ARRAY[platform_commission, payment_fee, shipping_fee]) AS fee
            WHERE merchant_id = 1 AND order_date BETWEEN '{period.Start:yyyy-MM-dd}' AND '{period.End:yyyy-MM-dd}'
            """), finance.Totals.OrderFees);
        Assert.True(finance.Totals.OrderFees > 0);
        Assert.Equal(finance.Totals.Receipts - finance.Totals.Expenses - finance.Totals.OrderFees, finance.Totals.NetCashFlow);
    }

    [Fact]
    public async Task A_weekly_report_covers_monday_to_sunday_and_agrees_with_the_sales_query()
    {
        var f = await shared.GetAsync();
        // The week of this week's Sunday, as of the Monday after: the whole week, complete.
        var sunday = QueryFixture.Today.AddDays((7 - (int)QueryFixture.Today.DayOfWeek) % 7);
        var query = new ReportQuery { MerchantId = 1, Type = ReportType.Weekly, Date = sunday, AsOf = sunday.AddDays(1) };

        var report = await f.Erp.Queries.ReportAsync(query);
        var sales = await f.Erp.Queries.SalesAsync(new Erp.Db.Queries.Sales.SalesQuery { MerchantId = 1, Period = query.Period });

        Assert.Equal(DayOfWeek.Monday, report.Data.Period.Start.DayOfWeek);
        Assert.Equal(7, report.Data.Period.Days);
        Assert.True(report.Data.Complete);
        Assert.Equal(sales.Data.Metrics.Revenue, report.Data.Sales.Revenue);
        Assert.Equal(2, report.Data.Inventory.TotalProducts);
        Assert.Contains(report.Freshness, v => v.View == "mart.mv_inventory_summary");
    }

    [Theory]
    // Today (the as-of day) is not over: a daily report of it is not complete.
    [InlineData(ReportType.Daily, "2026-03-18", "2026-03-18", "2026-03-18", "2026-03-18", "2026-03-17", "2026-03-17", false)]
    [InlineData(ReportType.Daily, "2026-03-18", "2026-03-19", "2026-03-18", "2026-03-18", "2026-03-17", "2026-03-17", true)]
    [InlineData(ReportType.Weekly, "2026-03-18", "2026-03-18", "2026-03-16", "2026-03-18", "2026-03-09", "2026-03-11", false)]
    [InlineData(ReportType.Monthly, "2026-03-18", "2026-03-18", "2026-03-01", "2026-03-18", "2026-02-01", "2026-02-18", false)]
    // The date, not today, ends a running period: yesterday's date gives the complete days to yesterday.
    [InlineData(ReportType.Monthly, "2026-03-17", "2026-03-18", "2026-03-01", "2026-03-17", "2026-02-01", "2026-02-17", false)]
    [InlineData(ReportType.Weekly, "2026-03-17", "2026-03-18", "2026-03-16", "2026-03-17", "2026-03-09", "2026-03-10", false)]
    // A complete month against the whole month before, whatever their lengths.
    [InlineData(ReportType.Monthly, "2026-03-18", "2026-04-15", "2026-03-01", "2026-03-31", "2026-02-01", "2026-02-28", true)]
    [InlineData(ReportType.Monthly, "2026-11-15", "2026-12-03", "2026-11-01", "2026-11-30", "2026-10-01", "2026-10-31", true)]
    [InlineData(ReportType.Monthly, "2026-02-10", "2026-12-03", "2026-02-01", "2026-02-28", "2026-01-01", "2026-01-31", true)]
    // A month cut on its 30th against the same days of a shorter month: to its end.
    [InlineData(ReportType.Monthly, "2026-03-30", "2026-03-31", "2026-03-01", "2026-03-30", "2026-02-01", "2026-02-28", false)]
    public void A_report_of_a_running_period_covers_it_to_its_date_against_the_same_days_before(
        ReportType type, string date, string asOf, string start, string end, string comparedStart, string comparedEnd, bool complete)
    {
        var query = new ReportQuery { MerchantId = 1, Type = type, Date = DateOnly.Parse(date, CultureInfo.InvariantCulture), AsOf = DateOnly.Parse(asOf, CultureInfo.InvariantCulture) };

        Assert.Equal((DateOnly.Parse(start, CultureInfo.InvariantCulture), DateOnly.Parse(end, CultureInfo.InvariantCulture)), (query.Period.Start, query.Period.End));
        Assert.Equal((DateOnly.Parse(comparedStart, CultureInfo.InvariantCulture), DateOnly.Parse(comparedEnd, CultureInfo.InvariantCulture)), (query.ComparedTo.Start, query.ComparedTo.End));
        Assert.Equal(complete, query.Complete);
    }

    [Fact]
    public void A_report_of_a_day_after_today_is_refused_naming_the_date()
    {
        var query = new ReportQuery { MerchantId = 1, Type = ReportType.Monthly, Date = new DateOnly(2030, 1, 1), AsOf = new DateOnly(2026, 12, 3) };

        var error = Assert.Throws<QueryValidationException>(() => query.Period);

        Assert.Equal("date", error.Field);
        Assert.Contains("2030-01-01 is after today (2026-12-03)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_month_to_date_report_measures_growth_against_the_same_days_of_the_month_before()
    {
        var f = await shared.GetAsync();
        var today = QueryFixture.Today;
        var query = new ReportQuery { MerchantId = 1, Type = ReportType.Monthly, Date = today, AsOf = today };

        var report = (await f.Erp.Queries.ReportAsync(query)).Data;

        // The same days of last month, today's counterpart only up to now's time of day (docs/metrics.md).
        var compared = report.ComparedTo!;
        var sameDay = today.AddMonths(-1);
        Assert.Equal((new DateOnly(sameDay.Year, sameDay.Month, 1), sameDay), (compared.Start, compared.End));
        var previous = await LikeForLikeGrowthTests.WholeDaysAsync(f.Db, compared.Start, sameDay.AddDays(-1))
            + await LikeForLikeGrowthTests.SoFarAsync(f.Db, sameDay, compared.Through!.Value);
        Assert.Equal(new DateOnly(today.Year, today.Month, 1), report.Period.Start);
        Assert.Equal(today, report.Period.End);
        Assert.False(report.Complete);
        Assert.Equal(previous, report.Sales.PreviousRevenue);
    }
}
