using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Views;

public class LargeAmountTests
{
    [Fact]
    public async Task One_merchants_huge_but_valid_amounts_refresh_every_view_and_leave_other_merchants_figures_right()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        // Two orders the facts accept (gmv numeric(18,2)) whose day total is beyond numeric(18,2); a listing whose
        // estimated revenue is too; a target whose achievement rate is far beyond 1.
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_sales_orders (merchant_id, order_date, shop_id, order_no, status, item_count, gmv, cost_amount_cny, ordered_at)
            VALUES (2, CURRENT_DATE - 1, 21, 'huge-1', 'completed', 1, 6000000000000000, 0, now() - interval '1 day'),
                   (2, CURRENT_DATE - 1, 21, 'huge-2', 'completed', 1, 6000000000000000, 0, now() - interval '1 day');
            INSERT INTO dw.fact_product_metrics (merchant_id, shop_id, product_id, metric_date, price, sales_volume)
            VALUES (2, 21, 201, CURRENT_DATE - 1, 6000000000000000, 2);
            INSERT INTO dw.cfg_sales_targets (merchant_id, shop_id, metric, period_type, period_start, period_end, target_value)
            VALUES (2, 21, 'gmv_cny', 'month', CURRENT_DATE - 29, CURRENT_DATE, 10);
            """);
        var before = await db.ScalarAsync<long>("SELECT max(log_id) FROM ops.mv_refresh_log");

        await db.ExecuteAsync("CALL ops.refresh_all('test')");

        Assert.Equal("", await db.ScalarAsync<string>($"SELECT coalesce(string_agg(view_name || ': ' || error_message, '; '), '') FROM ops.mv_refresh_log WHERE log_id > {before} AND status <> 'succeeded'"));
        Assert.Equal(WarehouseViews.Count, await db.ScalarAsync<long>($"SELECT count(*) FROM ops.mv_refresh_log WHERE log_id > {before} AND status = 'succeeded' AND view_name LIKE 'mart.mv\\_%'"));
        // The day's regular order (gmv 101) is still counted.
        Assert.Equal(12_000_000_000_000_101m, await db.ScalarAsync<decimal>("SELECT gmv_cny FROM mart.mv_daily_sales WHERE merchant_id = 2 AND shop_id = 21 AND sales_date = CURRENT_DATE - 1"));
        Assert.Equal(12_000_000_000_000_000m, await db.ScalarAsync<decimal>("SELECT estimated_revenue_cny FROM mart.mv_product_management WHERE merchant_id = 2 AND shop_id = 21 AND product_id = 201 AND metric_date = CURRENT_DATE - 1"));
        Assert.True(await db.ScalarAsync<decimal>("SELECT actual_value FROM mart.target_achievement WHERE merchant_id = 2 AND shop_id = 21 AND metric = 'gmv_cny'") > 12_000_000_000_000_000m);
        foreach (var (view, column, fact) in new[]
        {
            ("mart.mv_daily_sales", "gmv_cny", "gmv_cny"),
            ("mart.mv_weekly_sales", "net_profit_cny", "net_profit_cny"),
            ("mart.mv_monthly_sales", "gross_profit_cny", "gross_profit_cny"),
            ("mart.mv_profit_analysis", "gmv_cny", "gmv_cny"),
            ("mart.mv_financial_overview", "gmv_cny", "gmv_cny"),
        })
        {
            Assert.Equal(
                await db.ScalarAsync<decimal>($"SELECT sum({fact}) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND dw.is_valid_sale(status)"),
                await db.ScalarAsync<decimal>($"SELECT sum({column}) FROM {view} WHERE merchant_id = 1"));
        }
        Assert.Equal(
            await db.ScalarAsync<decimal>("SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE merchant_id = 1 AND order_date >= CURRENT_DATE - 29 AND dw.is_valid_sale(status)"),
            await db.ScalarAsync<decimal>("SELECT actual_value FROM mart.target_achievement WHERE merchant_id = 1"));
    }
}
