using Erp.Db.Migrations;
using Erp.Db.Migrations.Engine;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Migrations;

public class MigrationRunnerTests
{
    [Fact]
    public async Task A_failing_script_leaves_nothing_of_itself_and_names_file_line_and_message()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        using var scripts = BaseScripts()
            .Write("migrations/0003_broken.sql", "CREATE TABLE dw.half_done (id int);\nINSERT INTO dw.half_done VALUES (1);\n\nSELECT no_such_column\n  FROM dw.half_done;\n")
            .Write("migrations/0004_after.sql", "CREATE TABLE dw.after_broken (id int);");
        var runner = new MigrationRunner(db.DataSource, scripts.Catalog());

        var error = await Assert.ThrowsAsync<MigrationScriptException>(() => runner.MigrateAsync());

        Assert.Equal("migrations/0003_broken.sql", error.ScriptName);
        Assert.Equal(4, error.Line);
        Assert.Equal("42703", error.SqlState);
        Assert.Contains("no_such_column", error.Message);
        Assert.Null(await db.ScalarAsync<string>("SELECT to_regclass('dw.half_done')::text"));
        Assert.Null(await db.ScalarAsync<string>("SELECT to_regclass('dw.after_broken')::text"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal WHERE script_name LIKE '%0003%'"));
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal"));
    }

    [Fact]
    public async Task A_changed_migration_is_drift_that_status_reports_and_migrate_refuses()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        using var scripts = BaseScripts().Write("migrations/0003_table.sql", "CREATE TABLE dw.t (id int);");
        await new MigrationRunner(db.DataSource, scripts.Catalog()).MigrateAsync();

        scripts.Write("migrations/0003_table.sql", "CREATE TABLE dw.t (id bigint);")
            .Write("migrations/0004_more.sql", "CREATE TABLE dw.more (id int);");
        var runner = new MigrationRunner(db.DataSource, scripts.Catalog());
        var status = await runner.StatusAsync();
        var error = await Assert.ThrowsAsync<MigrationDriftException>(() => runner.MigrateAsync());

        var drifted = Assert.Single(status.Drift);
        Assert.Equal("migrations/0003_table.sql", drifted.Name);
        Assert.Equal(ScriptState.Drifted, drifted.State);
        Assert.Contains("migrations/0003_table.sql", error.Message);
        Assert.Null(await db.ScalarAsync<string>("SELECT to_regclass('dw.more')::text"));
    }

    [Fact]
    public async Task A_migration_reworded_in_its_comments_only_stays_applied_and_a_code_change_under_the_same_claim_is_drift()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        const string first = "-- 0003_table: a table named after a document users never see.\nCREATE TABLE dw.t (id int); -- see that document\nCOMMENT ON TABLE dw.t IS 'As that document says.';\n";
        using var scripts = BaseScripts().Write("migrations/0003_table.sql", first);
        await new MigrationRunner(db.DataSource, scripts.Catalog()).MigrateAsync();
        var applied = new MigrationScript("migrations/0003_table.sql", ScriptKind.Migration, first);
        var claim = $"-- erpdb:reworded-from {applied.Sha256} {ScriptCode.Sha256(first)}\n";

        scripts.Write("migrations/0003_table.sql", claim + "-- 0003_table: a table of ids.\nCREATE TABLE dw.t (id int);\nCOMMENT ON TABLE dw.t IS 'Ids.';\n");
        var reworded = await new MigrationRunner(db.DataSource, scripts.Catalog()).StatusAsync();
        scripts.Write("migrations/0003_table.sql", claim + "-- 0003_table: a table of ids.\nCREATE TABLE dw.t (id bigint);\n");
        var recoded = await new MigrationRunner(db.DataSource, scripts.Catalog()).StatusAsync();

        Assert.Empty(reworded.Drift);
        Assert.DoesNotContain(reworded.Scripts, s => s.WillRun);
        Assert.Equal(ScriptState.Drifted, Assert.Single(recoded.Drift).State);
    }

    [Fact]
    public async Task A_removed_migration_is_drift()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        using var scripts = BaseScripts().Write("migrations/0003_table.sql", "CREATE TABLE dw.t (id int);");
        await new MigrationRunner(db.DataSource, scripts.Catalog()).MigrateAsync();
        File.Delete(Path.Combine(scripts.Path, "migrations/0003_table.sql"));

        var status = await new MigrationRunner(db.DataSource, scripts.Catalog()).StatusAsync();

        var missing = Assert.Single(status.Drift);
        Assert.Equal(ScriptState.Missing, missing.State);
    }

    [Fact]
    public async Task Repeatable_scripts_run_again_only_when_their_text_changes()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        using var scripts = BaseScripts()
            .Write("functions/ops.answer.sql", "CREATE OR REPLACE FUNCTION ops.answer() RETURNS int LANGUAGE sql AS $$ SELECT 41 $$;");
        await new MigrationRunner(db.DataSource, scripts.Catalog()).MigrateAsync();

        var unchanged = await new MigrationRunner(db.DataSource, scripts.Catalog()).MigrateAsync();
        scripts.Write("functions/ops.answer.sql", "CREATE OR REPLACE FUNCTION ops.answer() RETURNS int LANGUAGE sql AS $$ SELECT 42 $$;");
        var runner = new MigrationRunner(db.DataSource, scripts.Catalog());
        var changedState = (await runner.StatusAsync()).Scripts.Single(s => s.Name == "functions/ops.answer.sql").State;
        var changed = await runner.MigrateAsync();

        Assert.Empty(unchanged.Scripts);
        Assert.Equal(ScriptState.Changed, changedState);
        Assert.Equal("functions/ops.answer.sql", Assert.Single(changed.Scripts).Name);
        Assert.Equal(42, await db.ScalarAsync<int>("SELECT ops.answer()"));
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal WHERE script_name = 'functions/ops.answer.sql'"));
    }

    [Fact]
    public async Task PostgreSQL_syntax_that_trips_DbUp_applies()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        using var scripts = BaseScripts().Write("migrations/0003_syntax.sql", """
            -- tagged dollar quotes, $$, BEGIN ATOMIC, and semicolons inside strings and comments; all fine
            CREATE FUNCTION ops.tagged() RETURNS text LANGUAGE plpgsql AS $fn$
            BEGIN
                RETURN 'a;b' || $inner$;c$inner$;
            END
            $fn$;
            CREATE FUNCTION ops.plain() RETURNS text LANGUAGE sql AS $$ SELECT 'x;y' $$;
            CREATE FUNCTION ops.atomic(n int) RETURNS int LANGUAGE sql
            BEGIN ATOMIC
                SELECT CASE WHEN n > 0 THEN n + 1 ELSE 0 END;
            END;
            CREATE TABLE ops.notes (body text);
            INSERT INTO ops.notes VALUES ('one; two'), (E'it\'s; three');
            SELECT '$default_refresh_interval$'::interval;
            """);

        await new MigrationRunner(db.DataSource, scripts.Catalog()).MigrateAsync();

        Assert.Equal("a;b;c", await db.ScalarAsync<string>("SELECT ops.tagged()"));
        Assert.Equal("x;y", await db.ScalarAsync<string>("SELECT ops.plain()"));
        Assert.Equal(6, await db.ScalarAsync<int>("SELECT ops.atomic(5)"));
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT count(*) FROM ops.notes WHERE body LIKE '%;%'"));
    }

    [Fact]
    public async Task A_dry_run_lists_what_would_run_and_changes_nothing()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        var runner = new MigrationRunner(db.DataSource);

        var result = await runner.MigrateAsync(dryRun: true);

        Assert.True(result.DryRun);
        Assert.Equal(ScriptCatalog.Embedded().Scripts.Count, result.Scripts.Count);
        Assert.All(result.Scripts, s => Assert.Equal(ScriptState.Pending, s.State));
        Assert.Null(await db.ScalarAsync<string>("SELECT to_regclass('ops.schema_journal')::text"));
    }

    [Fact]
    public async Task A_no_transaction_script_can_create_an_index_concurrently()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        using var scripts = BaseScripts()
            .Write("migrations/0003_table.sql", "CREATE TABLE dw.big (id int);")
            .Write("migrations/0004_index.sql", "-- erpdb:no-transaction\nCREATE INDEX CONCURRENTLY big_id_idx ON dw.big (id);");

        await new MigrationRunner(db.DataSource, scripts.Catalog()).MigrateAsync();

        Assert.Equal("dw.big_id_idx", await db.ScalarAsync<string>("SELECT to_regclass('dw.big_id_idx')::text"));
        Assert.Equal(4, await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal"));
    }

    [Fact]
    public async Task Views_run_in_dependency_order_and_a_changed_view_rebuilds_its_dependents()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        using var scripts = BaseScripts()
            .Write("migrations/0003_facts.sql", "CREATE TABLE dw.sales (day date, amount numeric); INSERT INTO dw.sales VALUES ('2026-01-01', 10), ('2026-01-02', 5);")
            .Write("views/mart.a_totals.sql", "-- requires: mart.z_daily\nDROP MATERIALIZED VIEW IF EXISTS mart.a_totals;\nCREATE MATERIALIZED VIEW mart.a_totals AS SELECT sum(amount) AS total FROM mart.z_daily;")
            .Write("views/mart.z_daily.sql", "DROP MATERIALIZED VIEW IF EXISTS mart.z_daily CASCADE;\nCREATE MATERIALIZED VIEW mart.z_daily AS SELECT day, sum(amount) AS amount FROM dw.sales GROUP BY day;");
        await new MigrationRunner(db.DataSource, scripts.Catalog()).MigrateAsync();

        scripts.Write("views/mart.z_daily.sql", "DROP MATERIALIZED VIEW IF EXISTS mart.z_daily CASCADE;\nCREATE MATERIALIZED VIEW mart.z_daily AS SELECT day, sum(amount) * 2 AS amount FROM dw.sales GROUP BY day;");
        var rebuilt = await new MigrationRunner(db.DataSource, scripts.Catalog()).MigrateAsync();

        Assert.Equal(["views/mart.z_daily.sql", "views/mart.a_totals.sql"], rebuilt.Scripts.Select(s => s.Name));
        Assert.Equal(30m, await db.ScalarAsync<decimal>("SELECT total FROM mart.a_totals"));
    }

    [Fact]
    public async Task The_review_script_holds_each_pending_script_and_its_journal_entry()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        var runner = new MigrationRunner(db.DataSource);

        var sql = await runner.ScriptAsync();

        foreach (var script in ScriptCatalog.Embedded().Scripts)
        {
            Assert.Contains($"-- ==== {script.Name}", sql);
            Assert.Contains($"'{script.Sha256}'", sql);
        }
        Assert.Null(await db.ScalarAsync<string>("SELECT to_regclass('ops.schema_journal')::text"));
    }

    /// <summary>The real first two migrations (schemas with the journal, roles) in a folder of the test's own.</summary>
    internal static ScriptFolder BaseScripts()
    {
        var folder = new ScriptFolder();
        foreach (var script in ScriptCatalog.Embedded().Scripts.Where(s => s.Name is "migrations/0001_schemas.sql" or "migrations/0002_roles.sql"))
        {
            folder.Write(script.Name, script.Contents);
        }
        return folder;
    }

    [Fact]
    public async Task A_copy_of_a_migrated_database_gets_its_database_grants_back_and_new_objects_stay_erp_owners()
    {
        // Test databases are copies of a migrated template (CREATE DATABASE ... TEMPLATE), which
        // copies schemas and objects but not the database privileges migration 0002 granted.
        await using var db = await TestDatabase.CreateMigratedAsync();
        Assert.False(await db.ScalarAsync<bool>("SELECT has_database_privilege('erp_owner', current_database(), 'CREATE')"));
        using var scripts = ViewRebuildTests.EmbeddedScripts()
            .Write("migrations/0900_copy_probe.sql", "CREATE TABLE dw.copy_probe (id int);");

        await new MigrationRunner(db.DataSource, scripts.Catalog(), new MigrationOptions { Schedule = false }).MigrateAsync();

        Assert.Equal("erp_owner", await db.ScalarAsync<string>("SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE oid = 'dw.copy_probe'::regclass"));
        Assert.True(await db.ScalarAsync<bool>("SELECT has_database_privilege('erp_owner', current_database(), 'CREATE')"));
        Assert.True(await db.ScalarAsync<bool>("SELECT has_database_privilege('erp_reader', current_database(), 'CONNECT')"));
    }

    [Fact]
    public async Task A_copy_that_is_up_to_date_gets_its_database_grants_back_from_a_migrate_that_applies_nothing()
    {
        // A backup restored into a new database, which the DBA locked down as docs/security.md says, before any script is pending.
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync("REVOKE TEMPORARY ON DATABASE " + db.Name + " FROM PUBLIC");
        Assert.False(await db.ScalarAsync<bool>("SELECT has_database_privilege('erp_writer', current_database(), 'TEMPORARY')"));

        var result = await new MigrationRunner(db.DataSource, options: new MigrationOptions { Schedule = false }).MigrateAsync();

        Assert.Empty(result.Scripts);
        // Ingest writes through temporary tables: without TEMPORARY every import of the writer is refused.
        Assert.True(await db.ScalarAsync<bool>("SELECT has_database_privilege('erp_writer', current_database(), 'TEMPORARY')"));
        Assert.True(await db.ScalarAsync<bool>("SELECT has_database_privilege('erp_owner', current_database(), 'CREATE')"));
        Assert.True(await db.ScalarAsync<bool>("SELECT has_database_privilege('erp_reader', current_database(), 'CONNECT')"));
        Assert.False(await db.ScalarAsync<bool>("SELECT has_database_privilege('erp_reader', current_database(), 'TEMPORARY')"));
    }

    [Fact]
    public async Task A_function_replaced_by_hand_is_changed_in_status_and_migrate_applies_its_file_again()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var runner = new MigrationRunner(db.DataSource, options: new MigrationOptions { Schedule = false });
        await runner.MigrateAsync();
        Assert.True((await runner.StatusAsync()).IsUpToDate);
        // Replaced so, every scoped reader would read merchant 2: the isolation check cannot tell, the journal's definitions can.
        await db.ExecuteAsync("""
            CREATE OR REPLACE FUNCTION ops.current_merchant_id() RETURNS bigint
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS 'SELECT 2::bigint'
            """);

        var status = await runner.StatusAsync();
        var result = await runner.MigrateAsync();

        var changed = Assert.Single(status.ToRun);
        Assert.Equal(("functions/ops.current_merchant_id.sql", ScriptState.Changed), (changed.Name, changed.State));
        Assert.Contains("its functions in the database differ from what migrate applied", changed.Reason);
        Assert.Equal(["functions/ops.current_merchant_id.sql"], result.Scripts.Select(s => s.Name));
        Assert.True((await runner.StatusAsync()).IsUpToDate);
        Assert.DoesNotContain("SELECT 2", await db.ScalarAsync<string>("SELECT pg_get_functiondef('ops.current_merchant_id()'::regprocedure)"));
    }

    [Fact]
    public async Task A_migration_whose_journal_row_was_lost_is_pending_out_of_order_and_says_so()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync("DELETE FROM ops.schema_journal WHERE script_name = 'migrations/0057_receipts_reader_view.sql'");

        var status = await new MigrationRunner(db.DataSource).StatusAsync();

        var lost = Assert.Single(status.ToRun);
        var last = status.Scripts.Where(s => s.Kind == ScriptKind.Migration).Select(s => s.Name).Max(StringComparer.Ordinal);
        Assert.Equal(("migrations/0057_receipts_reader_view.sql", ScriptState.Pending), (lost.Name, lost.State));
        Assert.StartsWith($"never applied, though the later {last} is: if the database has what it makes, its journal row was lost", lost.Reason);
    }

    [Fact]
    public async Task A_function_script_that_changed_its_arguments_leaves_no_older_overload_behind()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        var runner = new MigrationRunner(db.DataSource);
        await runner.MigrateAsync();
        // What the previous release left: the posting functions with their earlier arguments, applied by their scripts.
        await db.ExecuteAsync("""
            CREATE FUNCTION dw.post_orders(orders dw.order_ref[], totals boolean) RETURNS void LANGUAGE sql AS 'SELECT';
            ALTER FUNCTION dw.post_orders(dw.order_ref[], boolean) OWNER TO erp_owner;
            CREATE FUNCTION dw.post_order_totals(orders dw.order_ref[], totals boolean) RETURNS integer LANGUAGE sql AS 'SELECT 0';
            ALTER FUNCTION dw.post_order_totals(dw.order_ref[], boolean) OWNER TO erp_owner;
            DELETE FROM ops.schema_journal WHERE script_name IN ('functions/dw.post_orders.sql', 'functions/dw.post_order_totals.sql');
            """);

        var upgrade = await runner.MigrateAsync();

        Assert.Equal(2, upgrade.Scripts.Count);
        Assert.Equal("dw.post_order_totals(dw.order_ref[]), dw.post_orders(dw.order_ref[],boolean,boolean)", await db.ScalarAsync<string>("""
            SELECT string_agg(p.oid::regprocedure::text, ', ' ORDER BY 1) FROM pg_proc AS p
            WHERE p.pronamespace = 'dw'::regnamespace AND p.proname IN ('post_orders', 'post_order_totals')
            """));
        Assert.Equal(0, await db.ScalarAsync<int>("SELECT orders FROM dw.post()"));
    }
}
