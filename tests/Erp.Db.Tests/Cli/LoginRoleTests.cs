using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.Cli;

/// <summary>A login without the rights a command needs is told which role the command needs: FORBIDDEN, exit 7.</summary>
public class LoginRoleTests
{
    [Fact]
    public async Task Each_command_a_login_may_not_run_names_the_role_it_needs()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");

        var verify = await CliRun.RunAsync("verify", "--connection", writer.ConnectionString, "--format", "json");
        var seed = await CliRun.RunAsync("seed", "--orders", "50", "--days", "5", "--connection", writer.ConnectionString, "--format", "json");
        var refresh = await CliRun.RunAsync("refresh", "--due", "--connection", reader.ConnectionString, "--format", "json");

        foreach (var (run, role) in new[] { (verify, "erp_owner"), (seed, "erp_owner"), (refresh, "erp_writer") })
        {
            Assert.True(run.ExitCode == 7, run.Output + run.Error);
            var error = run.Json().GetProperty("error");
            Assert.Equal("FORBIDDEN", error.GetProperty("code").GetString());
            Assert.Contains(role, error.GetProperty("message").GetString());
        }
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
    }

    /// <summary>
    /// An app's login may not read the journal, but status compares the scripts for it as the library's schema check does, and
    /// says what it left out: up to date as migrated, and a script the journal lacks is pending for it as for the migrating login.
    /// </summary>
    [Fact]
    public async Task Status_read_by_an_app_login_compares_the_scripts_and_says_what_it_left_out()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        const string Dropped = "migrations/0079_receivable_cancellations_dated.sql";

        foreach (var login in new[] { reader, writer })
        {
            var current = await CliRun.RunAsync("status", "--connection", login.ConnectionString, "--format", "json");
            Assert.True(current.ExitCode == 0, current.Output + current.Error);
            Assert.True(current.Json().GetProperty("data").GetProperty("upToDate").GetBoolean());
            Assert.Contains("ops.schema_journal_rows()", current.Json().GetProperty("meta").GetProperty("limited").GetString());
        }
        await db.ExecuteAsync($"DELETE FROM ops.schema_journal WHERE script_name = '{Dropped}'");
        var owner = await CliRun.RunAsync("status", "--connection", db.ConnectionString, "--format", "json");
        var app = await CliRun.RunAsync("status", "--connection", reader.ConnectionString, "--format", "json");

        foreach (var run in new[] { owner, app })
        {
            var data = run.Json().GetProperty("data");
            Assert.False(data.GetProperty("upToDate").GetBoolean());
            Assert.Equal("pending", data.GetProperty("scripts").EnumerateArray().Single(s => s.GetProperty("name").GetString() == Dropped).GetProperty("state").GetString());
        }
        Assert.False(owner.Json().GetProperty("meta").TryGetProperty("limited", out _));
    }

    [Fact]
    public async Task A_wrong_password_is_UNAUTHORIZED_with_exit_1_and_never_printed()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        const string Wrong = "wrong-pw-8d2e4b";
        var wrong = new NpgsqlConnectionStringBuilder(writer.ConnectionString) { Password = Wrong }.ConnectionString;

        var refused = await CliRun.RunAsync("sales", "--merchant", "1", "--connection", wrong, "--format", "json");

        Assert.True(refused.ExitCode == 1, refused.Output + refused.Error);
        Assert.Equal("UNAUTHORIZED", refused.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("password authentication failed", refused.Json().GetProperty("error").GetProperty("message").GetString());
        Assert.DoesNotContain(Wrong, refused.Output + refused.Error, StringComparison.Ordinal);
    }
}
