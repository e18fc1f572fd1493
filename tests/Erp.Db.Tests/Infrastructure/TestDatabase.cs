using Npgsql;

namespace Erp.Db.Tests.Infrastructure;

/// <summary>A database of its own for one test, dropped when the test ends, so tests run in parallel.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>What the name of every test database starts with.</summary>
    public const string NamePrefix = "erpdb_t_";

    private readonly TestServer.Server server;

    private TestDatabase(TestServer.Server server, string name)
    {
        this.server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = name }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public string Name { get; }

    /// <summary>Superuser connection string to the server's postgres database.</summary>
    public string AdminConnectionString => server.AdminConnectionString;

    /// <summary>Superuser connection string to this database (password included).</summary>
    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>A clone of the template: the whole warehouse schema, migrated.</summary>
    public static Task<TestDatabase> CreateMigratedAsync() => CreateAsync(template: null);

    /// <summary>An empty database (from template0), for tests that migrate scripts of their own.</summary>
    public static Task<TestDatabase> CreateEmptyAsync() => CreateAsync(template: "template0");

    private static async Task<TestDatabase> CreateAsync(string? template)
    {
        var server = await TestServer.GetAsync();
        var name = $"{NamePrefix}{Guid.NewGuid():N}"[..24];
        await server.Admin.CreateCommand($"CREATE DATABASE {name} TEMPLATE {template ?? server.TemplateDatabase} STRATEGY {server.CopyStrategy}").ExecuteNonQueryAsync();
        return new TestDatabase(server, name);
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }

    /// <summary>
    /// ANALYZEs each partition of the partitioned table <paramref name="parent"/>, as autovacuum would, and not the parent itself
    /// (whose own statistics autovacuum never takes).
    /// </summary>
    public Task AnalyzePartitionsAsync(string parent) => ExecuteAsync($$"""
        DO $$
        DECLARE partition regclass;
        BEGIN
            FOR partition IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = '{{parent}}'::regclass LOOP
                EXECUTE format('ANALYZE %s', partition);
            END LOOP;
        END $$
        """);

    /// <summary>
    /// Closes the pooled connections of <see cref="DataSource"/> and waits until their server processes have ended. A process
    /// reports the rows it wrote to the statistics (pg_stat_get_live_tuples) up to a second late, and an ANALYZE run in between
    /// counts those rows once more; a process flushes what it holds as it ends, so counts read after this are exact.
    /// </summary>
    public async Task CloseConnectionsAsync()
    {
        DataSource.Clear();
        await using var command = server.Admin.CreateCommand(
            "SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND application_name <> 'pg_cron'");
        command.Parameters.AddWithValue(Name);
        for (var waited = TimeSpan.Zero; (long)(await command.ExecuteScalarAsync())! > 0; waited += TimeSpan.FromMilliseconds(20))
        {
            if (waited > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"Connections to {Name} were still open 10 s after their pool was cleared.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>Waits (up to 30 s) until a session of this database waits on a lock; fails the test, naming <paramref name="who"/>, when none does.</summary>
    public async Task WaitUntilASessionWaitsOnALockAsync(string who)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0)
            {
                return;
            }
            await Task.Delay(50);
        }
        Xunit.Assert.Fail($"{who} never waited on a lock.");
    }

    /// <summary>The planner's row estimate for a query (EXPLAIN, not run).</summary>
    public async Task<double> EstimatedRowsAsync(string query)
    {
        using var plan = System.Text.Json.JsonDocument.Parse((await ScalarAsync<string>($"EXPLAIN (FORMAT JSON) {query}"))!);
        return plan.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await UnscheduleJobsAsync();
        await server.Admin.CreateCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)").ExecuteNonQueryAsync();
    }

    /// <summary>Removes the pg_cron jobs a migrate of this database registered (they would outlive it).</summary>
    private async Task UnscheduleJobsAsync()
    {
        if (server.Cron is null)
        {
            return;
        }
        await using var command = server.Cron.CreateCommand(
            "SELECT count(cron.unschedule(jobid)) FROM cron.job WHERE starts_with(jobname, $1) AND to_regclass('cron.job') IS NOT NULL");
        command.Parameters.AddWithValue($"erpdb:{Name}:");
        try
        {
            await command.ExecuteScalarAsync();
        }
        catch (PostgresException e) when (e.SqlState == "42P01")
        {
            // pg_cron is preloaded but its extension was never created in the cron database: no jobs.
        }
    }
}
