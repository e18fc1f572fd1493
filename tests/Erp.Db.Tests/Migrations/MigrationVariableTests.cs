using Erp.Db.Health;
using Erp.Db.Migrations;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Migrations;

/// <summary>Migrate variables (<c>$name$</c>, <c>ErpDb:Migration:Variables</c>) changed after the first migrate reach the database.</summary>
public class MigrationVariableTests
{
    private static readonly string[] ViewScripts = [.. ScriptCatalog.Embedded().Scripts
        .Where(s => s.Kind == ScriptKind.View && s.Contents.Contains("$default_refresh_interval$", StringComparison.Ordinal))
        .Select(s => s.Name)];

    private static MigrationOptions Configured(string refreshInterval) => new()
    {
        Schedule = false,
        Variables = new Dictionary<string, string> { ["default_refresh_interval"] = refreshInterval },
    };

    [Fact]
    public async Task A_changed_variable_reruns_the_views_that_use_it_and_the_registry_takes_the_new_value()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var runner = new MigrationRunner(db.DataSource, options: Configured("15 minutes"));

        var before = await runner.StatusAsync();
        var migrate = await runner.MigrateAsync();
        var after = await runner.StatusAsync();
        await using var erp = new ErpDatabase(db.DataSource, options: new ErpDbOptions { Migration = Configured("15 minutes") });
        var doctor = await erp.Doctor.CheckAsync();
        var backToDefault = await new MigrationRunner(db.DataSource).StatusAsync();

        Assert.NotEmpty(ViewScripts);
        var changed = before.ToRun;
        Assert.Equal(ViewScripts.Order(), changed.Select(s => s.Name).Order());
        Assert.All(changed, s => Assert.Equal(ScriptState.Changed, s.State));
        // (The template may have been migrated by an erpdb that recorded no variables: then the defaults were applied.)
        Assert.All(changed, s => Assert.StartsWith("variable default_refresh_interval is configured as '15 minutes' but was applied as '5 minutes'", s.Reason));
        Assert.Equal(ViewScripts.Order(), migrate.Scripts.Select(s => s.Name).Order());
        Assert.Equal(ViewScripts.Length, await db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_registry WHERE refresh_interval = '15 minutes' AND stale_after = '30 minutes'"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_registry WHERE refresh_interval <> '15 minutes'"));
        Assert.Equal("15 minutes", await db.ScalarAsync<string>(
            "SELECT variables ->> 'default_refresh_interval' FROM ops.schema_journal WHERE script_name = 'views/mart.mv_daily_sales.sql' ORDER BY journal_id DESC LIMIT 1"));
        Assert.True(after.IsUpToDate);
        // The doctor compares with the configured variables, not the defaults.
        Assert.DoesNotContain(doctor, p => p.Code == HealthCodes.PendingScript);
        // Nor does it expect the pg_cron jobs a migrate configured not to schedule registers none of (the template has none);
        // a doctor configured to schedule does, on a server with pg_cron.
        Assert.DoesNotContain(doctor, p => p.Code == HealthCodes.CronJobMissing);
        if (await db.ScalarAsync<string>("SELECT current_setting('cron.database_name', true)") is not null)
        {
            await using var scheduling = new ErpDatabase(db.DataSource);
            Assert.Contains(await scheduling.Doctor.CheckAsync(), p => p.Code == HealthCodes.CronJobMissing);
        }
        Assert.All(backToDefault.ToRun, s => Assert.Equal("variable default_refresh_interval is configured as '5 minutes' but was applied as '15 minutes'", s.Reason));
        Assert.Equal(ViewScripts.Length, backToDefault.ToRun.Count);
    }

    [Fact]
    public async Task A_journal_from_before_variables_were_recorded_stays_up_to_date_and_counts_as_applied_with_the_defaults()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        // The journal an earlier erpdb left: no variables column.
        await db.ExecuteAsync("ALTER TABLE ops.schema_journal DROP COLUMN IF EXISTS variables");
        var runner = new MigrationRunner(db.DataSource, options: new MigrationOptions { Schedule = false });

        var status = await runner.StatusAsync();
        var migrate = await runner.MigrateAsync();
        var configured = await new MigrationRunner(db.DataSource, options: Configured("15 minutes")).StatusAsync();

        Assert.True(status.IsUpToDate);
        Assert.Empty(status.Drift);
        Assert.Empty(migrate.Scripts);
        Assert.Equal(ViewScripts.Order(), configured.ToRun.Select(s => s.Name).Order());
        Assert.All(configured.ToRun, s => Assert.Contains("was applied as '5 minutes' (the default", s.Reason));
        Assert.Empty(configured.Drift);
    }

    [Fact]
    public async Task A_migration_is_not_run_again_when_a_variable_it_used_changes()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        using var scripts = MigrationRunnerTests.BaseScripts()
            .Write("migrations/0003_setting.sql", "CREATE TABLE ops.setting (every interval NOT NULL DEFAULT '$default_refresh_interval$');")
            .Write("functions/ops.every.sql", "CREATE OR REPLACE FUNCTION ops.every() RETURNS interval LANGUAGE sql AS $$ SELECT '$default_refresh_interval$'::interval $$;");
        await new MigrationRunner(db.DataSource, scripts.Catalog(), Configured("5 minutes")).MigrateAsync();

        var rerun = await new MigrationRunner(db.DataSource, scripts.Catalog(), Configured("1 hour")).MigrateAsync();

        Assert.Equal("functions/ops.every.sql", Assert.Single(rerun.Scripts).Name);
        Assert.Equal(TimeSpan.FromHours(1), await db.ScalarAsync<TimeSpan>("SELECT ops.every()"));
        Assert.Equal(TimeSpan.FromMinutes(5), await db.ScalarAsync<TimeSpan>("INSERT INTO ops.setting DEFAULT VALUES RETURNING every"));
    }
}
