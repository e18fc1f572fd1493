using Erp.Db.Migrations;
using Erp.Db.Scheduling;
using Npgsql;

namespace Erp.Db.Bench;

/// <summary>What every scenario gets: the server, the sizes, and fresh databases on demand.</summary>
internal sealed class BenchContext(string adminConnectionString, int orders, TextWriter log, bool keepSeeded = false, int repeat = 1, bool atRest = true)
{
    private readonly List<string> created = [];

    public int Orders { get; } = orders;

    public TextWriter Log { get; } = log;

    /// <summary>Copy the seeded database from a template kept between runs (<c>--keep-seeded</c>).</summary>
    public bool KeepSeeded { get; } = keepSeeded;

    /// <summary>
    /// How many times each ingest and import step runs (<c>--repeat</c>), the fastest counting: a step slowed by the machine
    /// (another tenant of the host, a checkpoint) then does not decide a ratio alone.
    /// </summary>
    public int Repeat { get; } = repeat >= 1 ? repeat : throw new ArgumentOutOfRangeException(nameof(repeat), repeat, "Each step runs at least once.");

    public string AdminConnectionString { get; } = adminConnectionString;

    /// <summary>Creates a database (empty, or a copy of <paramref name="template"/>) and returns its connection string; it is dropped at the end of the run.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose, string template = "template0")
    {
        var name = $"erpdb_bench_{purpose}_{Guid.NewGuid():N}"[..40];
        await using var admin = NpgsqlDataSource.Create(AdminConnectionString);
        await Admin.ExecuteAsync(admin, $"CREATE DATABASE {name} TEMPLATE {template}");
        created.Add(name);
        // No command timeout: a floor (COPY of 400,000 order lines, each checked against its order) can run for minutes.
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, CommandTimeout = 0 }.ConnectionString;
    }

    private Task<string>? migratedTemplate;

    /// <summary>
    /// Creates a database migrated with the embedded scripts (no pg_cron jobs) for <paramref name="purpose"/>: a copy of one
    /// migrated once per run, made on first use and dropped at the end of the run. A migrate took 5 to 10 s on a 2-core machine,
    /// and the steps that need a migrated warehouse do not time the migrate (<see cref="Scenarios.MigrateScenario"/> does, in
    /// databases of its own).
    /// </summary>
    public async Task<string> CreateMigratedDatabaseAsync(string purpose) =>
        await CreateDatabaseAsync(purpose, await (migratedTemplate ??= BuildMigratedTemplateAsync()));

    private async Task<string> BuildMigratedTemplateAsync()
    {
        var connectionString = await CreateDatabaseAsync("migrated");
        // Disposed before any copy: CREATE DATABASE refuses a template another session is connected to.
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new MigrationRunner(dataSource, options: new MigrationOptions { Schedule = false }).MigrateAsync();
        }
        return new NpgsqlConnectionStringBuilder(connectionString).Database!;
    }

    private Task<string>? stepTemplate;

    /// <summary>
    /// The name of the database the steps' databases are copied from: a migrated one (<see cref="CreateMigratedDatabaseAsync"/>)
    /// completed by <paramref name="build"/> on first use (later calls get that one), dropped at the end of the run.
    /// </summary>
    public Task<string> StepTemplateAsync(Func<NpgsqlDataSource, Task> build) => stepTemplate ??= BuildStepTemplateAsync(build);

    private async Task<string> BuildStepTemplateAsync(Func<NpgsqlDataSource, Task> build)
    {
        var connectionString = await CreateMigratedDatabaseAsync("step_template");
        // Disposed before any copy: CREATE DATABASE refuses a template another session is connected to.
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await build(dataSource);
        }
        return new NpgsqlConnectionStringBuilder(connectionString).Database!;
    }

    private Task<SeededDatabase>? seeded;

    /// <summary>The seeded database the data scenarios share, created on first use.</summary>
    public Task<SeededDatabase> SeededAsync() => seeded ??= SeededDatabase.CreateAsync(this, "seeded");

    /// <summary>
    /// Brings the server to rest before a timed step: every dirty buffer written and no autovacuum worker running, so that neither
    /// side of a comparison pays for the other's leftovers on the machine's two cores. A database copied from a large template is
    /// written to the WAL whole, and the checkpoint that follows spreads its writes over the next minute or two: the measurement
    /// that ran then (the dashboard's, at 1,000,000 orders) had three times the p99 of the one after it. Skipped when the run is not
    /// at rest (BenchHarnessTests: a server shared with other tests, figures not judged).
    /// </summary>
    public async Task QuietAsync()
    {
        if (!atRest)
        {
            return;
        }
        await using var admin = NpgsqlDataSource.Create(AdminConnectionString);
        await Admin.ExecuteAsync(admin, "CHECKPOINT");
        for (var waited = 0; waited < 240; waited++)
        {
            if ((long)(await Admin.ExecuteAsync(admin, "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"))! == 0)
            {
                return;
            }
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// Drops a database this run created, as soon as its step is timed: left until the end of the run, its fresh rows are vacuumed
    /// and analyzed by autovacuum while the next step is timed.
    /// </summary>
    public Task DropDatabaseAsync(NpgsqlDataSource dataSource) => DropDatabaseAsync(dataSource.ConnectionString);

    /// <inheritdoc cref="DropDatabaseAsync(NpgsqlDataSource)"/>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await DropAsync([name]);
        created.Remove(name);
    }

    public Task DropDatabasesAsync() => DropAsync(created);

    private async Task DropAsync(IReadOnlyList<string> names)
    {
        // A migrate schedules pg_cron jobs in the server's cron database: declare none, so they go too.
        foreach (var name in names)
        {
            await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString);
            await new CronScheduler(dataSource, []).EnsureAsync();
        }
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(AdminConnectionString);
        foreach (var name in names)
        {
            // DROP DATABASE waits for a checkpoint, which after a large scenario can take longer than the 30 s default.
            await Admin.ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }
}
