using Erp.Db.Migrations;
using Erp.Db.Queries;
using Erp.Db.Queries.Sales;
using Erp.Db.Refresh;
using Erp.Db.Tests.Cli;
using Erp.Db.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Erp.Db.Tests.Library;

/// <summary>One way to put the library together: ErpDatabase, AddErpDb, the worker, the health check, and the CLI on top.</summary>
public class ComposeTests
{
    [Fact]
    public async Task AddErpDb_reuses_an_NpgsqlDataSource_already_registered()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var shared = NpgsqlDataSource.Create(db.ConnectionString);
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(shared);
        services.AddErpDb(_ => { });
        await using var provider = services.BuildServiceProvider();

        var erp = provider.GetRequiredService<ErpDatabase>();

        Assert.Same(shared, erp.DataSource);
        Assert.Same(shared, erp.ReadDataSource);
        Assert.Same(shared, erp.MigrationDataSource);
        Assert.True((await erp.Migrations.StatusAsync()).IsUpToDate);
    }

    [Fact]
    public async Task AddErpDb_with_a_connection_string_leaves_the_apps_own_NpgsqlDataSource_alone()
    {
        // An app's AddNpgsqlDataSource usually points at its own database, not the warehouse: the ErpDb connection string wins.
        await using var warehouse = await TestDatabase.CreateMigratedAsync();
        await using var appOwn = await TestDatabase.CreateEmptyAsync();
        await using var appDataSource = NpgsqlDataSource.Create(appOwn.ConnectionString);
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(appDataSource);
        services.AddErpDb(warehouse.ConnectionString);
        await using var provider = services.BuildServiceProvider();

        var erp = provider.GetRequiredService<ErpDatabase>();

        Assert.NotSame(appDataSource, erp.DataSource);
        Assert.NotSame(appDataSource, erp.ReadDataSource);
        Assert.Equal(new NpgsqlConnectionStringBuilder(warehouse.ConnectionString).Database,
            new NpgsqlConnectionStringBuilder(erp.DataSource.ConnectionString).Database);
        Assert.True((await erp.Migrations.StatusAsync()).IsUpToDate);
    }

    [Fact]
    public async Task Migration_options_from_the_ErpDb_section_reach_the_migrations()
    {
        // Migrated with the defaults: the view scripts that use the variable run again with its configured value.
        await using var db = await TestDatabase.CreateMigratedAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ErpDb:ConnectionString"] = db.ConnectionString,
            ["ErpDb:Migration:Schedule"] = "false",
            ["ErpDb:Migration:Variables:default_refresh_interval"] = "7 minutes",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddErpDb(configuration.GetSection(ErpDbOptions.SectionName));
        await using var provider = services.BuildServiceProvider();
        var erp = provider.GetRequiredService<ErpDatabase>();

        await erp.Migrations.MigrateAsync();

        Assert.False(erp.Options.Migration.Schedule);
        Assert.Equal("30 minutes", erp.Options.Migration.Variables["default_stale_after"]);
        Assert.Equal(TimeSpan.FromMinutes(7),
            await db.ScalarAsync<TimeSpan>("SELECT refresh_interval FROM ops.mv_registry WHERE view_name = 'mart.mv_monthly_sales'"));
    }

    [Fact]
    public async Task Migration_variables_set_in_code_keep_the_defaults_of_the_others()
    {
        // The configuration binder merges ErpDb:Migration:Variables into the defaults; a dictionary set in code replaced them,
        // so '$default_stale_after$' reached PostgreSQL as it is and the first view script failed on it.
        // Migrated with the defaults: the view scripts that use the variable run again with its configured value.
        await using var db = await TestDatabase.CreateMigratedAsync();
        var services = new ServiceCollection().AddLogging();
        services.AddErpDb(o =>
        {
            o.ConnectionString = db.ConnectionString;
            o.Migration = new MigrationOptions { Schedule = false, Variables = new Dictionary<string, string> { ["default_refresh_interval"] = "7 minutes" } };
        });
        await using var provider = services.BuildServiceProvider();
        var erp = provider.GetRequiredService<ErpDatabase>();

        await erp.Migrations.MigrateAsync();

        Assert.Equal("30 minutes", erp.Options.Migration.Variables["default_stale_after"]);
        Assert.Equal((TimeSpan.FromMinutes(7), TimeSpan.FromMinutes(30)), (
            await db.ScalarAsync<TimeSpan>("SELECT refresh_interval FROM ops.mv_registry WHERE view_name = 'mart.mv_monthly_sales'"),
            await db.ScalarAsync<TimeSpan>("SELECT stale_after FROM ops.mv_registry WHERE view_name = 'mart.mv_monthly_sales'")));
        // Neither the defaults every MigrationOptions shares nor the variables an instance holds can be changed through a cast.
        Assert.False(MigrationOptions.DefaultVariables is IDictionary<string, string> { IsReadOnly: false });
        Assert.False(erp.Options.Migration.Variables is IDictionary<string, string> { IsReadOnly: false });
    }

    [Fact]
    public async Task QueryTimeout_above_30_seconds_is_the_command_timeout()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var options = new ErpDbOptions { ConnectionString = db.ConnectionString, ReadConnectionString = db.ConnectionString, QueryTimeout = TimeSpan.FromSeconds(60) };
        await using var erp = ErpDatabase.Create(options);

        Assert.Equal(60, new NpgsqlConnectionStringBuilder(erp.DataSource.ConnectionString).CommandTimeout);
        Assert.Equal(60, new NpgsqlConnectionStringBuilder(erp.ReadDataSource.ConnectionString).CommandTimeout);
        // On data sources the app passes in, the query sets its own (the server's statement_timeout fires first).
        Assert.Equal(62, MerchantScope.ClientTimeout(options));
    }

    [Fact]
    public async Task A_query_waiting_longer_than_QueryTimeout_is_cancelled()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var erp = ErpDatabase.Create(new ErpDbOptions { ConnectionString = db.ConnectionString, QueryTimeout = TimeSpan.FromSeconds(1) });
        await using var locker = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await locker.BeginTransactionAsync();
        // The sales query reads mart.mv_daily_sales (an incremental aggregate's table, through its reader view) after the
        // statement that sets the timeout; this transaction holds the table's ACCESS EXCLUSIVE lock.
        await using (var lockView = new NpgsqlCommand("LOCK TABLE mart.mv_daily_sales IN ACCESS EXCLUSIVE MODE", locker, transaction))
        {
            await lockView.ExecuteNonQueryAsync();
        }

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            erp.Queries.SalesAsync(new SalesQuery { MerchantId = 1, Period = Period.LastDays(7, today), GroupBy = SalesGrouping.Platform }));

        // The server's cancel inside; the message names the limit and the option that raises it.
        Assert.Equal(PostgresErrorCodes.QueryCanceled, Assert.IsType<PostgresException>(error.InnerException).SqlState);
        Assert.Contains("limit of 1 s", error.Message);
        Assert.Contains("ErpDbOptions.QueryTimeout", error.Message);
        Assert.Contains("ErpDb:QueryTimeout", error.Message);
    }

    [Fact]
    public async Task AddErpDbRefreshWorker_registers_one_hosted_worker_that_refreshes()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var services = new ServiceCollection().AddLogging();
        services.AddErpDb(db.ConnectionString);
        services.AddErpDbRefreshWorker(new RefreshWorkerOptions { Interval = TimeSpan.FromHours(1), PartitionInterval = Timeout.InfiniteTimeSpan, Trigger = "test-worker" });
        services.AddErpDbRefreshWorker();
        await using var provider = services.BuildServiceProvider();

        var hosted = Assert.Single(provider.GetServices<IHostedService>());
        var worker = provider.GetRequiredService<RefreshWorker>();
        Assert.Same(worker, hosted);
        var ran = new TaskCompletionSource<IReadOnlyList<RefreshResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
        worker.RunCompleted += (_, results) => ran.TrySetResult(results);
        await hosted.StartAsync(CancellationToken.None);
        await ran.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await hosted.StopAsync(CancellationToken.None);

        Assert.Equal(1, worker.Runs);
    }

    [Fact]
    public async Task The_health_check_is_healthy_when_refreshed_and_unhealthy_after_three_failures()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var services = new ServiceCollection().AddLogging();
        services.AddErpDb(db.ConnectionString);
        services.AddHealthChecks().AddErpDb();
        await using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<HealthCheckService>();
        var erp = provider.GetRequiredService<ErpDatabase>();

        await erp.Refresh.RefreshAllAsync("test");
        var fresh = (await health.CheckHealthAsync()).Entries["erpdb"];

        await db.ExecuteAsync("UPDATE ops.mv_registry SET consecutive_failures = 3 WHERE view_name = 'mart.mv_daily_sales'");
        var failing = (await health.CheckHealthAsync()).Entries["erpdb"];

        Assert.Equal(HealthStatus.Healthy, fresh.Status);
        Assert.Equal("healthy", fresh.Data["mart.mv_daily_sales"]);
        Assert.Equal(HealthStatus.Unhealthy, failing.Status);
        Assert.StartsWith("failing x3", (string)failing.Data["mart.mv_daily_sales"]);
        Assert.Equal("healthy", failing.Data["mart.mv_weekly_sales"]);
    }

    [Fact]
    public async Task The_health_check_is_degraded_when_a_view_is_stale()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var services = new ServiceCollection().AddLogging();
        services.AddErpDb(db.ConnectionString);
        services.AddHealthChecks().AddErpDb("warehouse");
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<ErpDatabase>().Refresh.RefreshAllAsync("test");

        await db.ExecuteAsync("UPDATE ops.mv_registry SET last_success_at = now() - interval '2 days' WHERE view_name = 'mart.mv_daily_sales'");
        var entry = (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["warehouse"];

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.StartsWith("stale", (string)entry.Data["mart.mv_daily_sales"]);
    }

    [Fact]
    public async Task The_health_check_of_a_reader_login_reads_the_views_freshness()
    {
        // A reading app's own login (erp_reader, as docs/library.md sets it up) may not call ops.view_status().
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await using (var owner = ErpDatabase.Create(new ErpDbOptions { ConnectionString = db.ConnectionString }))
        {
            await owner.Refresh.RefreshAllAsync("test");
        }
        var services = new ServiceCollection().AddLogging();
        services.AddErpDb(reader.ConnectionString);
        services.AddHealthChecks().AddErpDb();
        await using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<HealthCheckService>();

        var fresh = (await health.CheckHealthAsync()).Entries["erpdb"];
        await db.ExecuteAsync("UPDATE ops.mv_registry SET last_success_at = now() - interval '2 days' WHERE view_name = 'mart.mv_daily_sales'");
        var stale = (await health.CheckHealthAsync()).Entries["erpdb"];

        Assert.Equal(HealthStatus.Healthy, fresh.Status);
        Assert.Equal("healthy", fresh.Data["mart.mv_daily_sales"]);
        Assert.Equal(HealthStatus.Degraded, stale.Status);
        Assert.StartsWith("stale", (string)stale.Data["mart.mv_daily_sales"]);
        Assert.Equal("healthy", stale.Data["mart.mv_weekly_sales"]);
    }

    [Fact]
    public async Task The_cli_honours_the_ErpDb_section_of_erpdb_json()
    {
        await using var empty = await TestDatabase.CreateEmptyAsync();
        await using var migrated = await TestDatabase.CreateMigratedAsync();
        var directory = Directory.CreateTempSubdirectory("erpdb-compose-");
        try
        {
            // Without --connection, which would be the run's one connection (SchemaCommandsTests).
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "erpdb.json"), $$"""
                { "ErpDb": { "ConnectionString": "{{empty.ConnectionString}}", "MigrationConnectionString": "{{migrated.ConnectionString}}" } }
                """);

            var run = await CliRun.RunInAsync(directory.FullName, "status", "--format", "json");

            Assert.Equal(0, run.ExitCode);
            Assert.Equal(migrated.Name, run.Json().GetProperty("data").GetProperty("database").GetString());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
