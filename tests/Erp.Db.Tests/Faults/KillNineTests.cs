using Erp.Db.Migrations;
using Erp.Db.Tests.Cli;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Ingest;
using Erp.Db.Tests.Seeding;
using Erp.Db.Tests.Views;

namespace Erp.Db.Tests.Faults;

/// <summary>
/// kill -9 of erpdb in the middle of its work: the run is blocked at a statement the test chooses
/// (a lock the test holds, or a slow view), killed with SIGKILL, then the lock is released. Its
/// backend must end with its statement, leaving no lock and nothing half-applied; the next run
/// completes and verify passes.
/// </summary>
public class KillNineTests
{
    [Fact]
    public async Task Migrate_killed_inside_a_script_applies_nothing_of_it_and_the_next_migrate_completes()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();
        using (var firstNine = new ScriptFolder())
        {
            foreach (var file in Directory.GetFiles(Path.Combine(Repository.SqlFolder, "migrations"), "*.sql").Order().Take(9))
            {
                firstNine.Write("migrations/" + Path.GetFileName(file), await File.ReadAllTextAsync(file));
            }
            await new MigrationRunner(db.DataSource, firstNine.Catalog(), new MigrationOptions { Schedule = false }).MigrateAsync(false, CancellationToken.None);
        }
        // 0010 creates ops.merchant_access, then enables row level security on the dw tables: it waits for this lock.
        await using var blocker = await Blocker.LockAsync(db.ConnectionString, "ACCESS SHARE", schema: "dw");

        using var run = ErpdbProcess.Start(db.ConnectionString, "migrate");
        await run.WaitForBackendAsync(db.ConnectionString, "wait_event_type = 'Lock'");
        await run.KillAsync();
        await blocker.ReleaseAsync();

        Assert.Equal(0, await run.BackendsLeftAsync(db.ConnectionString));
        Assert.Equal(0, await FaultChecks.AdvisoryLocksAsync(db));
        Assert.Null(await db.ScalarAsync<string>("SELECT to_regclass('ops.merchant_access')::text"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal WHERE script_name LIKE 'migrations/0010%'"));

        var again = await CliRun.RunAsync("migrate", "--connection", db.ConnectionString);
        var verify = await CliRun.RunAsync("verify", "--connection", db.ConnectionString);

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        Assert.Equal(ScriptCatalog.Embedded().Scripts.Count, await db.ScalarAsync<long>("SELECT count(DISTINCT script_name) FROM ops.schema_journal"));
        Assert.Equal(0, await FaultChecks.DuplicateJournalRowsAsync(db));
    }

    [Fact]
    public async Task Migrate_killed_inside_a_no_transaction_script_resumes_after_the_statements_it_committed()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await db.ExecuteAsync("CREATE TABLE public.nt_target (id int); ALTER TABLE public.nt_target OWNER TO erp_owner;");
        using var scripts = Migrations.ViewRebuildTests.EmbeddedScripts();
        // Statement 1 commits at once; statement 2 waits for the test's lock and is killed there.
        const string script = "-- erpdb:no-transaction\nCREATE TABLE public.nt_first (id int);\nINSERT INTO public.nt_target VALUES (1);\nCREATE TABLE public.nt_second (id int);\n";
        scripts.Write("migrations/0900_no_transaction.sql", script);
        await using var blocker = await Blocker.LockAsync(db.ConnectionString, "ACCESS EXCLUSIVE", table: "public.nt_target");

        using var run = ErpdbProcess.Start(db.ConnectionString, "migrate", "--scripts", scripts.Path);
        await run.WaitForBackendAsync(db.ConnectionString, "wait_event_type = 'Lock'");
        await run.KillAsync();
        await blocker.ReleaseAsync();
        Assert.Equal(0, await run.BackendsLeftAsync(db.ConnectionString));

        // The killed run's backend may still finish statement 2 (it does here, once the lock is gone) but could not journal it:
        // the journal knows statement 1, and the rerun starts at 2. Statements of such scripts are best idempotent (docs/migrations.md).
        Assert.Equal(1, await db.ScalarAsync<int>(
            "SELECT statements_applied FROM ops.schema_journal WHERE script_name = 'migrations/0900_no_transaction.sql' ORDER BY journal_id DESC LIMIT 1"));
        var again = await CliRun.RunAsync("migrate", "--scripts", scripts.Path, "--connection", db.ConnectionString);

        // Statement 1 did not run again (CREATE TABLE would have failed); the rest did.
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Equal("nt_second", await db.ScalarAsync<string>("SELECT to_regclass('public.nt_second')::text"));
        Assert.Null(await db.ScalarAsync<int?>(
            "SELECT statements_applied FROM ops.schema_journal WHERE script_name = 'migrations/0900_no_transaction.sql' ORDER BY journal_id DESC LIMIT 1"));
    }

    [Fact]
    public async Task Refresh_all_killed_mid_view_leaves_no_lock_and_the_next_refresh_brings_every_view_in_step()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await db.ExecuteAsync("""
            CREATE TABLE public.fault_sleep (seconds double precision NOT NULL);
            INSERT INTO public.fault_sleep VALUES (0);
            CREATE MATERIALIZED VIEW mart.mv_zz_fault_slow AS SELECT 1 AS id FROM public.fault_sleep AS s, pg_catalog.pg_sleep(s.seconds);
            ALTER TABLE public.fault_sleep OWNER TO erp_owner;
            ALTER MATERIALIZED VIEW mart.mv_zz_fault_slow OWNER TO erp_owner;
            SELECT ops.register_view('mart.mv_zz_fault_slow', interval '1 hour', interval '2 hours', false);
            UPDATE public.fault_sleep SET seconds = 2;
            """);

        using var run = ErpdbProcess.Start(db.ConnectionString, "refresh", "--all");
        await run.WaitForBackendAsync(db.ConnectionString, "wait_event = 'PgSleep'");
        await run.KillAsync();

        Assert.Equal(0, await run.BackendsLeftAsync(db.ConnectionString));
        Assert.Equal(0, await FaultChecks.AdvisoryLocksAsync(db));

        var again = await CliRun.RunAsync("refresh", "--all", "--connection", db.ConnectionString);
        await db.ExecuteAsync("DELETE FROM ops.mv_registry WHERE view_name = 'mart.mv_zz_fault_slow'; DROP MATERIALIZED VIEW mart.mv_zz_fault_slow");
        var verify = await CliRun.RunAsync("verify", "--connection", db.ConnectionString);

        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Empty(await FaultChecks.ViewsOutOfStepAsync(db));
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        Assert.Equal(
            await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE status NOT IN ('cancelled', 'refunded', 'returned')"),
            await db.ScalarAsync<long>("SELECT coalesce(sum(order_count), 0)::bigint FROM mart.mv_daily_sales"));
    }

    [Fact]
    public async Task Import_killed_before_its_insert_commits_nothing_and_the_rerun_loads_every_row_once()
    {
        await using var db = await IngestSample.CreateAsync();
        var before = await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders");
        const int Rows = 5000;
        var file = Path.Combine(Path.GetTempPath(), $"erpdb-kill-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(file, new[] { "merchant_id,shop_id,order_no,order_date,ordered_at,gmv,status,currency_code,exchange_rate" }
            .Concat(Enumerable.Range(1, Rows).Select(i => $"1,10,K-{i},2026-03-{1 + i % 28:00},2026-03-{1 + i % 28:00}T09:30:00Z,{i % 500}.25,paid,CNY,1")));
        try
        {
            // The upsert into the fact table waits for this lock, after the rows were copied in.
            await using var blocker = await Blocker.LockAsync(db.ConnectionString, "SHARE", table: "dw.fact_sales_orders");
            using var run = ErpdbProcess.Start(db.ConnectionString, "import", "orders", file);
            await run.WaitForBackendAsync(db.ConnectionString, "wait_event_type = 'Lock'");
            await run.KillAsync();
            await blocker.ReleaseAsync();

            Assert.Equal(0, await run.BackendsLeftAsync(db.ConnectionString));
            Assert.Equal(0, await FaultChecks.AdvisoryLocksAsync(db));
            Assert.Equal(before, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));

            var again = await CliRun.RunAsync("import", "orders", file, "--connection", db.ConnectionString, "--format", "json");
            var verify = await CliRun.RunAsync("verify", "--connection", db.ConnectionString);

            Assert.True(again.ExitCode == 0, again.Output + again.Error);
            Assert.Equal(Rows, again.Json().GetProperty("data").GetProperty("inserted").GetInt64());
            Assert.Equal(before + Rows, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders"));
            Assert.Equal(Rows, await db.ScalarAsync<long>("SELECT count(DISTINCT order_no) FROM dw.fact_sales_orders WHERE order_no LIKE 'K-%'"));
            Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Seed_killed_mid_load_commits_nothing_and_the_rerun_equals_a_clean_seed()
    {
        string[] seed = ["seed", "--orders", "400", "--days", "60", "--end-date", "2025-06-30", "--seed", "5"];
        await using var clean = await TestDatabase.CreateMigratedAsync();
        await using var db = await TestDatabase.CreateMigratedAsync();
        var cleanRun = await CliRun.RunAsync([.. seed, "--connection", clean.ConnectionString, "--format", "json"]);

        await using (var blocker = await Blocker.LockAsync(db.ConnectionString, "SHARE", table: "dw.fact_sales_orders"))
        {
            using var run = ErpdbProcess.Start(db.ConnectionString, seed);
            await run.WaitForBackendAsync(db.ConnectionString, "wait_event_type = 'Lock'");
            await run.KillAsync();
            await blocker.ReleaseAsync();
            Assert.Equal(0, await run.BackendsLeftAsync(db.ConnectionString));
        }
        Assert.Equal(0, await FaultChecks.AdvisoryLocksAsync(db));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.dim_merchants"));

        var again = await CliRun.RunAsync([.. seed, "--connection", db.ConnectionString, "--format", "json"]);
        var verify = await CliRun.RunAsync("verify", "--connection", db.ConnectionString);

        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Equal(TableRows(cleanRun), TableRows(again));
        Assert.Equal(await SeedChecksums.ReadAsync(clean), await SeedChecksums.ReadAsync(db));
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    private static string TableRows(CliRun run) => string.Join(", ", run.Json().GetProperty("data").GetProperty("tables").EnumerateArray()
        .Select(t => $"{t.GetProperty("table").GetString()}={t.GetProperty("rows").GetInt64()}"));
}
