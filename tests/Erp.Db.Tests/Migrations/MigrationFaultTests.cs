using System.Diagnostics;
using Erp.Db.Cli;
using Erp.Db.Migrations;
using Erp.Db.Tests.Cli;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Migrations;

/// <summary>The migration runner under faults: partly applied scripts, a killed client, downgrades, login rights.</summary>
public class MigrationFaultTests
{
    private static readonly MigrationOptions NoSchedule = new() { Schedule = false };

    [Fact]
    public async Task A_failing_no_transaction_script_says_what_stayed_applied_and_the_next_run_resumes_at_the_failing_statement()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        using var scripts = MigrationRunnerTests.BaseScripts().Write("migrations/0003_steps.sql", """
            -- erpdb:no-transaction
            CREATE TABLE dw.step1 (id int);
            CREATE TABLE dw.step2 (id int);
            SELECT no_such_column FROM dw.step2;
            CREATE TABLE dw.step4 (id int);
            """);

        var error = await Assert.ThrowsAsync<MigrationScriptException>(() => new MigrationRunner(db.DataSource, scripts.Catalog(), NoSchedule).MigrateAsync());
        var partly = (await new MigrationRunner(db.DataSource, scripts.Catalog()).StatusAsync()).Scripts.Single(s => s.Name == "migrations/0003_steps.sql");
        scripts.Write("migrations/0003_steps.sql", """
            -- erpdb:no-transaction
            CREATE TABLE dw.step1 (id int);
            CREATE TABLE dw.step2 (id int);
            SELECT id FROM dw.step2;
            CREATE TABLE dw.step4 (id int);
            """);
        var resumed = await new MigrationRunner(db.DataSource, scripts.Catalog(), NoSchedule).MigrateAsync();

        Assert.Equal(2, error.StatementsApplied);
        Assert.Equal(4, error.Line);
        Assert.Contains("statements 1..2 of 4 were applied and committed", error.Message);
        Assert.Contains("resumes at statement 3", error.Message);
        Assert.DoesNotContain("Nothing of this script was applied", error.Message);
        Assert.Equal(ScriptState.Pending, partly.State);
        Assert.Equal(2, partly.StatementsApplied);
        Assert.Equal("migrations/0003_steps.sql", Assert.Single(resumed.Scripts).Name);
        Assert.Equal("dw.step4", await db.ScalarAsync<string>("SELECT to_regclass('dw.step4')::text"));
        Assert.True((await new MigrationRunner(db.DataSource, scripts.Catalog()).StatusAsync()).IsUpToDate);
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal WHERE script_name = 'migrations/0003_steps.sql'"));
    }

    [Fact]
    public async Task A_partly_applied_no_transaction_script_whose_applied_statements_changed_is_drift()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        using var scripts = MigrationRunnerTests.BaseScripts()
            .Write("migrations/0003_steps.sql", "-- erpdb:no-transaction\nCREATE TABLE dw.step1 (id int);\nSELECT 1/0;\n");
        await Assert.ThrowsAsync<MigrationScriptException>(() => new MigrationRunner(db.DataSource, scripts.Catalog(), NoSchedule).MigrateAsync());

        scripts.Write("migrations/0003_steps.sql", "-- erpdb:no-transaction\nCREATE TABLE dw.step1 (id bigint);\nSELECT 1;\n");
        var error = await Assert.ThrowsAsync<MigrationDriftException>(() => new MigrationRunner(db.DataSource, scripts.Catalog(), NoSchedule).MigrateAsync());

        Assert.Equal("migrations/0003_steps.sql", Assert.Single(error.Drift).Name);
        Assert.Equal("integer", await db.ScalarAsync<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'dw.step1'::regclass AND attname = 'id'"));
    }

    [Fact]
    public async Task A_second_migrate_waits_while_the_server_still_runs_the_statement_of_a_killed_erpdb()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        // The first statement fails if another session still runs this script's sleep: scripts applied concurrently.
        using var scripts = MigrationRunnerTests.BaseScripts().Write("migrations/0003_slow.sql", """
            DO $$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity
                           WHERE pid <> pg_catalog.pg_backend_pid() AND datname = pg_catalog.current_database()
                             AND state = 'active' AND query LIKE '%slow' || '_marker%') THEN
                    RAISE EXCEPTION 'another migrate still runs migrations/0003_slow.sql';
                END IF;
            END
            $$;
            CREATE TABLE dw.slow (id int);
            SELECT pg_sleep(3) AS slow_marker;
            INSERT INTO dw.slow VALUES (1);
            """);
        var baseOnly = MigrationRunnerTests.BaseScripts();
        using (baseOnly)
        {
            await new MigrationRunner(db.DataSource, baseOnly.Catalog(), NoSchedule).MigrateAsync();
        }

        using var first = StartErpdb("migrate", "--connection", db.ConnectionString, "--scripts", scripts.Path);
        while (await db.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%slow' || '_marker%'") == 0)
        {
            if (first.HasExited)
            {
                Assert.Fail($"erpdb migrate ended before its slow statement ran: {await first.StandardOutput.ReadToEndAsync()} {await first.StandardError.ReadToEndAsync()}");
            }
            await Task.Delay(50);
        }
        first.Kill(entireProcessTree: true);
        var second = await new MigrationRunner(db.DataSource, scripts.Catalog(), NoSchedule).MigrateAsync();
        var verify = await CliRun.RunAsync("verify", "--connection", db.ConnectionString, "--scripts", scripts.Path);

        Assert.Equal("migrations/0003_slow.sql", Assert.Single(second.Scripts).Name);
        Assert.Equal(0, verify.ExitCode);
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM dw.slow"));
        Assert.Equal(3, await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal"));
    }

    [Fact]
    public async Task An_older_erpdb_refuses_to_roll_back_a_function_a_newer_one_applied_unless_allowed()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        using var scripts = MigrationRunnerTests.BaseScripts()
            .Write("functions/ops.answer.sql", "CREATE OR REPLACE FUNCTION ops.answer() RETURNS int LANGUAGE sql AS $$ SELECT 42 $$;");
        await new MigrationRunner(db.DataSource, scripts.Catalog(), NoSchedule).MigrateAsync();
        // As if a later erpdb release had applied it.
        await db.ExecuteAsync("UPDATE ops.schema_journal SET erpdb_version = '999.0.0+newer' WHERE script_name = 'functions/ops.answer.sql'");
        scripts.Write("functions/ops.answer.sql", "CREATE OR REPLACE FUNCTION ops.answer() RETURNS int LANGUAGE sql AS $$ SELECT 41 $$;");

        var error = await Assert.ThrowsAsync<MigrationDowngradeException>(() => new MigrationRunner(db.DataSource, scripts.Catalog(), NoSchedule).MigrateAsync());
        var kept = await db.ScalarAsync<int>("SELECT ops.answer()");
        await new MigrationRunner(db.DataSource, scripts.Catalog(), NoSchedule with { AllowDowngrade = true }).MigrateAsync();

        Assert.Equal("functions/ops.answer.sql", Assert.Single(error.Downgrades).Name);
        Assert.Contains("functions/ops.answer.sql", error.Message);
        Assert.Contains("999.0.0", error.Message);
        Assert.Equal(42, kept);
        Assert.Equal(41, await db.ScalarAsync<int>("SELECT ops.answer()"));
    }

    [Fact]
    public async Task Migrate_refuses_to_re_apply_a_function_text_that_was_replaced_unless_allow_downgrade()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        const string old = "CREATE OR REPLACE FUNCTION ops.answer() RETURNS int LANGUAGE sql AS $$ SELECT 41 $$;";
        using var scripts = MigrationRunnerTests.BaseScripts().Write("functions/ops.answer.sql", old);
        await new MigrationRunner(db.DataSource, scripts.Catalog(), NoSchedule).MigrateAsync();
        scripts.Write("functions/ops.answer.sql", "CREATE OR REPLACE FUNCTION ops.answer() RETURNS int LANGUAGE sql AS $$ SELECT 42 $$;");
        await new MigrationRunner(db.DataSource, scripts.Catalog(), NoSchedule).MigrateAsync();
        scripts.Write("functions/ops.answer.sql", old);

        var refused = await CliRun.RunAsync("migrate", "--connection", db.ConnectionString, "--scripts", scripts.Path, "--format", "json");
        var kept = await db.ScalarAsync<int>("SELECT ops.answer()");
        var allowed = await CliRun.RunAsync("migrate", "--connection", db.ConnectionString, "--scripts", scripts.Path, "--allow-downgrade");

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("DOWNGRADE", refused.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("functions/ops.answer.sql", refused.Json().GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(42, kept);
        Assert.Equal(0, allowed.ExitCode);
        Assert.Equal(41, await db.ScalarAsync<int>("SELECT ops.answer()"));
    }

    /// <summary>What pg_dump writes: session settings, an empty search_path, $_$ bodies, OWNER TO, partitions, a materialized view, a trigger.</summary>
    private const string DumpStyleScript = """
        -- erpdb:run-as-login
        -- A schema restored from pg_dump output: it hands objects to other roles, which erp_owner may not do.
        SET statement_timeout = 0;
        SET client_encoding = 'UTF8';
        SET standard_conforming_strings = on;
        SELECT pg_catalog.set_config('search_path', '', false);
        SET check_function_bodies = false;
        SET client_min_messages = warning;
        SET row_security = off;

        CREATE SCHEMA legacy;
        ALTER SCHEMA legacy OWNER TO erp_writer;

        CREATE FUNCTION legacy.touch() RETURNS trigger
            LANGUAGE plpgsql
            AS $_$
        BEGIN
            NEW.note := coalesce(NEW.note, '$1;');
            RETURN NEW;
        END
        $_$;
        ALTER FUNCTION legacy.touch() OWNER TO erp_writer;

        SET default_table_access_method = heap;

        CREATE TABLE legacy.events (
            id bigint NOT NULL,
            day date NOT NULL,
            note text
        )
        PARTITION BY RANGE (day);
        ALTER TABLE legacy.events OWNER TO erp_writer;

        CREATE TABLE legacy.events_2026 (
            id bigint NOT NULL,
            day date NOT NULL,
            note text
        );
        ALTER TABLE ONLY legacy.events ATTACH PARTITION legacy.events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
        ALTER TABLE legacy.events_2026 OWNER TO erp_writer;

        CREATE MATERIALIZED VIEW legacy.daily AS
         SELECT events.day,
            count(*) AS n
           FROM legacy.events
          GROUP BY events.day
          WITH NO DATA;
        ALTER TABLE legacy.daily OWNER TO erp_writer;

        ALTER TABLE ONLY legacy.events
            ADD CONSTRAINT events_pkey PRIMARY KEY (id, day);
        ALTER TABLE ONLY legacy.events_2026
            ADD CONSTRAINT events_2026_pkey PRIMARY KEY (id, day);
        ALTER INDEX legacy.events_pkey ATTACH PARTITION legacy.events_2026_pkey;

        CREATE TRIGGER events_touch BEFORE INSERT ON legacy.events_2026 FOR EACH ROW EXECUTE FUNCTION legacy.touch();
        """;

    [Fact]
    public async Task A_run_as_login_script_applies_pg_dump_output_as_psql_does_and_its_settings_do_not_reach_the_next_script()
    {
        await using var migrated = await TestDatabase.CreateEmptyAsync();
        await using var restored = await TestDatabase.CreateEmptyAsync();
        using var scripts = MigrationRunnerTests.BaseScripts()
            .Write("migrations/0003_legacy.sql", DumpStyleScript)
            .Write("migrations/0004_after.sql", "CREATE TABLE dw.search_paths AS SELECT current_setting('search_path') AS path, current_user::text AS who;");
        using var baseOnly = MigrationRunnerTests.BaseScripts();
        await new MigrationRunner(restored.DataSource, baseOnly.Catalog(), NoSchedule).MigrateAsync();
        var file = Path.Combine(scripts.Path, "migrations/0003_legacy.sql");

        await new MigrationRunner(migrated.DataSource, scripts.Catalog(), NoSchedule).MigrateAsync();
        var psql = await PgTools.PsqlFileAsync(restored.ConnectionString, file);

        Assert.True(psql.ExitCode == 0, psql.Error);
        Assert.Equal(await PgTools.SchemaDumpAsync(restored.ConnectionString, "legacy"), await PgTools.SchemaDumpAsync(migrated.ConnectionString, "legacy"));
        Assert.Equal("erp_writer", await migrated.ScalarAsync<string>("SELECT tableowner::text FROM pg_tables WHERE schemaname = 'legacy' AND tablename = 'events_2026'"));
        await migrated.ExecuteAsync("INSERT INTO legacy.events VALUES (1, '2026-03-01', NULL)");
        Assert.Equal("$1;", await migrated.ScalarAsync<string>("SELECT note FROM legacy.events"));
        Assert.Equal("\"$user\", public", await migrated.ScalarAsync<string>("SELECT path FROM dw.search_paths"));
        Assert.Equal("erp_owner", await migrated.ScalarAsync<string>("SELECT who FROM dw.search_paths"));
    }

    /// <summary>Starts the erpdb tool as a process of its own, as a DBA runs it.</summary>
    private static Process StartErpdb(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(ErpDbCli).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start)!;
    }
}
