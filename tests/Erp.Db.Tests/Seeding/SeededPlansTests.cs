using Erp.Db.Seeding;
using Erp.Db.Seeding.Generation;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Seeding;

/// <summary>The demo's plans: monthly sales targets and festival campaigns, set from the seeded sales and reported by the C-class results.</summary>
[Collection(SharesSmallSeed.Name)]
public class SeededPlansTests(SmallSeed seed)
{
    [Fact]
    public async Task The_seeders_rule_of_what_counts_as_a_sale_is_the_warehouses_for_every_status_it_writes()
    {
        var statuses = (await seed.Db.ScalarAsync<string>("SELECT string_agg(DISTINCT status || '=' || dw.is_valid_sale(status), ',') FROM dw.fact_sales_orders"))!.Split(',');

        Assert.Contains("refunded=false", statuses);
        Assert.All(statuses, s => Assert.Equal(s.Split('=')[1] == "true", Erp.Db.Seeding.Generation.SalesSummary.IsValidSale(s.Split('=')[0])));
    }

    [Fact]
    public async Task Seed_sets_a_target_per_month_from_the_month_before_and_the_results_report_every_one()
    {
        var db = seed.Db; // 2025-01-01..2025-12-31, 2 merchants of 4 shops

        // Every month after the first: a GMV target per merchant, an orders target per shop.
        Assert.Equal(2 * 11L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.cfg_sales_targets WHERE shop_id IS NULL AND metric = 'gmv_cny' AND period_type = 'month'"));
        Assert.Equal(8 * 11L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.cfg_sales_targets WHERE shop_id IS NOT NULL AND metric = 'orders' AND period_type = 'month'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.cfg_sales_targets WHERE period_start = '2025-01-01'"));
        // Each GMV target is the month before's daily GMV (valid sales, in CNY, from the facts) over the month's
        // days, plus 2-15 % growth, in hundreds.
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*)
            FROM dw.cfg_sales_targets AS t
            CROSS JOIN LATERAL (
                SELECT sum(o.gmv * o.exchange_rate) / ((t.period_start - 1) - date_trunc('month', t.period_start - 1)::date + 1)
                       * (t.period_end - t.period_start + 1) AS at_last_rate
                FROM dw.fact_sales_orders AS o
                WHERE o.merchant_id = t.merchant_id AND dw.is_valid_sale(o.status)
                  AND o.order_date BETWEEN date_trunc('month', t.period_start - 1)::date AND t.period_start - 1
            ) AS b
            WHERE t.metric = 'gmv_cny' AND t.target_value NOT BETWEEN b.at_last_rate * 1.02 - 50 AND b.at_last_rate * 1.15 + 50
            """));
        // The results hold every target and every campaign.
        Assert.Equal(110L, await db.ScalarAsync<long>("SELECT count(*) FROM mart.target_achievement"));
        Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM dw.cfg_sales_campaigns"), await db.ScalarAsync<long>("SELECT count(*) FROM mart.campaign_results"));
    }

    [Fact]
    public async Task Seed_runs_a_campaign_per_merchant_and_festival_and_its_gmv_is_the_windows_valid_sales()
    {
        var db = seed.Db;

        Assert.Equal("1:618-2025,BFCM-2025,D11-2025,D12-2025|2:618-2025,BFCM-2025,D11-2025,D12-2025", await db.ScalarAsync<string>("""
            SELECT string_agg(codes, '|' ORDER BY merchant_id) FROM (
                SELECT merchant_id, merchant_id || ':' || string_agg(campaign_code, ',' ORDER BY campaign_code) AS codes
                FROM dw.cfg_sales_campaigns WHERE status = 'finished' GROUP BY merchant_id) AS m
            """));
        Assert.Equal("2025-11-28..2025-12-01", await db.ScalarAsync<string>(
            "SELECT DISTINCT start_date || '..' || end_date FROM dw.cfg_sales_campaigns WHERE campaign_code = 'BFCM-2025'"));
        // What `erpdb campaigns` reports, asked of the orders themselves.
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*)
            FROM mart.campaign_results AS r
            WHERE r.gmv_cny IS DISTINCT FROM (
                SELECT sum(o.gmv_cny) FROM dw.fact_sales_orders AS o
                WHERE o.merchant_id = r.merchant_id AND o.order_date BETWEEN r.start_date AND r.end_date AND dw.is_valid_sale(o.status))
               OR r.target_gmv_cny <= 0 OR r.budget_cny NOT BETWEEN r.target_gmv_cny * 0.08 - 50 AND r.target_gmv_cny * 0.2 + 50
            """));
    }

    [Fact]
    public void The_festival_campaign_windows_are_exactly_the_promotion_days()
    {
        for (var year = 2024; year <= 2030; year++)
        {
            var windows = DemandCalendar.Festivals(year)
                .SelectMany(f => Enumerable.Range(0, f.End.DayNumber - f.Start.DayNumber + 1).Select(f.Start.AddDays))
                .ToList();
            var promotions = Enumerable.Range(0, DateTime.IsLeapYear(year) ? 366 : 365)
                .Select(new DateOnly(year, 1, 1).AddDays)
                .Where(DemandCalendar.IsPromotion)
                .ToList();
            Assert.Equal(promotions, windows);
        }
    }
}
