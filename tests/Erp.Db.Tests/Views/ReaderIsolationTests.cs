using Erp.Db.Migrations;
using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.Views;

public class ReaderIsolationTests
{
    private static readonly string[] ReaderViews =
    [
        "daily_sales", "weekly_sales", "monthly_sales", "profit_analysis", "inventory_summary",
        "financial_overview", "customer_segments", "product_sales_daily", "product_management",
    ];

    [Fact]
    public async Task A_scoped_reader_sees_only_its_merchant_in_every_reader_view_an_unscoped_one_none_and_neither_the_views_themselves()
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
                var denied = await Assert.ThrowsAsync<PostgresException>(() => Scalar<long>(scopedSource, $"SELECT count(*) FROM mart.mv_{view}"));
                Assert.Equal("42501", denied.SqlState);
            }
            Assert.Equal(1, await Scalar<long>(scopedSource, "SELECT count(*) FROM mart.target_achievement"));
            Assert.Equal(0, await Scalar<long>(unscopedSource, "SELECT count(*) FROM mart.target_achievement"));
            Assert.Equal(WarehouseViews.Count, await Scalar<long>(scopedSource, "SELECT count(*) FROM ops.view_status()"));
            Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.merchant_isolation_problems()"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await db.ExecuteAsync($"DELETE FROM ops.merchant_access WHERE role_name IN ('{scoped}', '{unscoped}'); DROP ROLE IF EXISTS {scoped}; DROP ROLE IF EXISTS {unscoped}");
        }
    }

    private static NpgsqlDataSource Login(TestDatabase db, string role) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(db.ConnectionString) { Username = role, Password = $"pw-{role}", Pooling = false }.ConnectionString);

    private static async Task<T> Scalar<T>(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
