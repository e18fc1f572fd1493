using Erp.Db.Ingest;
using Erp.Db.Queries;
using Erp.Db.Queries.Sales;
using Erp.Db.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Erp.Db.Tests.Library;

/// <summary>
/// What an app embedding the library gets from a database that is not migrated, or older than the library, and from a query
/// the server cancels at its timeout: exceptions that say what to do, the server's error inside.
/// </summary>
public class WarehouseErrorTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task Queries_on_a_database_never_migrated_throw_WarehouseNotMigratedException()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        await using var erp = ErpDatabase.Create(new ErpDbOptions { ConnectionString = db.ConnectionString });

        var sales = await Assert.ThrowsAsync<WarehouseNotMigratedException>(() => erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, Today), GroupBy = SalesGrouping.Platform }));
        var merchants = await Assert.ThrowsAsync<WarehouseNotMigratedException>(() => erp.Queries.MerchantsAsync());
        var freshness = await Assert.ThrowsAsync<WarehouseNotMigratedException>(() => erp.Queries.FreshnessAsync());

        foreach (var error in new[] { sales, merchants, freshness })
        {
            AssertSaysToMigrate(error);
        }
        Assert.Equal("relation \"dw.dim_merchants\" does not exist", merchants.Missing);
        Assert.Equal("schema \"ops\" does not exist", freshness.Missing);
    }

    [Fact]
    public async Task Ingest_into_a_database_never_migrated_throws_WarehouseNotMigratedException()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        await using var erp = ErpDatabase.Create(new ErpDbOptions { ConnectionString = db.ConnectionString });
        var at = new DateTimeOffset(Today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8));

        var merchants = await Assert.ThrowsAsync<WarehouseNotMigratedException>(() => erp.Ingest.UpsertMerchantsAsync([new MerchantRow("M1", "Merchant one")]));
        var orders = await Assert.ThrowsAsync<WarehouseNotMigratedException>(() => erp.Ingest.UpsertOrdersWithItemsAsync(
            [new OrderRow(1, 11, "o-1", Today, at, 10m)], [new OrderItemRow(1, 11, "o-1", Today, 1, "SKU-1", 1, 10m)]));

        AssertSaysToMigrate(merchants);
        AssertSaysToMigrate(orders);
    }

    [Fact]
    public async Task Refresh_and_posting_on_a_database_never_migrated_throw_WarehouseNotMigratedException()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        await using var erp = ErpDatabase.Create(new ErpDbOptions { ConnectionString = db.ConnectionString });

        AssertSaysToMigrate(await Assert.ThrowsAsync<WarehouseNotMigratedException>(() => erp.Refresh.RefreshAsync(["mv_daily_sales"])));
        AssertSaysToMigrate(await Assert.ThrowsAsync<WarehouseNotMigratedException>(() => erp.Refresh.RefreshDueAsync()));
        AssertSaysToMigrate(await Assert.ThrowsAsync<WarehouseNotMigratedException>(() => erp.Refresh.RefreshAllAsync()));
        AssertSaysToMigrate(await Assert.ThrowsAsync<WarehouseNotMigratedException>(() => erp.Refresh.GetStatusAsync()));
        AssertSaysToMigrate(await Assert.ThrowsAsync<WarehouseNotMigratedException>(() => erp.PostAsync()));
        AssertSaysToMigrate(await Assert.ThrowsAsync<WarehouseNotMigratedException>(() => erp.Partitions.EnsureAsync()));
    }

    [Fact]
    public async Task A_database_missing_a_function_of_this_library_is_not_migrated_and_names_it()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        // As a database migrated by an older version, before the function existed.
        await db.ExecuteAsync("DROP FUNCTION ops.view_status()");
        await using var erp = ErpDatabase.Create(new ErpDbOptions { ConnectionString = db.ConnectionString });

        var error = await Assert.ThrowsAsync<WarehouseNotMigratedException>(() => erp.Refresh.GetStatusAsync());

        AssertSaysToMigrate(error);
        Assert.Equal(PostgresErrorCodes.UndefinedFunction, ((PostgresException)error.InnerException!).SqlState);
        Assert.Contains("ops.view_status()", error.Missing);
    }

    [Fact]
    public async Task The_health_check_of_a_database_never_migrated_fails_with_WarehouseNotMigratedException()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        var services = new ServiceCollection().AddLogging();
        services.AddErpDb(db.ConnectionString);
        services.AddHealthChecks().AddErpDb();
        await using var provider = services.BuildServiceProvider();

        var entry = (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["erpdb"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        var error = Assert.IsType<WarehouseNotMigratedException>(entry.Exception);
        AssertSaysToMigrate(error);
        Assert.Equal(error.Message, entry.Description);
    }

    [Fact]
    public async Task Other_server_errors_are_not_taken_for_a_missing_migration()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        // A relation outside the warehouse's schemas is the app's own error, not a missing migration.
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT * FROM public.not_there", connection);
        var outside = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.False(WarehouseErrors.IsNotMigrated(outside));
    }

    [Fact]
    public async Task A_query_cancelled_in_the_server_before_its_timeout_stays_the_server_error()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var erp = ErpDatabase.Create(new ErpDbOptions { ConnectionString = db.ConnectionString, QueryTimeout = TimeSpan.FromMinutes(5) });
        await using var locker = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await locker.BeginTransactionAsync();
        await using (var lockView = new NpgsqlCommand("LOCK TABLE mart.mv_daily_sales IN ACCESS EXCLUSIVE MODE", locker, transaction))
        {
            await lockView.ExecuteNonQueryAsync();
        }

        var query = erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, Today), GroupBy = SalesGrouping.Platform });
        // A DBA cancels the waiting query (pg_cancel_backend), long before its 5 minutes. Only in this database: the test
        // databases are copies of one template, so another test's table has the same oid in pg_locks.
        await using var dba = await db.DataSource.OpenConnectionAsync();
        await using var cancel = new NpgsqlCommand("""
            SELECT pg_catalog.pg_cancel_backend(l.pid) FROM pg_catalog.pg_locks l
             WHERE NOT l.granted AND l.relation = 'mart.mv_daily_sales'::regclass
               AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())
            """, dba);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await cancel.ExecuteScalarAsync() is not true)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), "the query never waited for the lock");
            Assert.False(query.IsCompleted, "the query ended before it was cancelled");
            await Task.Delay(50);
        }

        var error = await Assert.ThrowsAsync<PostgresException>(() => query);

        Assert.Equal(PostgresErrorCodes.QueryCanceled, error.SqlState);
    }

    private static void AssertSaysToMigrate(WarehouseNotMigratedException error)
    {
        var inner = Assert.IsType<PostgresException>(error.InnerException);
        Assert.Contains(inner.SqlState, new[] { PostgresErrorCodes.UndefinedTable, PostgresErrorCodes.InvalidSchemaName, PostgresErrorCodes.UndefinedFunction });
        Assert.Contains(inner.MessageText, error.Message);
        Assert.Equal(inner.MessageText, error.Missing);
        Assert.Contains("MigrateAsync()", error.Message);
        Assert.Contains("erpdb migrate", error.Message);
        Assert.Contains("erpdb status", error.Message);
    }
}
