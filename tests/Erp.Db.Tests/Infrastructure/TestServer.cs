using Erp.Db.Health;
using Erp.Db.LocalServer;
using Erp.Db.Migrations;
using Erp.Db.Scheduling;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Erp.Db.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL the tests run against, chosen once per run: ERPDB_TEST_CONNECTION if set, else a
/// Testcontainers container when a Docker engine answers, else erpdb's own local server (in a home
/// of its own, fsync off). It holds a migrated template database that each test clones.
/// </summary>
internal static class TestServer
{
    private static readonly Lazy<Task<Server>> Instance = new(StartAsync);

    /// <param name="CopyStrategy">
    /// How CREATE DATABASE copies the template: FILE_COPY on a server that does not fsync (the local test server), WAL_LOG
    /// otherwise. WAL_LOG writes the 40 MB template through the WAL, 0.7 s of the server's CPU per copy and drop against 0.26 s;
    /// FILE_COPY's two checkpoints cost little without fsync (docs/test-suite-cost.md).
    /// </param>
    /// <param name="Admin">A pool of superuser connections to the postgres database, shared by the whole run: each test database is
    /// created and dropped through it, and a new connection costs the server a process of its own.</param>
    /// <param name="Cron">A pool of connections to pg_cron's database, where a test database's jobs are removed; null without pg_cron.</param>
    public sealed record Server(string AdminConnectionString, string TemplateDatabase, string CopyStrategy, NpgsqlDataSource Admin, NpgsqlDataSource? Cron);

    public static Task<Server> GetAsync() => Instance.Value;

    private static async Task<Server> StartAsync()
    {
        var admin = Patient(Environment.GetEnvironmentVariable("ERPDB_TEST_CONNECTION") is { Length: > 0 } configured ? configured
            : await TryDockerAsync() ?? await StartLocalAsync());
        var source = NpgsqlDataSource.Create(admin);
        var fsync = (string)(await source.CreateCommand("SHOW fsync").ExecuteScalarAsync())!;
        var cron = await source.CreateCommand("SELECT current_setting('cron.database_name', true)").ExecuteScalarAsync() is string cronDatabase
            ? NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(admin) { Database = cronDatabase }.ConnectionString)
            : null;
        await RemoveJobsOfDroppedTestDatabasesAsync(cron);
        return new Server(admin, await CreateTemplateAsync(source, admin), fsync == "off" ? "FILE_COPY" : "WAL_LOG", source, cron);
    }

    /// <summary>
    /// A test run killed before its databases were disposed leaves their pg_cron jobs behind once they are dropped; doctor then
    /// reports them in every test database (ERPDB016). Removes those of test databases that no longer exist, and only those.
    /// </summary>
    private static async Task RemoveJobsOfDroppedTestDatabasesAsync(NpgsqlDataSource? cron)
    {
        if (cron is null)
        {
            return;
        }
        // The jobs doctor reports as ERPDB016 (HealthSql.OrphanedCronJobs), of test databases only.
        await using var command = cron.CreateCommand(
            $"SELECT count(cron.unschedule(o.jobid)) FROM ({HealthSql.OrphanedCronJobs}) AS o WHERE starts_with(o.database, @prefix)");
        command.Parameters.AddWithValue("start", CronScheduler.JobNameStart);
        command.Parameters.AddWithValue("prefix", TestDatabase.NamePrefix);
        try
        {
            await command.ExecuteScalarAsync();
        }
        catch (PostgresException e) when (e.SqlState == "42P01")
        {
            // pg_cron is preloaded but its extension was never created in the cron database: no jobs.
        }
    }

    /// <summary>
    /// Five minutes per command instead of 30 s: CREATE and DROP DATABASE wait for a checkpoint, which on a
    /// busy machine (CI, or several test runs at once) takes longer. The tests assert outcomes, not speed.
    /// </summary>
    private static string Patient(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 300 }.ConnectionString;

    /// <summary>The local server's home for tests: apart from the one erpdb uses for real work.</summary>
    private static string LocalHome => Path.Combine(Path.GetTempPath(), $"erpdb-tests-{Environment.UserName}");

    private static async Task<string?> TryDockerAsync()
    {
        var socket = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } || File.Exists("/var/run/docker.sock");
        if (!socket)
        {
            return null;
        }
        try
        {
            var container = new PostgreSqlBuilder("postgres:15").Build();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await container.StartAsync(timeout.Token);
            return new NpgsqlConnectionStringBuilder(container.GetConnectionString()) { Database = "postgres" }.ConnectionString;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static async Task<string> StartLocalAsync()
    {
        var server = new LocalPostgresServer(new LocalServerOptions { Home = LocalHome, Durable = false, Database = "erpdb" });
        var info = await server.EnsureStartedAsync();
        return new NpgsqlConnectionStringBuilder(info.ConnectionString) { Database = "postgres" }.ConnectionString;
    }

    /// <summary>A database migrated with the embedded scripts, named after their checksums so unchanged scripts reuse it.</summary>
    private static async Task<string> CreateTemplateAsync(NpgsqlDataSource admin, string adminConnectionString)
    {
        var catalog = ScriptCatalog.Embedded();
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(string.Join("\n", catalog.Scripts.Select(s => s.Sha256)))))[..12];
        var name = $"erpdb_tpl_{hash}";
        var exists = await admin.CreateCommand($"SELECT count(*) FROM pg_database WHERE datname = '{name}'").ExecuteScalarAsync();
        if ((long)exists! == 1)
        {
            return name;
        }
        var building = name + "_building";
        await admin.CreateCommand($"DROP DATABASE IF EXISTS {building} WITH (FORCE)").ExecuteNonQueryAsync();
        await admin.CreateCommand($"CREATE DATABASE {building} TEMPLATE template0").ExecuteNonQueryAsync();
        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = building, Pooling = false };
        await using (var dataSource = NpgsqlDataSource.Create(builder.ConnectionString))
        {
            // The template is cloned, never migrated again: no pg_cron job for it.
            await new MigrationRunner(dataSource, catalog, new MigrationOptions { Schedule = false }).MigrateAsync();
        }
        await admin.CreateCommand($"ALTER DATABASE {building} RENAME TO {name}").ExecuteNonQueryAsync();
        return name;
    }
}
