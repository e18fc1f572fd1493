using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.Warehouse;

public class RoleAndIsolationTests
{
    [Fact]
    public async Task A_writer_may_write_dw_but_cannot_touch_ops()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SampleData.InsertAsync(db);
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");

        await writer.ScalarAsync<object>("INSERT INTO dw.dim_customers (merchant_id, customer_code) VALUES (1, 'written')");
        var journal = await Assert.ThrowsAsync<PostgresException>(() => writer.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal"));
        var access = await Assert.ThrowsAsync<PostgresException>(() => writer.ScalarAsync<object>("DELETE FROM ops.merchant_access"));

        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM dw.dim_customers WHERE customer_code = 'written'"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, journal.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, access.SqlState);
    }

    [Fact]
    public async Task A_reader_cannot_write_anywhere_or_read_partitions()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SampleData.InsertAsync(db);
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 1)");

        var insert = await Assert.ThrowsAsync<PostgresException>(() => reader.ScalarAsync<object>(
            "INSERT INTO dw.dim_customers (merchant_id, customer_code) VALUES (1, 'sneaky')"));
        var update = await Assert.ThrowsAsync<PostgresException>(() => reader.ScalarAsync<object>("UPDATE dw.fact_sales_orders SET gmv = 0"));
        var partition = await Assert.ThrowsAsync<PostgresException>(() => reader.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders_p2026_03"));

        Assert.All([insert, update, partition], e => Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState));
        Assert.Equal(999m, await db.ScalarAsync<decimal>("SELECT gmv FROM dw.fact_sales_orders WHERE order_id = 4"));
    }

    [Fact]
    public async Task A_scoped_reader_sees_exactly_its_merchant_and_cannot_widen_the_scope()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SampleData.InsertAsync(db);
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', {SampleData.MerchantA})");

        var orders = await reader.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders");
        var gmv = await reader.ScalarAsync<decimal>("SELECT sum(gmv) FROM dw.fact_sales_orders");
        var merchants = await reader.ScalarAsync<long>("SELECT count(*) FROM dw.dim_merchants");
        var widened = await reader.InTransactionAsync<long>(
            "SELECT set_config('erp.merchant_id', '2', true)", "SELECT count(*) FROM dw.fact_sales_orders");

        Assert.Equal(3, orders);
        Assert.Equal(175m, gmv);
        Assert.Equal(1, merchants);
        Assert.Equal(0, widened);
    }

    [Fact]
    public async Task A_login_dropped_and_created_again_under_its_name_does_not_inherit_the_old_ones_merchants()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SampleData.InsertAsync(db);
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        var password = new NpgsqlConnectionStringBuilder(reader.ConnectionString).Password;
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', {SampleData.MerchantA})");
        var before = await reader.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders");

        // Roles are cluster-wide: the same name may come back for someone else, here or in another database.
        await db.ExecuteAsync($"DROP ROLE {reader.Name}; CREATE ROLE {reader.Name} LOGIN PASSWORD '{password}' IN ROLE erp_reader");
        var scope = await reader.ScalarAsync<long?>("SELECT ops.current_merchant_id()");
        var asked = await reader.InTransactionAsync<long>(
            $"SELECT set_config('erp.merchant_id', '{SampleData.MerchantA}', true)", "SELECT count(*) FROM dw.fact_sales_orders");
        var regranted = await db.ScalarAsync<bool>($"SELECT ops.grant_merchant_access('{reader.Name}', {SampleData.MerchantA})");
        var again = await db.ScalarAsync<bool>($"SELECT ops.grant_merchant_access('{reader.Name}', {SampleData.MerchantA})");
        var after = await reader.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders");

        Assert.Equal(3, before);
        Assert.Null(scope);
        Assert.Equal(0, asked);
        Assert.True(regranted);
        Assert.False(again);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task A_reader_without_a_merchant_scope_sees_nothing()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SampleData.InsertAsync(db);
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");

        var orders = await reader.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders");
        var chosen = await reader.InTransactionAsync<long>(
            "SELECT set_config('erp.merchant_id', '1', true)", "SELECT count(*) FROM dw.fact_sales_orders");

        Assert.Equal(0, orders);
        Assert.Equal(0, chosen);
        Assert.Equal(4, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
    }

    [Fact]
    public async Task An_app_login_allowed_any_merchant_sees_the_one_its_transaction_names()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SampleData.InsertAsync(db);
        await using var app = await TestLogin.CreateAsync(db, "erp_reader");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{app.Name}', NULL)");

        var merchantB = await app.InTransactionAsync<long>(
            "SELECT set_config('erp.merchant_id', '2', true)", "SELECT count(*) FROM dw.fact_sales_orders");
        var afterCommit = await app.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders");

        Assert.Equal(1, merchantB);
        Assert.Equal(0, afterCommit);
    }

    [Fact]
    public async Task The_owner_may_name_any_merchant_but_unscoped_gets_none()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        await using var unscoped = new NpgsqlCommand("SELECT ops.current_merchant_id()", connection, transaction);
        var before = await unscoped.ExecuteScalarAsync();
        await using var scope = new NpgsqlCommand("SELECT set_config('erp.merchant_id', '2', true)", connection, transaction);
        await scope.ExecuteNonQueryAsync();
        var after = await unscoped.ExecuteScalarAsync();

        Assert.Equal(DBNull.Value, before);
        Assert.Equal(2L, after);
    }
}
