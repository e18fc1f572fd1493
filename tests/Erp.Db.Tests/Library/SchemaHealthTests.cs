using Erp.Db.Migrations;
using Erp.Db.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Erp.Db.Tests.Library;

/// <summary>
/// An app that connects as a reader (or writer) learns whether the database's schema matches its Erp.Db, without the migrating
/// login and without read access to the journal (ErpDatabase.SchemaStatusAsync, the health check; docs/library.md).
/// </summary>
public class SchemaHealthTests
{
    /// <summary>The newest migration; removing its journal row makes it pending.</summary>
    private static readonly string LastMigration = ScriptCatalog.Embedded().Scripts.Last(s => s.Kind == ScriptKind.Migration).Name;

    private const string NewerMigration = "migrations/9999_from_a_newer_erpdb.sql";

    [Fact]
    public async Task A_reader_of_a_fresh_migrated_database_is_healthy_and_up_to_date()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await RefreshAsync(db);
        await using var provider = HealthChecks(reader.ConnectionString);

        var entry = await CheckAsync(provider);
        var report = await provider.GetRequiredService<ErpDatabase>().SchemaStatusAsync();
        // The journal itself stays closed to readers: the function is the only way in.
        var denied = await Assert.ThrowsAsync<PostgresException>(() => reader.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal"));

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("up to date", entry.Data["schema"]);
        Assert.False(entry.Data.ContainsKey("pendingScripts"));
        Assert.False(entry.Data.ContainsKey("unknownScripts"));
        Assert.Empty(report.Pending);
        Assert.Empty(report.Unknown);
        Assert.Equal(ScriptCatalog.Embedded().Scripts.Count, report.Scripts.Count(s => s.State == ScriptState.Applied));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        Assert.Empty(await IsolationProblemsAsync(db));
    }

    [Fact]
    public async Task A_script_missing_from_the_journal_is_degraded_naming_it_as_the_owner_status_does()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await RefreshAsync(db);
        await db.ExecuteAsync($"DELETE FROM ops.schema_journal WHERE script_name = '{LastMigration}'");
        await using var provider = HealthChecks(reader.ConnectionString);

        var entry = await CheckAsync(provider);
        var report = await provider.GetRequiredService<ErpDatabase>().SchemaStatusAsync();
        await using var owner = ErpDatabase.Create(new ErpDbOptions { ConnectionString = db.ConnectionString });
        var ownerStatus = await owner.Migrations.StatusAsync();

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal(LastMigration, entry.Data["pendingScripts"]);
        Assert.Equal("1 pending", entry.Data["schema"]);
        Assert.Contains(LastMigration, entry.Description, StringComparison.Ordinal);
        Assert.Contains("erpdb migrate", entry.Description, StringComparison.Ordinal);
        Assert.Equal([LastMigration], report.Pending.Select(s => s.Name));
        Assert.Empty(report.Unknown);
        // The reader's comparison is the owner's: the same scripts to run.
        Assert.Equal(ownerStatus.ToRun.Select(s => s.Name), report.Pending.Select(s => s.Name));
    }

    [Fact]
    public async Task Scripts_of_a_newer_erpdb_are_degraded_naming_them()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await RefreshAsync(db);
        // A migration this library does not ship, and a function a newer erpdb applied with another text.
        await db.ExecuteAsync($"""
            INSERT INTO ops.schema_journal (script_name, script_kind, sha256, duration_ms, erpdb_version)
            VALUES ('{NewerMigration}', 'migration', repeat('a', 64), 1, '999.0.0'),
                   ('functions/ops.view_status.sql', 'function', repeat('b', 64), 1, '999.0.0')
            """);
        await using var asReader = HealthChecks(reader.ConnectionString);
        await using var asWriter = HealthChecks(writer.ConnectionString);

        var readerEntry = await CheckAsync(asReader);
        var writerEntry = await CheckAsync(asWriter);
        var report = await asReader.GetRequiredService<ErpDatabase>().SchemaStatusAsync();

        foreach (var entry in new[] { readerEntry, writerEntry })
        {
            Assert.Equal(HealthStatus.Degraded, entry.Status);
            Assert.Equal($"functions/ops.view_status.sql, {NewerMigration}", entry.Data["unknownScripts"]);
            Assert.Equal("2 unknown", entry.Data["schema"]);
            Assert.Contains(NewerMigration, entry.Description, StringComparison.Ordinal);
            Assert.Contains("newer", entry.Description, StringComparison.Ordinal);
            Assert.False(entry.Data.ContainsKey("pendingScripts"));
        }
        Assert.Equal(["functions/ops.view_status.sql", NewerMigration], report.Unknown.Select(s => s.Name));
        Assert.Empty(report.Pending);
    }

    [Fact]
    public async Task A_failing_view_stays_unhealthy_with_a_pending_script_and_both_are_described()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await RefreshAsync(db);
        await db.ExecuteAsync($"""
            UPDATE ops.mv_registry SET consecutive_failures = 3 WHERE view_name = 'mart.mv_daily_sales';
            DELETE FROM ops.schema_journal WHERE script_name = '{LastMigration}'
            """);
        await using var provider = HealthChecks(db.ConnectionString);

        var entry = await CheckAsync(provider);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.StartsWith("Failing or missing views: mart.mv_daily_sales.", entry.Description, StringComparison.Ordinal);
        Assert.Contains(LastMigration, entry.Description, StringComparison.Ordinal);
        Assert.StartsWith("failing x3", (string)entry.Data["mart.mv_daily_sales"]);
        Assert.Equal(LastMigration, entry.Data["pendingScripts"]);
    }

    [Fact]
    public async Task Migrate_variables_the_app_configures_otherwise_do_not_make_the_schema_pending()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await using var erp = ErpDatabase.Create(new ErpDbOptions
        {
            ConnectionString = reader.ConnectionString,
            Migration = new MigrationOptions { Variables = new Dictionary<string, string> { ["default_refresh_interval"] = "15 minutes" } },
        });
        await using var owner = ErpDatabase.Create(new ErpDbOptions { ConnectionString = db.ConnectionString, Migration = erp.Options.Migration });

        var report = await erp.SchemaStatusAsync();
        var ownerStatus = await owner.Migrations.StatusAsync();

        Assert.Empty(report.Pending);
        Assert.NotEmpty(ownerStatus.ToRun); // the migrating login would apply them: its variables are the ones that count
    }

    [Fact]
    public async Task A_database_migrated_before_the_journal_function_is_degraded_and_says_to_migrate()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await RefreshAsync(db);
        await db.ExecuteAsync("DROP FUNCTION ops.schema_journal_rows()");
        await using var provider = HealthChecks(reader.ConnectionString);

        var entry = await CheckAsync(provider);
        var error = await Assert.ThrowsAsync<WarehouseNotMigratedException>(() => provider.GetRequiredService<ErpDatabase>().SchemaStatusAsync());

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal("older than this Erp.Db", entry.Data["schema"]);
        Assert.Contains("erpdb migrate", entry.Description, StringComparison.Ordinal);
        Assert.Equal("healthy", entry.Data["mart.mv_daily_sales"]);
        Assert.StartsWith("function ops.schema_journal_rows() does not exist", error.Missing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_login_in_no_warehouse_role_is_told_which_roles_may_read_the_schema_state()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var stranger = await TestLogin.CreateAsync(db, "pg_monitor");
        await using var erp = ErpDatabase.Create(new ErpDbOptions { ConnectionString = stranger.ConnectionString });

        var error = await Assert.ThrowsAsync<WarehouseAccessException>(() => erp.SchemaStatusAsync());

        Assert.Equal(WarehouseAccessReason.PermissionDenied, error.Reason);
        Assert.Contains("erp_reader or erp_writer", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("merchant grant (SELECT", error.Message, StringComparison.Ordinal);
    }

    private static async Task RefreshAsync(TestDatabase db)
    {
        await using var owner = ErpDatabase.Create(new ErpDbOptions { ConnectionString = db.ConnectionString });
        await owner.Refresh.RefreshAllAsync("test");
    }

    private static ServiceProvider HealthChecks(string connectionString)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddErpDb(connectionString);
        services.AddHealthChecks().AddErpDb();
        return services.BuildServiceProvider();
    }

    private static async Task<HealthReportEntry> CheckAsync(ServiceProvider provider) =>
        (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["erpdb"];

    private static async Task<List<string>> IsolationProblemsAsync(TestDatabase db)
    {
        var problems = new List<string>();
        await using var command = db.DataSource.CreateCommand("SELECT object_name || ': ' || problem FROM ops.merchant_isolation_problems()");
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            problems.Add(rows.GetString(0));
        }
        return problems;
    }
}
