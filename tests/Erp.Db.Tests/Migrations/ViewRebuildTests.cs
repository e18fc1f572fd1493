using System.Text.RegularExpressions;
using Erp.Db.Migrations;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Views;
using Microsoft.Extensions.Logging;

namespace Erp.Db.Tests.Migrations;

public class ViewRebuildTests
{
    [Fact]
    public async Task Changing_a_view_file_rebuilds_that_view_and_the_views_that_read_it()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        using var scripts = EmbeddedScripts();
        var gmv = await db.ScalarAsync<decimal>("SELECT sum(gmv_cny) FROM mart.mv_weekly_sales");
        var before = await ViewOidsAsync(db);
        // A DBA's own BI role, granted a rebuilt reader view and a rebuilt view by hand: the view scripts do not grant it.
        var bi = $"t_bi_{Guid.NewGuid():N}"[..16];
        await db.ExecuteAsync($"CREATE ROLE {bi} NOLOGIN; GRANT SELECT ON mart.weekly_sales TO {bi}; GRANT SELECT, REFERENCES ON mart.mv_daily_sales TO {bi} WITH GRANT OPTION");

        scripts.Write("views/mart.mv_daily_sales.sql", Embedded("views/mart.mv_daily_sales.sql") + "\n-- changed\n");
        var result = await new MigrationRunner(db.DataSource, scripts.Catalog()).MigrateAsync();
        var after = await ViewOidsAsync(db);
        var biGrants = await db.ScalarAsync<string>($"""
            SELECT string_agg(c.relname || ':' || a.privilege_type || ':' || a.is_grantable, ',' ORDER BY c.relname, a.privilege_type)
              FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
             WHERE c.relnamespace = 'mart'::regnamespace AND a.grantee = '{bi}'::regrole
            """);
        await db.ExecuteAsync($"DROP OWNED BY {bi}; DROP ROLE {bi}");

        Assert.Equal(
            ["views/mart.mv_daily_sales.sql", "views/mart.mv_financial_daily.sql", "views/mart.mv_financial_overview.sql", "views/mart.mv_monthly_sales.sql",
             "views/mart.mv_profit_analysis.sql", "views/mart.mv_user_activity_daily.sql", "views/mart.mv_weekly_sales.sql"],
            result.Scripts.Select(s => s.Name).Order());
        Assert.Equal(gmv, await db.ScalarAsync<decimal>("SELECT sum(gmv_cny) FROM mart.mv_weekly_sales"));
        Assert.Equal("mart.weekly_sales", await db.ScalarAsync<string>("SELECT to_regclass('mart.weekly_sales')::text"));
        // Built beside and swapped in: new relations under the old names, their indexes renamed back, nothing temporary left.
        var rebuilt = result.Scripts.Select(s => Path.GetFileNameWithoutExtension(s.Name)).ToHashSet();
        Assert.All(WarehouseViews.Names, v => Assert.Equal(!rebuilt.Contains(v), before[v] == after[v]));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE schemaname = 'mart' AND tablename = 'mv_daily_sales' AND indexname LIKE 'mv_daily_sales%'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'mart' AND c.relname LIKE '%erpdb_new%'"));
        Assert.Equal(WarehouseViews.Count, await db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_registry"));
        // The rebuilt aggregate is readable by readers only under row level security, through its reader view too.
        Assert.True(await db.ScalarAsync<bool>("""
            SELECT has_table_privilege('erp_reader', 'mart.weekly_sales', 'SELECT')
               AND c.relrowsecurity AND EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = c.oid AND polname = 'mv_weekly_sales_reader_scope')
            FROM pg_class AS c WHERE c.oid = 'mart.mv_weekly_sales'::regclass
            """));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.merchant_isolation_problems()"));
        // The hand-made grants survive the rebuild, grant option included.
        Assert.Equal("mv_daily_sales:REFERENCES:true,mv_daily_sales:SELECT:true,weekly_sales:SELECT:false", biGrants);
    }

    [Fact]
    public async Task A_migration_that_drops_a_column_views_read_rebuilds_only_those_views_and_the_views_that_read_them()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        using var scripts = EmbeddedScripts();
        // The column goes from the table, and the view files stop reading it, in one change.
        scripts.Write("migrations/0900_drop_brand.sql", "ALTER TABLE dw.dim_products DROP COLUMN brand;\nALTER TABLE dw.dim_products ALTER COLUMN product_name TYPE varchar(300);");
        string[] reading = ["mart.mv_inventory_summary", "mart.mv_product_sales_daily", "mart.mv_product_management"];
        foreach (var view in reading)
        {
            // mart.mv_product_sales_daily is an incremental aggregate: its table declares the column too.
            scripts.Write($"views/{view}.sql", Regex.Replace(Regex.Replace(Embedded($"views/{view}.sql"), @"p\.brand,\s*", ""), @"\n\s*brand\s+text,", ""));
        }
        var log = new ListLogger();
        var runner = new MigrationRunner(db.DataSource, scripts.Catalog(), logger: log);
        var before = await ViewOidsAsync(db);
        var units = await db.ScalarAsync<decimal>("SELECT sum(units_sold) FROM mart.mv_top_products");
        var planned = await runner.StatusAsync();

        var result = await runner.MigrateAsync();
        var after = await ViewOidsAsync(db);

        // The three views that read dw.dim_products, and mart.mv_top_products, which reads one of them: no other.
        string[] expected = ["mart.mv_inventory_summary", "mart.mv_product_management", "mart.mv_product_sales_daily", "mart.mv_top_products"];
        Assert.Equal(expected, result.Scripts.Where(s => s.Kind == ScriptKind.View).Select(s => Path.GetFileNameWithoutExtension(s.Name)).Order());
        Assert.Equal(expected, planned.ToRun.Where(s => s.Kind == ScriptKind.View).Select(s => Path.GetFileNameWithoutExtension(s.Name)).Order());
        Assert.Contains("dw.dim_products.brand, dropped by migrations/0900_drop_brand.sql", planned.Scripts.Single(s => s.Name == "views/mart.mv_inventory_summary.sql").Reason);
        Assert.All(WarehouseViews.Names, v => Assert.Equal(!expected.Contains(v), before[v] == after[v]));
        Assert.Null(await db.ScalarAsync<string>("SELECT attname::text FROM pg_attribute WHERE attrelid = 'dw.dim_products'::regclass AND attname = 'brand' AND NOT attisdropped"));
        Assert.Equal(WarehouseViews.Count, await db.ScalarAsync<long>(MartViewCount));
        Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_product_metrics WHERE metric_date >= CURRENT_DATE - 90"),
            await db.ScalarAsync<long>("SELECT count(*) FROM mart.mv_product_management"));
        Assert.Equal(units, await db.ScalarAsync<decimal>("SELECT sum(units_sold) FROM mart.mv_top_products"));
        Assert.Equal("mart.top_products", await db.ScalarAsync<string>("SELECT to_regclass('mart.top_products')::text"));
        Assert.True((await runner.StatusAsync()).IsUpToDate);
        // The migration failed on the views in its way and ran again once they were dropped: no failure, so nothing to warn of.
        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_comment_only_migration_rebuilds_no_view_and_never_locks_one_while_its_transaction_is_open()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        using var scripts = EmbeddedScripts()
            .Write("migrations/0900_comment.sql", "COMMENT ON TABLE dw.dim_products IS 'Products, described again.';\nCREATE TABLE dw.rebuild_probe (id int);\nSELECT pg_advisory_xact_lock(90090);");
        var before = await ViewOidsAsync(db);
        var planned = await new MigrationRunner(db.DataSource, scripts.Catalog()).StatusAsync();

        // The migration waits on an advisory lock the test holds, so migrate's transaction stays open.
        await using var holder = await db.DataSource.OpenConnectionAsync();
        await using (var take = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(90090)", holder))
        {
            await take.ExecuteNonQueryAsync();
        }
        var migrate = new MigrationRunner(db.DataSource, scripts.Catalog(), new MigrationOptions { Schedule = false }).MigrateAsync();
        while (!await db.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 90090 AND NOT granted)"))
        {
            Assert.False(migrate.IsCompleted, "migrate ended before it reached the advisory lock");
            await Task.Delay(50);
        }
        var viewLocks = await db.ScalarAsync<long>("""
            SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'mart' AND l.pid = (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = 90090 AND NOT granted)
            """);
        // A reader that would wait fails instead of hanging: it must not wait at all.
        await using var reader = await db.DataSource.OpenConnectionAsync();
        await using (var timeout = new Npgsql.NpgsqlCommand("SET lock_timeout = '5s'", reader))
        {
            await timeout.ExecuteNonQueryAsync();
        }
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM mart.daily_sales, mart.mv_daily_sales", reader);
        var read = (long)(await count.ExecuteScalarAsync())!;
        await using (var release = new Npgsql.NpgsqlCommand("SELECT pg_advisory_unlock(90090)", holder))
        {
            await release.ExecuteNonQueryAsync();
        }
        var result = await migrate;

        Assert.Equal(0, viewLocks);
        Assert.True(read >= 0);
        Assert.Equal(["migrations/0900_comment.sql"], result.Scripts.Select(s => s.Name));
        Assert.Equal(["migrations/0900_comment.sql"], planned.ToRun.Select(s => s.Name));
        Assert.Equal(before, await ViewOidsAsync(db));
        Assert.Equal("dw.rebuild_probe", await db.ScalarAsync<string>("SELECT to_regclass('dw.rebuild_probe')::text"));
    }

    [Fact]
    public async Task A_reader_arriving_while_migrate_waits_to_rebuild_its_view_reads_at_once_and_neither_deadlocks()
    {
        // docs/view-rebuilds.md, "Readers during a rebuild": one reader holds the view, migrate waits to drop the aggregate under it,
        // a second reader locks the reader view and asks for the aggregate. A drop that kept waiting then took the aggregate when the
        // first reader let go and waited for the reader view the second one held, which waited for the aggregate: a deadlock.
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        using var scripts = EmbeddedScripts();
        scripts.Write("views/mart.mv_weekly_sales.sql", Embedded("views/mart.mv_weekly_sales.sql") + "\n-- changed\n");
        const string Read = "SELECT count(*) FROM mart.weekly_sales";
        await using var first = await db.DataSource.OpenConnectionAsync();
        await using var firstTransaction = await first.BeginTransactionAsync();
        var weeks = (long)(await new Npgsql.NpgsqlCommand(Read, first, firstTransaction).ExecuteScalarAsync())!;

        var migrate = new MigrationRunner(db.DataSource, scripts.Catalog(), new MigrationOptions { Schedule = false }).MigrateAsync();
        while (!await db.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock')"))
        {
            Assert.False(migrate.IsCompleted, "migrate ended before it waited for the reader");
            await Task.Delay(20);
        }
        await using var second = await db.DataSource.OpenConnectionAsync();
        await using var secondTransaction = await second.BeginTransactionAsync();
        await using (var timeout = new Npgsql.NpgsqlCommand("SET LOCAL statement_timeout = '20s'", second, secondTransaction))
        {
            await timeout.ExecuteNonQueryAsync();
        }
        var secondWeeks = (long)(await new Npgsql.NpgsqlCommand(Read, second, secondTransaction).ExecuteScalarAsync())!;
        var migrateWaited = !migrate.IsCompleted;
        await secondTransaction.CommitAsync();
        await firstTransaction.CommitAsync();
        var result = await migrate;

        Assert.True(migrateWaited, "migrate did not wait for the first reader");
        Assert.Equal(weeks, secondWeeks);
        Assert.Contains("views/mart.mv_weekly_sales.sql", result.Scripts.Select(s => s.Name));
        Assert.Equal(weeks, await db.ScalarAsync<long>(Read));
    }

    [Fact]
    public async Task A_migration_that_drops_a_column_a_view_file_still_reads_fails_and_leaves_every_view_as_it_was()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        using var scripts = EmbeddedScripts().Write("migrations/0900_drop_brand.sql", "ALTER TABLE dw.dim_products DROP COLUMN brand;");
        var before = await ViewOidsAsync(db);
        var journal = await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal");

        var error = await Assert.ThrowsAsync<MigrationScriptException>(() => new MigrationRunner(db.DataSource, scripts.Catalog(), new MigrationOptions { Schedule = false }).MigrateAsync());

        // The first view re-created from its unchanged file fails on the dropped column; nothing of the run stays.
        Assert.True(error.ScriptName.StartsWith("views/mart.mv_", StringComparison.Ordinal), error.Message);
        Assert.Equal("42703", error.SqlState);
        Assert.NotNull(error.Line);
        Assert.Equal(before, await ViewOidsAsync(db));
        Assert.Equal("brand", await db.ScalarAsync<string>("SELECT attname::text FROM pg_attribute WHERE attrelid = 'dw.dim_products'::regclass AND attname = 'brand' AND NOT attisdropped"));
        Assert.Equal(journal, await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal"));
        Assert.Equal("mart.product_management", await db.ScalarAsync<string>("SELECT to_regclass('mart.product_management')::text"));
    }

    [Fact]
    public async Task A_failing_migration_in_a_view_rebuild_rolls_everything_back_and_names_the_script()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        using var scripts = EmbeddedScripts();
        scripts.Write("migrations/0900_ok.sql", "CREATE TABLE dw.rebuild_probe (id int);")
            .Write("migrations/0901_broken.sql", "ALTER TABLE dw.dim_products DROP COLUMN no_such_column;");

        var log = new ListLogger();

        var error = await Assert.ThrowsAsync<MigrationScriptException>(() => new MigrationRunner(db.DataSource, scripts.Catalog(), logger: log).MigrateAsync());

        Assert.Equal("migrations/0901_broken.sql", error.ScriptName);
        var logged = Assert.Single(log.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal($"Migration script migrations/0901_broken.sql failed with SQLSTATE {error.SqlState}: {error.DatabaseMessage}", logged.Message);
        Assert.Null(logged.Exception);
        Assert.Equal(WarehouseViews.Count, await db.ScalarAsync<long>(MartViewCount));
        Assert.Null(await db.ScalarAsync<string>("SELECT to_regclass('dw.rebuild_probe')::text"));
    }

    [Fact]
    public async Task Cancelling_migrate_while_a_script_runs_cancels_it_on_the_server_and_commits_nothing()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        using var scripts = EmbeddedScripts()
            .Write("migrations/0900_slow.sql", "CREATE TABLE dw.cancel_probe (id int);\nSELECT pg_sleep(30);");
        using var cancellation = new CancellationTokenSource();
        var migrate = new MigrationRunner(db.DataSource, scripts.Catalog(), new MigrationOptions { Schedule = false }).MigrateAsync(cancellationToken: cancellation.Token);
        const string sleeping = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(30)%' AND state = 'active' AND pid <> pg_backend_pid()";
        while (await db.ScalarAsync<long>(sleeping) == 0)
        {
            Assert.False(migrate.IsCompleted, "migrate ended before its slow script ran");
            await Task.Delay(50);
        }
        var started = System.Diagnostics.Stopwatch.StartNew();
        await cancellation.CancelAsync();

        // Not after the 30 s the script would take: its statement is cancelled on the server, where nothing keeps running.
        var cancelled = await Assert.ThrowsAsync<OperationCanceledException>(() => migrate);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"cancelled after {started.Elapsed}");
        Assert.Contains("migrations/0900_slow.sql", cancelled.Message);
        Assert.Equal(0L, await db.ScalarAsync<long>(sleeping));
        Assert.Null(await db.ScalarAsync<string>("SELECT to_regclass('dw.cancel_probe')::text"));
        Assert.Equal(["migrations/0900_slow.sql"], (await new MigrationRunner(db.DataSource, scripts.Catalog()).StatusAsync()).ToRun.Select(s => s.Name));
    }

    /// <summary>The materialized views in mart plus the tables of the registered incremental aggregates.</summary>
    private const string MartViewCount = """
        SELECT (SELECT count(*) FROM pg_matviews WHERE schemaname = 'mart')
             + (SELECT count(*) FROM ops.mv_registry AS r
                JOIN pg_class AS c ON c.oid = to_regclass(r.view_name) AND c.relkind = 'r'
                WHERE r.view_kind = 'incremental')
        """;

    /// <summary>Each warehouse view's relation oid: a view rebuilt gets a new one.</summary>
    private static async Task<Dictionary<string, uint>> ViewOidsAsync(TestDatabase db)
    {
        var oids = new Dictionary<string, uint>();
        foreach (var view in WarehouseViews.Names)
        {
            oids[view] = await db.ScalarAsync<uint>($"SELECT to_regclass('{view}')::oid");
        }
        return oids;
    }

    private static string Embedded(string name) => ScriptCatalog.Embedded().Scripts.Single(s => s.Name == name).Contents;

    internal static ScriptFolder EmbeddedScripts()
    {
        var folder = new ScriptFolder();
        foreach (var script in ScriptCatalog.Embedded().Scripts)
        {
            folder.Write(script.Name, script.Contents);
        }
        return folder;
    }
}
