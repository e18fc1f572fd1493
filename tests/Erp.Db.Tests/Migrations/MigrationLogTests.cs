using Erp.Db.Migrations;
using Erp.Db.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Erp.Db.Tests.Migrations;

/// <summary>
/// What a failing script leaves in the app's log: one concise entry (script, SQLSTATE, message), no stack trace; the
/// <see cref="MigrationScriptException"/> keeps the detail.
/// </summary>
public class MigrationLogTests
{
    private static readonly MigrationOptions NoSchedule = new() { Schedule = false };

    [Fact]
    public async Task A_failing_script_logs_one_error_naming_the_script_and_SQLSTATE_without_a_stack_trace()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        using var scripts = MigrationRunnerTests.BaseScripts()
            .Write("migrations/0003_broken.sql", "CREATE TABLE dw.half_done (id int);\nSELECT no_such_column FROM dw.half_done;\n");
        var log = new ListLogger();
        var runner = new MigrationRunner(db.DataSource, scripts.Catalog(), NoSchedule, log);

        var error = await Assert.ThrowsAsync<MigrationScriptException>(() => runner.MigrateAsync());

        var failure = Assert.Single(log.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.Contains("migrations/0003_broken.sql", failure.Message, StringComparison.Ordinal);
        Assert.Contains("42703", failure.Message, StringComparison.Ordinal);
        Assert.Contains("no_such_column", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
        Assert.All(log.Entries, e =>
        {
            Assert.Null(e.Exception);
            Assert.DoesNotContain("   at ", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        });
        // The exception keeps what the log leaves out.
        Assert.NotNull(error.StackTrace);
        Assert.Equal("42703", error.SqlState);
        Assert.Equal(2, error.Line);
    }
}
