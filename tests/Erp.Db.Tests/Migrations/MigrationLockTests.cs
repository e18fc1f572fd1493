using System.Text.RegularExpressions;
using Erp.Db.Migrations;
using Erp.Db.Tests.Cli;
using Erp.Db.Tests.Faults;
using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.Migrations;

/// <summary>
/// Migrate's advisory lock: any login may take the key, so migrate waits only for sessions that may
/// migrate themselves, and refuses at once, naming the holder, when a reader holds it.
/// </summary>
public class MigrationLockTests
{
    /// <summary>Migrate's key, 0x6572706462 ("erpdb" in ASCII), in decimal: PostgreSQL 15 reads no hex literals.</summary>
    private const string MigrateKey = "435711665250";

    [Fact]
    public async Task A_reader_holding_the_migrate_lock_makes_migrate_fail_at_once_naming_it()
    {
        // An empty database: no erpdb function exists yet, the holder is found all the same.
        await using var db = await TestDatabase.CreateEmptyAsync();
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await using var squatter = await HoldAsync(reader.DataSource);
        // The lock does not depend on the scripts: two of them keep the final migrate short.
        using var scripts = MigrationRunnerTests.BaseScripts();
        var runner = new MigrationRunner(db.DataSource, scripts.Catalog(), new MigrationOptions { Schedule = false });

        // Without the fix migrate waits for the reader without end: the guard fails the test instead.
        var error = await Assert.ThrowsAsync<MigrationLockedException>(() => runner.MigrateAsync().WaitAsync(TimeSpan.FromSeconds(60)));

        var holder = Assert.Single(error.Holders);
        Assert.Equal(squatter.ProcessID, holder.ProcessId);
        Assert.Equal(reader.Name, holder.Login);
        Assert.Contains($"SELECT pg_terminate_backend({squatter.ProcessID})", error.Message);
        Assert.Null(await db.ScalarAsync<string>("SELECT to_regclass('ops.schema_journal')::text"));
        // The reader still holds its key; migrate left none of its own.
        Assert.Equal(1L, await db.ScalarAsync<long>(
            $"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND objid = ({MigrateKey}::bigint & 4294967295)::oid"));

        // Once that session has ended (the server lets go a moment after the client closes), migrate runs.
        await squatter.CloseAsync();
        while (await FaultChecks.AdvisoryLocksAsync(db) > 0)
        {
            await Task.Delay(50);
        }
        Assert.NotEmpty((await runner.MigrateAsync()).Scripts);
    }

    [Fact]
    public async Task The_cli_answers_a_reader_holding_the_migrate_lock_with_the_error_envelope_and_exit_8()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await using var squatter = await HoldAsync(reader.DataSource);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var run = await CliRun.RunAsync(null, guard.Token, "migrate", "--connection", db.ConnectionString, "--format", "json");

        // Its own code and exit, which a pipeline can tell from a failed script: nothing ran, the same run can be tried again.
        Assert.Equal(8, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal("MIGRATION_LOCKED", error.GetProperty("code").GetString());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname IN ('dw', 'mart')"));
        Assert.Contains($"pg_terminate_backend({squatter.ProcessID})", error.GetProperty("message").GetString());
        var holder = Assert.Single(error.GetProperty("details").GetProperty("holders").EnumerateArray());
        Assert.Equal(squatter.ProcessID, holder.GetProperty("pid").GetInt32());
        Assert.Equal(reader.Name, holder.GetProperty("login").GetString());
    }

    [Fact]
    public async Task A_session_whose_login_may_migrate_is_waited_for_and_named_once_on_stderr()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        // Not a superuser: a member of erp_owner, the role that owns the warehouse schemas.
        await using var owner = await TestLogin.CreateAsync(db, "erp_owner");
        await using var holder = await HoldAsync(owner.DataSource);
        var pid = holder.ProcessID;

        using var run = ErpdbProcess.Start(db.ConnectionString, "migrate", "--format", "json");
        await run.WaitForBackendAsync(db.ConnectionString, "wait_event_type = 'Lock' AND wait_event = 'advisory'");
        // Several of migrate's one-second waits pass: it keeps waiting and says so once.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!run.Error.Contains($"process {pid} ({owner.Name}") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
        var stillRunning = await db.ScalarAsync<long>(
            $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{run.ApplicationName}'");
        var said = run.Error;
        var answered = run.Output;
        await holder.CloseAsync();
        var exitCode = await run.WaitAsync();

        Assert.True(stillRunning > 0 && answered.Trim().Length == 0, $"migrate ended while the holder held the lock: {answered}{said}");
        Assert.Contains($"process {pid} ({owner.Name}", said);
        Assert.Single(Regex.Matches(said, "Waiting for the migrate lock"));
        Assert.True(exitCode == 0, run.Output + run.Error);
        Assert.Equal(0, await FaultChecks.AdvisoryLocksAsync(db));
    }

    /// <summary>A session of <paramref name="login"/> that takes migrate's key and keeps it until closed.</summary>
    private static async Task<NpgsqlConnection> HoldAsync(NpgsqlDataSource login)
    {
        var connection = await login.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrateKey})", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }
}
