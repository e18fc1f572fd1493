using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Warehouse;

namespace Erp.Db.Tests.Alerts;

public class CampaignResultTests
{
    [Fact]
    public async Task Campaign_achievement_and_roi_equal_the_same_question_asked_of_the_facts()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SampleData.InsertAsync(db);
        await db.ExecuteAsync("""
            UPDATE dw.fact_sales_orders SET cost_amount_cny = 20 WHERE order_id = 1;
            INSERT INTO dw.fact_sales_orders (merchant_id, order_id, order_date, shop_id, customer_id, order_no, status, gmv, ordered_at)
                VALUES (1, 5, '2026-03-03', 10, 1000, 'A-0005', 'cancelled', 70, '2026-03-03 10:00+08');
            SELECT ops.refresh_view('mart.mv_daily_sales', 'test');
            INSERT INTO dw.cfg_sales_campaigns (merchant_id, campaign_code, campaign_name, start_date, end_date, target_gmv_cny, budget_cny)
                VALUES (1, 'march', 'March', '2026-03-01', '2026-03-31', 300, 50),
                       (1, 'no-budget', 'No budget', '2026-04-01', '2026-04-30', NULL, NULL),
                       (2, 'b-march', 'B March', '2026-03-01', '2026-03-31', 1000, 100);
            """);

        var results = await db.ScalarAsync<string>("""
            SELECT string_agg(campaign_code || '|' || gmv_cny || '|' || gross_profit_cny || '|' || order_count || '|'
                              || coalesce(achievement_rate::text, '-') || '|' || coalesce(roi::text, '-'), ',' ORDER BY merchant_id, campaign_code)
            FROM mart.campaign_results
            """);
        var expected = await db.ScalarAsync<string>("""
            SELECT string_agg(c.campaign_code || '|' || s.gmv || '|' || s.gp || '|' || s.n || '|'
                              || coalesce(round(s.gmv / nullif(c.target_gmv_cny, 0), 6)::text, '-') || '|'
                              || coalesce(round((s.gp - c.budget_cny) / nullif(c.budget_cny, 0), 6)::text, '-'), ',' ORDER BY c.merchant_id, c.campaign_code)
            FROM dw.cfg_sales_campaigns AS c
            CROSS JOIN LATERAL (
                SELECT coalesce(sum(o.gmv_cny), 0.00) AS gmv, coalesce(sum(o.gross_profit_cny), 0.00) AS gp, count(*) AS n
                FROM dw.fact_sales_orders AS o
                WHERE o.merchant_id = c.merchant_id AND o.order_date BETWEEN c.start_date AND c.end_date AND dw.is_valid_sale(o.status)) AS s
            """);

        // March of merchant 1: GMV 150 of target 300; gross profit 130, budget 50: ROI (130 - 50) / 50 = 1.6.
        Assert.StartsWith("march|150.00|130.00|2|0.500000|1.600000,", results);
        Assert.Equal(expected, results);
    }
}
