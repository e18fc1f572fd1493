using Erp.Db.Migrations;
using Erp.Db.Queries;
using Erp.Db.Queries.Alerts;
using Erp.Db.Queries.Campaigns;
using Erp.Db.Queries.Customers;
using Erp.Db.Queries.Finance;
using Erp.Db.Queries.Inventory;
using Erp.Db.Queries.Products;
using Erp.Db.Queries.Receivables;
using Erp.Db.Queries.Sales;
using Erp.Db.Queries.Targets;
using Erp.Db.Queries.Trends;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Queries;

public class QueryFileTests
{
    [Fact]
    public void Query_files_are_embedded_but_never_migration_scripts()
    {
        var resources = typeof(ErpDatabase).Assembly.GetManifestResourceNames();

        Assert.Contains("sql/queries/sales_totals.sql", resources);
        Assert.DoesNotContain(ScriptCatalog.Embedded().Scripts, s => s.Name.StartsWith("queries/", StringComparison.Ordinal));
        using var folder = new ScriptFolder().Write("migrations/0001_a.sql", "SELECT 1").Write("queries/q.sql", "SELECT :x");
        Assert.Equal(["migrations/0001_a.sql"], folder.Catalog().Scripts.Select(s => s.Name));
    }

    [Fact]
    public void Parameters_become_npgsql_parameters_and_casts_stay()
    {
        var sql = QuerySql.Text("sales_totals");

        Assert.Contains("BETWEEN @start::date AND @end::date", sql, StringComparison.Ordinal);
        Assert.DoesNotContain(":start", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("@date", sql, StringComparison.Ordinal);
        Assert.Contains("ORDER BY order_count DESC, customer_id", CustomerSql.Report(CustomerSort.Orders), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_query_reports_freshness_for_registered_views_it_reads()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var registered = (await db.ScalarAsync<string[]>("SELECT array_agg(view_name) FROM ops.mv_registry")) ?? [];

        Assert.Equal(["mart.mv_daily_sales", "mart.mv_hourly_sales", "mart.mv_product_sales_daily", "mart.mv_top_products"], SalesSql.Views);
        Assert.Equal(["mart.mv_inventory_summary", "mart.mv_product_management"], ProductSql.Views);
        Assert.Equal(["mart.mv_customer_segments"], CustomerSql.Views);
        Assert.Equal(["mart.mv_inventory_summary"], InventorySql.Views);
        Assert.Equal(["mart.mv_daily_sales"], TrendSql.Views);
        Assert.Equal(["mart.mv_financial_daily"], FinanceSql.Views);
        Assert.Empty(ReceivableSql.Views);
        Assert.Empty(AlertSql.Views);
        Assert.Equal(["mart.mv_customer_segments", "mart.mv_daily_sales"], TargetSql.Views);
        Assert.Equal(["mart.mv_daily_sales"], CampaignSql.Views);
        Assert.Equal(["mart.mv_customer_cohorts", "mart.mv_user_activity_daily"], Erp.Db.Queries.Users.UserSql.Views);
        Assert.Equal(["mart.mv_traffic_funnel_daily"], Erp.Db.Queries.Funnel.FunnelSql.Views);
        Assert.Equal(["mart.mv_daily_sales", "mart.mv_product_sales_daily", "mart.mv_profit_analysis", "mart.mv_weekly_sales"], Erp.Db.Queries.Profit.ProfitSql.Views);
        Assert.All(SalesSql.Views.Concat(ProductSql.Views).Concat(CustomerSql.Views).Concat(InventorySql.Views).Concat(FinanceSql.Views)
                .Concat(TargetSql.Views).Concat(CampaignSql.Views).Concat(Erp.Db.Queries.Users.UserSql.Views)
                .Concat(Erp.Db.Queries.Funnel.FunnelSql.Views).Concat(Erp.Db.Queries.Profit.ProfitSql.Views),
            v => Assert.Contains(v, registered));
    }
}
