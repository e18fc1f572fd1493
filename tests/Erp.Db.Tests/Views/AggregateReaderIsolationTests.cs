using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Views;

/// <summary>
/// The incremental aggregates (plain tables) scope readers by row level security, and their reader
/// views are plain security_invoker views: what each changed object shows a reader of merchant 2,
/// and that the refresh functions (the owner's path) still write every merchant's rows.
/// </summary>
public class AggregateReaderIsolationTests
{
    [Fact]
    public async Task A_reader_of_one_merchant_sees_none_of_another_in_every_aggregate_and_its_reader_view()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await SalesDataset.AddTrafficAndActivityAsync(db);
        await db.ExecuteAsync("CALL ops.refresh_due('test')");
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await using var unscoped = await TestLogin.CreateAsync(db, "erp_reader");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 2)");

        var aggregates = await db.ScalarAsync<string[]>("SELECT array_agg(view_name ORDER BY view_name) FROM ops.mv_registry WHERE view_kind = 'incremental'");
        Assert.Contains("mart.mv_daily_sales", aggregates!);
        Assert.Contains("mart.mv_top_products", aggregates!);
        Assert.Contains("mart.mv_product_management", aggregates!);
        foreach (var table in aggregates!)
        {
            var view = table.Replace("mart.mv_", "mart.", StringComparison.Ordinal);
            Assert.True(await db.ScalarAsync<bool>($"""
                SELECT t.relrowsecurity
                   AND v.reloptions @> ARRAY['security_invoker=true'] AND NOT coalesce(v.reloptions @> ARRAY['security_barrier=true'], false)
                FROM pg_class AS t, pg_class AS v
                WHERE t.oid = '{table}'::regclass AND v.oid = '{view}'::regclass
                """), table);
            var expected = await db.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE merchant_id = 2");
            Assert.True(expected > 0, table);
            Assert.True(await db.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE merchant_id <> 2") > 0, table);
            foreach (var relation in new[] { table, view })
            {
                Assert.Equal(expected, await reader.ScalarAsync<long>($"SELECT count(*) FROM {relation}"));
                Assert.Equal(0, await reader.ScalarAsync<long>($"SELECT count(*) FROM {relation} WHERE merchant_id <> 2"));
                // A predicate that fails on another merchant's row: the policy is applied before it.
                Assert.Equal(expected, await reader.ScalarAsync<long>($"SELECT count(*) FROM {relation} WHERE 1 / (merchant_id - 1) <> 0"));
                // Naming a merchant the login is not granted scopes it to nothing.
                Assert.Equal(0, await reader.InTransactionAsync<long>("SELECT set_config('erp.merchant_id', '1', true)", $"SELECT count(*) FROM {relation}"));
                Assert.Equal(0, await unscoped.ScalarAsync<long>($"SELECT count(*) FROM {relation}"));
            }
        }
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.merchant_isolation_problems()"));
    }

    [Fact]
    public async Task The_refresh_run_by_a_writer_still_writes_every_merchants_rows_of_the_scoped_aggregates()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 2)");
        var gmvToday = await db.ScalarAsync<decimal>("SELECT coalesce(sum(gmv_cny), 0) FROM mart.mv_daily_sales WHERE merchant_id = 1 AND sales_date = CURRENT_DATE");

        // Merchant 1 sells once more; merchant 2's latest metrics of product 201 change.
        await SalesDataset.AddOrderAsync(db, "rls-1", 70m);
        await db.ExecuteAsync("""
            UPDATE dw.fact_product_metrics SET sales_volume = 9, price = 30
            WHERE merchant_id = 2 AND product_id = 201 AND metric_date = CURRENT_DATE
            """);
        foreach (var view in new[] { "mart.mv_daily_sales", "mart.mv_product_management" })
        {
            Assert.Equal("succeeded", await writer.ScalarAsync<string>($"SELECT status FROM ops.refresh_view('{view}', 'test')"));
        }

        Assert.Equal(gmvToday + 70m, await db.ScalarAsync<decimal>("SELECT sum(gmv_cny) FROM mart.mv_daily_sales WHERE merchant_id = 1 AND sales_date = CURRENT_DATE"));
        Assert.Equal("incremental", await db.ScalarAsync<string>("SELECT refresh_mode FROM ops.mv_refresh_log WHERE view_name = 'mart.mv_product_management' ORDER BY log_id DESC LIMIT 1"));
        Assert.Equal(540m, await reader.ScalarAsync<decimal>("SELECT sum(estimated_revenue_cny) FROM mart.product_management WHERE product_id = 201 AND is_latest"));
        Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_product_metrics WHERE metric_date >= CURRENT_DATE - 90"),
            await db.ScalarAsync<long>("SELECT count(*) FROM mart.mv_product_management"));
        Assert.Equal(0, await reader.ScalarAsync<long>("SELECT count(*) FROM mart.product_management WHERE merchant_id <> 2"));
    }

    [Fact]
    public async Task The_isolation_check_accepts_the_scoped_aggregates_and_catches_one_readers_reach_without_its_scope()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.merchant_isolation_problems()"));

        await db.ExecuteAsync("ALTER TABLE mart.mv_daily_sales DISABLE ROW LEVEL SECURITY");
        Assert.Equal("readable by erp_reader without row level security", await db.ScalarAsync<string>(
            "SELECT string_agg(problem, '; ') FROM ops.merchant_isolation_problems() WHERE object_name = 'mart.mv_daily_sales'"));

        await db.ExecuteAsync("ALTER TABLE mart.mv_daily_sales ENABLE ROW LEVEL SECURITY; CREATE POLICY everything ON mart.mv_top_products FOR SELECT TO erp_reader USING (true)");
        Assert.Equal("mart.mv_top_products: policy everything applies to readers but does not call ops.current_merchant_id()", await db.ScalarAsync<string>(
            "SELECT string_agg(object_name || ': ' || problem, '; ') FROM ops.merchant_isolation_problems()"));
    }
}
