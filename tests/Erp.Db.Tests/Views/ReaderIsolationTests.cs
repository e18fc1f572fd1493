using Erp.Db.Migrations;
using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.Views;

public class ReaderIsolationTests
{
    private static readonly string[] ReaderViews =
    [
        "daily_sales", "weekly_sales", "monthly_sales", "profit_analysis", "inventory_summary",
        "financial_daily", "financial_overview", "customer_segments", "product_sales_daily", "product_management",
    ];

    [Fact]
    public async Task A_scoped_reader_sees_only_its_merchant_in_every_reader_view_an_unscoped_one_none_and_no_materialized_view_itself()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        var scoped = $"reader_{Guid.NewGuid():N}"[..20];
        var unscoped = $"reader_{Guid.NewGuid():N}"[..20];
        await db.ExecuteAsync($"CREATE ROLE {scoped} LOGIN PASSWORD 'pw-{scoped}' IN ROLE erp_reader; CREATE ROLE {unscoped} LOGIN PASSWORD 'pw-{unscoped}' IN ROLE erp_reader");
        try
        {
            await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{scoped}', 2)");
            await using var scopedSource = Login(db, scoped);
            await using var unscopedSource = Login(db, unscoped);

            foreach (var view in ReaderViews)
            {
                var expected = await db.ScalarAsync<long>($"SELECT count(*) FROM mart.mv_{view} WHERE merchant_id = 2");
                Assert.True(expected > 0, view);
                Assert.Equal(expected, await Scalar<long>(scopedSource, $"SELECT count(*) FROM mart.{view}"));
                Assert.Equal(0, await Scalar<long>(scopedSource, $"SELECT count(*) FROM mart.{view} WHERE merchant_id <> 2"));
                Assert.Equal(0, await Scalar<long>(unscopedSource, $"SELECT count(*) FROM mart.{view}"));
                if (await db.ScalarAsync<bool>($"SELECT relkind = 'r' FROM pg_class WHERE oid = 'mart.mv_{view}'::regclass"))
                {
                    // An incremental aggregate: readers may read the table, under row level security.
                    Assert.Equal(expected, await Scalar<long>(scopedSource, $"SELECT count(*) FROM mart.mv_{view}"));
                    Assert.Equal(0, await Scalar<long>(unscopedSource, $"SELECT count(*) FROM mart.mv_{view}"));
                }
                else
                {
                    var denied = await Assert.ThrowsAsync<PostgresException>(() => Scalar<long>(scopedSource, $"SELECT count(*) FROM mart.mv_{view}"));
                    Assert.Equal("42501", denied.SqlState);
                }
            }
            Assert.Equal(1, await Scalar<long>(scopedSource, "SELECT count(*) FROM mart.target_achievement"));
            Assert.Equal(0, await Scalar<long>(unscopedSource, "SELECT count(*) FROM mart.target_achievement"));
            Assert.Equal(WarehouseViews.Count, await Scalar<long>(scopedSource, "SELECT count(*) FROM ops.view_freshness()"));
            Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.merchant_isolation_problems()"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await db.ExecuteAsync($"DELETE FROM ops.merchant_access WHERE role_name IN ('{scoped}', '{unscoped}'); DROP ROLE IF EXISTS {scoped}; DROP ROLE IF EXISTS {unscoped}");
        }
    }

    /// <summary>Relations readers may read that have no merchant_id: shared reference data, the same for every merchant.</summary>
    private static readonly string[] SharedReferenceRelations =
    [
        "dw.dim_channels", "dw.dim_currencies", "dw.dim_date", "dw.dim_platforms", "dw.dim_regions", "dw.dim_user_levels",
        "dw.fact_exchange_rates",
    ];

    [Fact]
    public async Task A_scoped_reader_sees_no_other_merchant_through_any_relation_it_can_select()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        // Merchant 2's receivable cancelled and reopened once: the reopenings hold a row the reader must not see.
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_receivable_reopenings (merchant_id, receivable_id, closed_as, closed_at, reopened_at)
            SELECT merchant_id, receivable_id, 'cancelled', now() - interval '9 days', now() - interval '8 days' FROM dw.fact_accounts_receivable WHERE merchant_id = 2
            """);
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 1)");

        // Every relation the login may select from, in any schema it may use: a view, table or
        // materialized view added later, however it was granted, is enumerated here too.
        var relations = new List<(string Name, bool HasMerchant)>();
        await using (var command = reader.DataSource.CreateCommand("""
            SELECT format('%I.%I', n.nspname, c.relname),
                   EXISTS (SELECT 1 FROM pg_attribute AS a WHERE a.attrelid = c.oid AND a.attname = 'merchant_id' AND NOT a.attisdropped)
            FROM pg_class AS c
            JOIN pg_namespace AS n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'
              AND has_schema_privilege(n.oid, 'USAGE')
              AND has_any_column_privilege(c.oid, 'SELECT')
            ORDER BY 1
            """))
        await using (var rows = await command.ExecuteReaderAsync())
        {
            while (await rows.ReadAsync())
            {
                relations.Add((rows.GetString(0), rows.GetBoolean(1)));
            }
        }

        Assert.Contains(("mart.daily_sales", true), relations);
        Assert.Contains(("dw.fact_sales_orders", true), relations);
        Assert.Equal(SharedReferenceRelations, relations.Where(r => !r.HasMerchant).Select(r => r.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_receivable_reopenings WHERE merchant_id = 2"));
        var otherMerchantRowsForOwner = 0L;
        foreach (var (name, _) in relations.Where(r => r.HasMerchant))
        {
            Assert.Equal(0, await reader.ScalarAsync<long>($"SELECT count(*) FROM {name} WHERE merchant_id IS DISTINCT FROM 1"));
            otherMerchantRowsForOwner += await db.ScalarAsync<long>($"SELECT count(*) FROM {name} WHERE merchant_id IS DISTINCT FROM 1");
        }
        Assert.True(otherMerchantRowsForOwner > 0, "the data holds rows of merchant 2 that the reader must not see");
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.merchant_isolation_problems()"));
    }

    [Fact]
    public async Task Readers_get_freshness_of_what_they_read_but_not_the_status_that_shows_other_merchants_activity()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await using var app = await TestLogin.CreateAsync(db, "erp_reader");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 1); SELECT ops.grant_merchant_access('{app.Name}', NULL)");
        await SalesDataset.AddOrderAsync(db, "pending-1", 10m);

        var status = await Assert.ThrowsAsync<PostgresException>(() => reader.ScalarAsync<long>("SELECT count(*) FROM ops.view_status()"));
        var toRefresh = await Assert.ThrowsAsync<PostgresException>(() => reader.ScalarAsync<long>("SELECT count(*) FROM ops.views_to_refresh()"));
        var freshness = await reader.ScalarAsync<long>("SELECT count(*) FROM ops.view_freshness() WHERE last_refresh_at IS NOT NULL AND age IS NOT NULL AND NOT is_failing");
        var readerDirty = await reader.ScalarAsync<long>("SELECT count(*) FROM ops.view_freshness() WHERE is_dirty IS NOT NULL");
        var appDirty = await app.ScalarAsync<bool>("SELECT is_dirty FROM ops.view_freshness() WHERE view_name = 'mart.mv_daily_sales'");
        var ownerDirty = await db.ScalarAsync<bool>("SELECT is_dirty FROM ops.view_freshness() WHERE view_name = 'mart.mv_daily_sales'");
        await db.ExecuteAsync("REVOKE SELECT ON mart.weekly_sales, mart.mv_weekly_sales FROM erp_reader");
        var withoutWeekly = await reader.ScalarAsync<long>("SELECT count(*) FROM ops.view_freshness() WHERE view_name = 'mart.mv_weekly_sales'");
        // A view over it under another name than its reader view's: found in the catalog (ops.view_read_through_view), for that login only.
        await db.ExecuteAsync($"CREATE VIEW mart.weekly_sales_weeks AS SELECT count(*) AS weeks FROM mart.mv_weekly_sales; GRANT SELECT ON mart.weekly_sales_weeks TO {reader.Name}");
        var throughOtherView = await reader.ScalarAsync<long>("SELECT count(*) FROM ops.view_epochs(ARRAY['mart.mv_weekly_sales', 'mart.mv_monthly_sales'])");
        var appWithoutWeekly = await app.ScalarAsync<long>("SELECT count(*) FROM ops.view_epochs(ARRAY['mart.mv_weekly_sales', 'mart.mv_monthly_sales'])");
        // A view of the login's own over it is not one: PostgreSQL checks its SELECT only when it is read.
        var appThroughOwnView = await app.InTransactionAsync<long>("CREATE TEMP VIEW peek AS SELECT 1 FROM mart.mv_weekly_sales",
            "SELECT count(*) FROM ops.view_epochs(ARRAY['mart.mv_weekly_sales', 'mart.mv_monthly_sales'])");

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, status.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, toRefresh.SqlState);
        Assert.Equal(WarehouseViews.Count, freshness);
        Assert.Equal(0, readerDirty);
        Assert.True(appDirty);
        Assert.True(ownerDirty);
        Assert.Equal(0, withoutWeekly);
        Assert.Equal(2, throughOtherView);
        Assert.Equal(1, appWithoutWeekly);
        Assert.Equal(1, appThroughOwnView);
    }

    private static NpgsqlDataSource Login(TestDatabase db, string role) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(db.ConnectionString) { Username = role, Password = $"pw-{role}", Pooling = false }.ConnectionString);

    private static async Task<T> Scalar<T>(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
