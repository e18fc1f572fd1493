using Erp.Db.Ingest;
using Erp.Db.Queries;
using Erp.Db.Queries.Sales;
using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.Library;

/// <summary>
/// What an app embedding the library gets when the server refuses it: a login without the role a call needs, a wrong password,
/// a database that does not exist. One exception type whose Reason says which, whose message says what to do and never holds the
/// password, and the server's error inside.
/// </summary>
public class WarehouseAccessTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task A_login_without_the_role_a_call_needs_is_told_which_role_it_needs()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await using var asWriter = ErpDatabase.Create(new ErpDbOptions { ConnectionString = writer.ConnectionString });
        await using var asReader = ErpDatabase.Create(new ErpDbOptions { ConnectionString = reader.ConnectionString });

        // A writer's login running a BI query, a reader's ingesting or refreshing, a writer's reading the migrations' journal.
        var query = await Assert.ThrowsAsync<WarehouseAccessException>(() => asWriter.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, Today), GroupBy = SalesGrouping.Platform }));
        var ingest = await Assert.ThrowsAsync<WarehouseAccessException>(() => asReader.Ingest.UpsertMerchantsAsync([new MerchantRow("M9", "Merchant nine")]));
        var refresh = await Assert.ThrowsAsync<WarehouseAccessException>(() => asReader.Refresh.RefreshDueAsync());
        var status = await Assert.ThrowsAsync<WarehouseAccessException>(() => asWriter.Migrations.StatusAsync());

        foreach (var (error, role) in new[] { (query, "erp_reader"), (ingest, "erp_writer"), (refresh, "erp_writer"), (status, "erp_owner") })
        {
            Assert.Equal(WarehouseAccessReason.PermissionDenied, error.Reason);
            var inner = Assert.IsType<PostgresException>(error.InnerException);
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, inner.SqlState);
            Assert.Contains(inner.MessageText, error.Message, StringComparison.Ordinal);
            Assert.Contains(role, error.Message, StringComparison.Ordinal);
            AssertNoPassword(error, reader, writer);
        }
        Assert.Contains("permission denied for", query.Message, StringComparison.Ordinal);
        Assert.Contains("an app that ingests (erp_writer) and also reads sets ReadConnectionString to its reading login", query.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.dim_merchants WHERE merchant_code = 'M9'"));
    }

    [Fact]
    public async Task An_app_that_ingests_and_reads_queries_through_the_reading_login_of_ReadConnectionString()
    {
        // docs/library.md, "A worker app": one ErpDatabase writes as erp_writer and reads, merchant-scoped, as erp_reader.
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await using var erp = ErpDatabase.Create(new ErpDbOptions { ConnectionString = writer.ConnectionString, ReadConnectionString = reader.ConnectionString });
        await erp.Ingest.UpsertMerchantsAsync([new MerchantRow("M8", "Merchant eight"), new MerchantRow("M9", "Merchant nine")]);
        var granted = await db.ScalarAsync<long>("SELECT merchant_id FROM dw.dim_merchants WHERE merchant_code = 'M9'");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', {granted})");

        var merchants = await erp.Queries.MerchantsAsync();
        var sales = await erp.Queries.SalesAsync(new SalesQuery { MerchantId = granted, Period = Period.LastDays(7, await erp.TodayAsync()) });

        Assert.Equal(["M9"], merchants.Select(m => m.Code));
        Assert.Equal(0m, sales.Data.Metrics.Revenue);
        Assert.Equal(MerchantAccess.Forbidden, await erp.Queries.MerchantAccessAsync(
            await db.ScalarAsync<long>("SELECT merchant_id FROM dw.dim_merchants WHERE merchant_code = 'M8'")));
    }

    [Fact]
    public async Task A_wrong_password_is_an_authentication_failure_that_never_prints_a_password()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        const string Wrong = "wrong-pw-5f1c9a";
        var connection = new NpgsqlConnectionStringBuilder(reader.ConnectionString) { Password = Wrong }.ConnectionString;
        await using var erp = ErpDatabase.Create(new ErpDbOptions { ConnectionString = connection, MigrationConnectionString = connection });

        var query = await Assert.ThrowsAsync<WarehouseAccessException>(() => erp.Queries.MerchantsAsync());
        var sales = await Assert.ThrowsAsync<WarehouseAccessException>(() => erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, Today), GroupBy = SalesGrouping.Platform }));
        var refresh = await Assert.ThrowsAsync<WarehouseAccessException>(() => erp.Refresh.GetStatusAsync());
        var migrate = await Assert.ThrowsAsync<WarehouseAccessException>(() => erp.Migrations.MigrateAsync());

        foreach (var error in new[] { query, sales, refresh, migrate })
        {
            Assert.Equal(WarehouseAccessReason.AuthenticationFailed, error.Reason);
            Assert.Equal(PostgresErrorCodes.InvalidPassword, Assert.IsType<PostgresException>(error.InnerException).SqlState);
            Assert.Contains(reader.Name, error.Message, StringComparison.Ordinal);
            Assert.Contains("password", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Wrong, error.ToString(), StringComparison.Ordinal);
            AssertNoPassword(error, reader);
        }
    }

    [Fact]
    public async Task A_database_that_does_not_exist_says_to_create_it_or_fix_the_connection_string()
    {
        var server = await TestServer.GetAsync();
        var admin = new NpgsqlConnectionStringBuilder(server.AdminConnectionString);
        var missing = $"erpdb_missing_{Guid.NewGuid():N}"[..24];
        var connection = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = missing, Pooling = false }.ConnectionString;
        await using var erp = ErpDatabase.Create(new ErpDbOptions { ConnectionString = connection });

        var query = await Assert.ThrowsAsync<WarehouseAccessException>(() => erp.Queries.FreshnessAsync());
        var ingest = await Assert.ThrowsAsync<WarehouseAccessException>(() => erp.Ingest.UpsertMerchantsAsync([new MerchantRow("M1", "Merchant one")]));
        var post = await Assert.ThrowsAsync<WarehouseAccessException>(() => erp.PostAsync());
        var status = await Assert.ThrowsAsync<WarehouseAccessException>(() => erp.Migrations.StatusAsync());
        var doctor = await Assert.ThrowsAsync<WarehouseAccessException>(() => erp.Doctor.CheckAsync());

        foreach (var error in new[] { query, ingest, post, status, doctor })
        {
            Assert.Equal(WarehouseAccessReason.DatabaseMissing, error.Reason);
            Assert.Equal(PostgresErrorCodes.InvalidCatalogName, Assert.IsType<PostgresException>(error.InnerException).SqlState);
            Assert.Contains(missing, error.Message, StringComparison.Ordinal);
            Assert.Contains("createdb", error.Message, StringComparison.Ordinal);
            if (!string.IsNullOrEmpty(admin.Password))
            {
                Assert.DoesNotContain(admin.Password, error.ToString(), StringComparison.Ordinal);
            }
        }
    }

    /// <summary>Neither the message nor anything else the exception prints holds a login's password.</summary>
    private static void AssertNoPassword(WarehouseAccessException error, params TestLogin[] logins)
    {
        foreach (var login in logins)
        {
            var password = new NpgsqlConnectionStringBuilder(login.ConnectionString).Password!;
            Assert.DoesNotContain(password, error.ToString(), StringComparison.Ordinal);
        }
    }
}
