using Erp.Db.Migrations;
using Erp.Db.Scheduling;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Views;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Erp.Db.Tests.Scheduling;

[Trait("Category", "Slow")]
public class CronScheduleTests
{
    [SkippableFact]
    public async Task Migrate_registers_the_refresh_job_in_the_cron_database_and_pg_cron_runs_the_due_refresh()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        var cronDatabase = await db.ScalarAsync<string>("SELECT current_setting('cron.database_name', true)");
        // Without pg_cron, migrate's advice is proven by LocalPostgresServerTests.Without_pg_cron_migrate_succeeds_and_says_what_to_do_instead.
        PgCronAvailability.SkipUnless(cronDatabase is not null, "pg_cron is not installed and preloaded on the test server (.ci/run installs it)");
        var loadedBefore = await ConfigurationLoadTimeAsync(db);
        var first = await new MigrationRunner(db.DataSource).MigrateAsync();
        // New jobs are followed by a SIGHUP that makes pg_cron 1.4's scheduler reload its jobs. A new session reports when the
        // postmaster last reloaded, which it does when it gets to the signal: a few tries.
        var reloaded = false;
        for (var attempt = 0; attempt < 50 && !reloaded; attempt++)
        {
            reloaded = await ConfigurationLoadTimeAsync(db) > loadedBefore;
            if (!reloaded)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }
        Assert.True(reloaded, "migrate did not signal pg_cron to reload its jobs");
        await using var cron = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(db.AdminConnectionString) { Database = cronDatabase }.ConnectionString);
        await Execute(cron, $"SELECT cron.schedule_in_database('erpdb:{db.Name}:retired', '0 0 1 1 *', 'SELECT 1', '{db.Name}')");

        var second = await new MigrationRunner(db.DataSource).MigrateAsync();

        Assert.Contains($"Scheduled pg_cron job erpdb:{db.Name}:refresh_due (* * * * *) in database {db.Name}.", first.Notices);
        Assert.Equal([$"Removed pg_cron job erpdb:{db.Name}:retired, no longer declared."], second.Notices);
        Assert.Equal("CALL ops.refresh_due('schedule')", await Scalar<string>(cron, $"SELECT command FROM cron.job WHERE jobname = 'erpdb:{db.Name}:refresh_due' AND database = '{db.Name}'"));
        // The refresh watchdog runs beside it every minute, in the same database.
        Assert.Equal("CALL ops.cancel_overrunning_refreshes(interval '50 seconds')", await Scalar<string>(cron, $"SELECT command FROM cron.job WHERE jobname = 'erpdb:{db.Name}:cancel_overrunning_refreshes' AND database = '{db.Name}' AND schedule = '* * * * *'"));
        Assert.Equal("SELECT pg_catalog.set_config('lock_timeout', ops.scheduled_lock_timeout(), false); SELECT dw.ensure_partitions()", await Scalar<string>(cron, $"SELECT command FROM cron.job WHERE jobname = 'erpdb:{db.Name}:ensure_partitions' AND database = '{db.Name}'"));
        // One job per schedule file, no more (the retired one is gone).
        Assert.Equal(
            ScheduleScript.Embedded().Select(s => $"erpdb:{db.Name}:{s.Name}").Order(StringComparer.Ordinal),
            await Scalar<string[]>(cron, $"SELECT array_agg(jobname ORDER BY jobname COLLATE \"C\") FROM cron.job WHERE starts_with(jobname, 'erpdb:{db.Name}:')"));

        // New data makes views dirty; the next minute's job refreshes them (on a test server busy with many databases' jobs, a
        // minute or two later).
        await SalesDataset.AddOrderAsync(db, "cron-1", 99m);
        var refreshed = false;
        for (var attempt = 0; attempt < 180 && !refreshed; attempt++)
        {
            refreshed = await db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_refresh_log WHERE refresh_trigger = 'schedule' AND view_name = 'mart.mv_daily_sales' AND status = 'succeeded'") > 0;
            if (!refreshed)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }

        Assert.True(refreshed, "pg_cron did not run ops.refresh_due('schedule') within 180 s: " + await Scalar<string>(cron,
            $"SELECT coalesce(string_agg(status || ': ' || coalesce(return_message, ''), '; '), 'no runs') FROM cron.job_run_details WHERE jobid IN (SELECT jobid FROM cron.job WHERE starts_with(jobname, 'erpdb:{db.Name}:'))"));
        Assert.Equal(await db.ScalarAsync<decimal>("SELECT sum(gmv_cny) FROM dw.fact_sales_orders WHERE dw.is_valid_sale(status)"),
            await db.ScalarAsync<decimal>("SELECT sum(gmv_cny) FROM mart.mv_daily_sales"));
    }

    [SkippableFact]
    public async Task Under_pg_cron_the_watchdog_job_cuts_a_view_past_its_limit_and_the_scheduled_run_goes_on()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var cronDatabase = await db.ScalarAsync<string>("SELECT current_setting('cron.database_name', true)");
        PgCronAvailability.SkipUnless(cronDatabase is not null, "pg_cron is not installed and preloaded on the test server (.ci/run installs it)");
        // A view first in the due run that sleeps ten minutes when refreshed, limited to one second; every view is due.
        await db.ExecuteAsync("""
            SET LOCAL ROLE erp_owner;
            CREATE FUNCTION mart.test_delay() RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
            CREATE MATERIALIZED VIEW mart.mv_aaa_test_slow AS SELECT 1 AS id, mart.test_delay() AS value;
            CREATE UNIQUE INDEX mv_aaa_test_slow_key ON mart.mv_aaa_test_slow (id);
            SELECT ops.register_view('mart.mv_aaa_test_slow', '1 minute', '1 hour');
            CREATE OR REPLACE FUNCTION mart.test_delay() RETURNS integer LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(600); RETURN 2; END $$;
            UPDATE ops.mv_registry SET statement_timeout = '1 second' WHERE view_name = 'mart.mv_aaa_test_slow';
            UPDATE ops.mv_registry SET last_success_at = now() - interval '1 day';
            """);
        const string weeklyRefreshed = "SELECT count(*) FROM ops.mv_refresh_log WHERE refresh_trigger = 'schedule' AND view_name = 'mart.mv_weekly_sales' AND status = 'succeeded'";

        await new MigrationRunner(db.DataSource).MigrateAsync();
        string? slow = null;
        for (var attempt = 0; attempt < 300 && (slow is null || await db.ScalarAsync<long>(weeklyRefreshed) == 0); attempt++)
        {
            slow ??= await db.ScalarAsync<string>("SELECT status || ' ' || error_sqlstate || ': ' || error_message FROM ops.mv_refresh_log WHERE refresh_trigger = 'schedule' AND view_name = 'mart.mv_aaa_test_slow'");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        await using var cron = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(db.AdminConnectionString) { Database = cronDatabase }.ConnectionString);
        Assert.True(slow is not null, "The slow view was not cut within 300 s: " + await Scalar<string>(cron,
            $"SELECT coalesce(string_agg(status || ': ' || coalesce(return_message, ''), '; '), 'no runs') FROM cron.job_run_details WHERE jobid IN (SELECT jobid FROM cron.job WHERE starts_with(jobname, 'erpdb:{db.Name}:'))"));

        Assert.StartsWith("failed 57014: ", slow);
        Assert.Contains("statement timeout of 00:00:01", slow);
        // The same scheduled run went on with the views after it; nothing was logged as cancelled.
        Assert.True(await db.ScalarAsync<long>(weeklyRefreshed) > 0);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_refresh_log WHERE refresh_trigger = 'schedule' AND status = 'cancelled'"));
    }

    [SkippableFact]
    public async Task The_sql_printed_for_a_login_that_may_not_schedule_runs_its_jobs_as_that_login_not_as_the_superuser()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var cronDatabase = await db.ScalarAsync<string>("SELECT current_setting('cron.database_name', true)");
        PgCronAvailability.SkipUnless(cronDatabase is not null, "pg_cron is not installed and preloaded on the test server (.ci/run installs it)");
        await using var owner = await TestLogin.CreateAsync(db, "erp_owner");
        await using var cron = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(db.AdminConnectionString) { Database = cronDatabase }.ConnectionString);
        try
        {
            var notice = Assert.Single(await new CronScheduler(owner.DataSource).EnsureAsync());
            var manual = notice[(notice.IndexOf("must run:\n", StringComparison.Ordinal) + "must run:\n".Length)..];

            // What the DBA does: run the printed lines, unchanged, as a superuser in the cron database.
            await Execute(cron, manual);

            // Run as the superuser, the jobs would call routines the login may replace (it is an erp_owner) with superuser rights.
            Assert.Equal([owner.Name], await Scalar<string[]>(cron,
                $"SELECT array_agg(DISTINCT username) FROM cron.job WHERE starts_with(jobname, 'erpdb:{db.Name}:')"));
            Assert.Equal(ScheduleScript.Embedded().Count, (int)await Scalar<long>(cron, $"SELECT count(*) FROM cron.job WHERE starts_with(jobname, 'erpdb:{db.Name}:')"));
            Assert.Equal(cronDatabase, await Scalar<string>(cron, $"SELECT database FROM cron.job WHERE jobname = 'erpdb:{db.Name}:purge_run_details'"));
            // The login now finds its jobs itself: migrate says nothing more is to be done.
            Assert.Empty(await new CronScheduler(owner.DataSource).EnsureAsync());

            // A job missing later (removed by hand, or new in a later erpdb) the login may not schedule: the notice again, and one
            // warning line without the exception's stack trace.
            await Execute(cron, $"SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = 'erpdb:{db.Name}:refresh_due'");
            var logger = new ListLogger();
            var again = Assert.Single(await new CronScheduler(owner.DataSource, logger: logger).EnsureAsync());
            Assert.Contains("permission denied for function schedule_in_database", again);
            Assert.Contains($"'erpdb:{db.Name}:refresh_due', '* * * * *', 'CALL ops.refresh_due(''schedule'')', '{db.Name}', '{owner.Name}');", again);
            var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
            Assert.Null(warning.Exception);
        }
        finally
        {
            await Execute(cron, $"SELECT count(cron.unschedule(jobid)) FROM cron.job WHERE starts_with(jobname, 'erpdb:{db.Name}:')");
            await Execute(cron, $"REVOKE USAGE ON SCHEMA cron FROM {owner.Name}; REVOKE pg_read_all_settings FROM {owner.Name}");
        }
    }

    /// <summary>pg_conf_load_time() of a new session (a pooled one reports when it, not the server, last reloaded).</summary>
    private static async Task<DateTime> ConfigurationLoadTimeAsync(TestDatabase db)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_conf_load_time()", connection);
        return (DateTime)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<T> Scalar<T>(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task Execute(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
