using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Views;
using Npgsql;

namespace Erp.Db.Tests.Library;

public class TwoLoginsTests
{
    [Fact]
    public async Task A_reader_app_with_a_migration_login_migrates_reads_only_its_merchant_and_cannot_change_the_schema()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await db.ExecuteAsync("CALL ops.refresh_due('manual')");
        await using var migrator = await TestLogin.CreateAsync(db, "erp_owner");
        await using var app = await TestLogin.CreateAsync(db, "erp_reader");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{app.Name}', 1)");
        await using var erp = ErpDatabase.Create(new ErpDbOptions { ConnectionString = app.ConnectionString, MigrationConnectionString = migrator.ConnectionString });

        var migrated = await erp.Migrations.MigrateAsync();
        var status = await erp.Migrations.StatusAsync();
        await using var merchants = erp.DataSource.CreateCommand("SELECT array_agg(DISTINCT merchant_id ORDER BY merchant_id) FROM mart.daily_sales");
        var seen = (long[])(await merchants.ExecuteScalarAsync())!;
        await using var ddl = erp.DataSource.CreateCommand("CREATE TABLE mart.app_made (id int)");
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ddl.ExecuteNonQueryAsync());

        Assert.NotNull(migrated);
        Assert.True(status.IsUpToDate);
        Assert.Equal([1L], seen);
        Assert.Equal("42501", refused.SqlState);
        Assert.Equal(app.Name, (string?)await erp.DataSource.CreateCommand("SELECT session_user::text").ExecuteScalarAsync());
    }
}
