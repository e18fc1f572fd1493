using Erp.Db.Migrations;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Views;
using Npgsql;

namespace Erp.Db.Tests.Migrations;

/// <summary>
/// Migrate keeps plain views no view script makes (the reader views migrations made, a DBA's own)
/// across a migration that retypes or drops what they read, and across a view rebuild that drops
/// what they read (docs/view-rebuilds.md, "Plain views").
/// </summary>
public class PlainViewKeepingTests
{
    /// <summary>
    /// A DBA's views made by hand, outside the warehouse's scripts, in <paramref name="schema"/>: over a fact (with check_option), over
    /// such a view, and over a reader view a view script makes; with comments and grants to <paramref name="role"/> (one with the grant
    /// option, one on a column).
    /// </summary>
    internal static string DbaViews(string schema, string role) => $"""
        CREATE SCHEMA {schema};
        CREATE VIEW {schema}.big_receipts WITH (check_option = local) AS
            SELECT merchant_id, receipt_id, reference_no, amount FROM dw.fact_payment_receipts WHERE amount > 100;
        CREATE VIEW {schema}.big_receipt_refs AS SELECT merchant_id, reference_no FROM {schema}.big_receipts;
        CREATE VIEW {schema}.cohorts AS SELECT * FROM mart.customer_cohorts;
        COMMENT ON VIEW {schema}.big_receipts IS 'Receipts over 100, for the BI team.';
        COMMENT ON COLUMN {schema}.big_receipts.reference_no IS 'The bank''s reference.';
        GRANT USAGE ON SCHEMA {schema} TO {role};
        GRANT SELECT ON {schema}.big_receipts TO {role} WITH GRANT OPTION;
        GRANT SELECT (reference_no) ON {schema}.big_receipt_refs TO {role};
        GRANT SELECT ON {schema}.cohorts TO {role};
        """;

    /// <summary>Each given view as everything migrate must keep: definition, options, owner, comments, privileges (relation and columns).</summary>
    internal static string Described(params string[] views) => $"""
        SELECT string_agg(pg_catalog.format('%s | %s | %s | %s | %s | %s | %s', c.oid::regclass, pg_get_viewdef(c.oid), c.reloptions, c.relowner::regrole,
                                            obj_description(c.oid, 'pg_class'), c.relacl,
                                            (SELECT string_agg(a.attname || ':' || coalesce(col_description(c.oid, a.attnum), '') || ':' || coalesce(a.attacl::text, ''), ',' ORDER BY a.attnum)
                                               FROM pg_attribute AS a WHERE a.attrelid = c.oid AND a.attnum > 0)), E'\n' ORDER BY c.oid::regclass::text)
          FROM pg_class AS c WHERE c.oid IN ({string.Join(", ", views.Select(v => $"'{v}'::regclass"))})
        """;

    private static string Oids(params string[] views) =>
        $"SELECT string_agg(to_regclass(v)::oid::text, ',' ORDER BY v) FROM unnest(ARRAY[{string.Join(", ", views.Select(v => $"'{v}'"))}]) AS v";

    [Fact]
    public async Task A_migration_retyping_columns_the_migrations_reader_views_read_keeps_them_as_they_were_and_scoped_to_one_merchant()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        await db.ExecuteAsync("""
            INSERT INTO dw.fact_payment_receipts (merchant_id, receipt_date, received_at, amount, reference_no) VALUES (2, CURRENT_DATE, now(), 50, 'r-b');
            INSERT INTO dw.fact_inventory_transactions (merchant_id, product_id, warehouse_code, transaction_date, occurred_at, transaction_type, quantity_change, reference_no)
            VALUES (1, 101, 'default', CURRENT_DATE, now(), 'adjustment', 3, 'adj-a'), (2, 201, 'default', CURRENT_DATE, now(), 'adjustment', 4, 'adj-b');
            """);
        string[] views = ["mart.receipts", "mart.stock_movements"];
        var before = await db.ScalarAsync<string>(Described(views));
        var oids = await db.ScalarAsync<string>(Oids(views));
        using var scripts = ViewRebuildTests.EmbeddedScripts().Write("migrations/0900_widen_references.sql", """
            ALTER TABLE dw.fact_payment_receipts ALTER COLUMN reference_no TYPE varchar(120);
            ALTER TABLE dw.fact_inventory_transactions ALTER COLUMN reference_no TYPE varchar(120);
            """);

        var runner = new MigrationRunner(db.DataSource, scripts.Catalog(), new MigrationOptions { Schedule = false });
        var planned = (await runner.StatusAsync()).Scripts.Single(s => s.Name == "migrations/0900_widen_references.sql").Reason;

        var result = await runner.MigrateAsync();

        Assert.Contains("keeps the plain views mart.receipts, mart.stock_movements", planned);
        // Re-created (new relations), and the same in every respect: definition text, security_barrier, owner, comments, grants.
        Assert.NotEqual(oids, await db.ScalarAsync<string>(Oids(views)));
        Assert.Equal(before, await db.ScalarAsync<string>(Described(views)));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE oid IN ('mart.receipts'::regclass, 'mart.stock_movements'::regclass) AND reloptions @> '{security_barrier=true}' AND has_table_privilege('erp_reader', oid, 'SELECT')"));
        Assert.Equal("character varying(120)", await db.ScalarAsync<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'mart.receipts'::regclass AND attname = 'reference_no'"));
        var ran = Assert.Single(result.Scripts);
        Assert.Contains("mart.receipts", ran.Reason);
        Assert.Contains("mart.stock_movements", ran.Reason);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM ops.merchant_isolation_problems()"));

        // A reader of merchant 1 sees merchant 1's rows, all of them, and nothing of merchant 2's, which exist.
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await db.ExecuteAsync($"SELECT ops.grant_merchant_access('{reader.Name}', 1)");
        try
        {
            foreach (var (view, facts) in new[] { ("mart.receipts", "dw.fact_payment_receipts"), ("mart.stock_movements", "dw.fact_inventory_transactions") })
            {
                Assert.True(await db.ScalarAsync<long>($"SELECT count(*) FROM {facts} WHERE merchant_id = 2") > 0, facts);
                var own = await db.ScalarAsync<long>($"SELECT count(*) FROM {facts} WHERE merchant_id = 1");
                Assert.True(own > 0, facts);
                Assert.Equal(own, await reader.ScalarAsync<long>($"SELECT count(*) FROM {view}"));
                Assert.Equal(0L, await reader.ScalarAsync<long>($"SELECT count(*) FROM {view} WHERE merchant_id <> 1"));
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await db.ExecuteAsync($"DELETE FROM ops.merchant_access WHERE role_name = '{reader.Name}'");
        }
    }

    [Fact]
    public async Task A_DBAs_own_views_survive_a_type_change_and_a_rebuild_of_the_view_they_read_with_their_grants()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var schema = $"bi_{Guid.NewGuid():N}"[..12];
        var role = $"t_bi_{Guid.NewGuid():N}"[..16];
        // Views made by hand, outside the warehouse's scripts: over a fact, over such a view, and over a reader view a view script makes.
        await db.ExecuteAsync($"CREATE ROLE {role} NOLOGIN; {DbaViews(schema, role)}");
        string[] views = [$"{schema}.big_receipts", $"{schema}.big_receipt_refs", $"{schema}.cohorts"];
        try
        {
            var before = await db.ScalarAsync<string>(Described(views));
            var oids = await db.ScalarAsync<string>(Oids(views));
            using var scripts = ViewRebuildTests.EmbeddedScripts()
                .Write("migrations/0900_widen_receipt_reference.sql", "ALTER TABLE dw.fact_payment_receipts ALTER COLUMN reference_no TYPE varchar(150);");
            scripts.Write("views/mart.mv_customer_cohorts.sql", ScriptCatalog.Embedded().Scripts.Single(s => s.Name == "views/mart.mv_customer_cohorts.sql").Contents + "\n-- changed\n");

            var runner = new MigrationRunner(db.DataSource, scripts.Catalog(), new MigrationOptions { Schedule = false });
            var planned = (await runner.MigrateAsync(dryRun: true)).Scripts;

            var result = await runner.MigrateAsync();

            // The dry run foresaw them: the views reading the retyped column, and the view over the rebuilt reader view.
            Assert.Contains($"keeps the plain views {schema}.big_receipt_refs, {schema}.big_receipts", planned.Single(s => s.Name == "migrations/0900_widen_receipt_reference.sql").Reason);
            Assert.Contains($"keeps the plain views {schema}.cohorts", planned.Single(s => s.Name == "views/mart.mv_customer_cohorts.sql").Reason);
            Assert.NotEqual(oids, await db.ScalarAsync<string>(Oids(views)));
            Assert.Equal(before, await db.ScalarAsync<string>(Described(views)));
            Assert.True(await db.ScalarAsync<bool>($"SELECT has_table_privilege('{role}', '{schema}.big_receipts', 'SELECT WITH GRANT OPTION') AND has_table_privilege('{role}', '{schema}.cohorts', 'SELECT')"));
            Assert.Equal("character varying(150)", await db.ScalarAsync<string>($"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '{schema}.big_receipt_refs'::regclass AND attname = 'reference_no'"));
            Assert.Contains($"{schema}.big_receipts", result.Scripts.Single(s => s.Name == "migrations/0900_widen_receipt_reference.sql").Reason);
            Assert.Contains($"{schema}.cohorts", result.Scripts.Single(s => s.Name == "views/mart.mv_customer_cohorts.sql").Reason);
            Assert.True((await new MigrationRunner(db.DataSource, scripts.Catalog()).StatusAsync()).IsUpToDate);
        }
        finally
        {
            await db.ExecuteAsync($"DROP SCHEMA {schema} CASCADE; DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task A_DBAs_view_over_a_reader_view_survives_a_migration_that_makes_migrate_rebuild_the_view_under_it()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        var schema = $"bi_{Guid.NewGuid():N}"[..12];
        var role = $"t_bi_{Guid.NewGuid():N}"[..16];
        await db.ExecuteAsync($"""
            CREATE ROLE {role} NOLOGIN;
            CREATE SCHEMA {schema};
            CREATE VIEW {schema}.hourly WITH (security_invoker) AS SELECT merchant_id, sales_hour, order_count FROM mart.hourly_sales;
            COMMENT ON VIEW {schema}.hourly IS 'Sales hours.';
            GRANT SELECT ON {schema}.hourly TO {role};
            """);
        try
        {
            var before = await db.ScalarAsync<string>(Described($"{schema}.hourly"));
            var oids = await db.ScalarAsync<string>(Oids($"{schema}.hourly", "mart.mv_hourly_sales"));
            // mart.mv_hourly_sales reads the merchant's time zone: migrate drops it (mart.hourly_sales with it) to run this, and rebuilds it.
            using var scripts = ViewRebuildTests.EmbeddedScripts()
                .Write("migrations/0900_timezone_varchar.sql", "ALTER TABLE dw.dim_merchants ALTER COLUMN timezone TYPE varchar(64);");

            var result = await new MigrationRunner(db.DataSource, scripts.Catalog(), new MigrationOptions { Schedule = false }).MigrateAsync();

            Assert.Contains("views/mart.mv_hourly_sales.sql", result.Scripts.Select(s => s.Name));
            Assert.Contains($"{schema}.hourly", result.Scripts.Single(s => s.Name == "migrations/0900_timezone_varchar.sql").Reason);
            Assert.NotEqual(oids, await db.ScalarAsync<string>(Oids($"{schema}.hourly", "mart.mv_hourly_sales")));
            Assert.Equal(before, await db.ScalarAsync<string>(Described($"{schema}.hourly")));
            Assert.True(await db.ScalarAsync<bool>($"SELECT has_table_privilege('{role}', '{schema}.hourly', 'SELECT')"));
            // It reads the rebuilt view: merchant 1's hours, as the facts say.
            var expected = await db.ScalarAsync<long>("SELECT coalesce(sum(order_count), 0)::bigint FROM mart.mv_hourly_sales WHERE merchant_id = 1");
            Assert.True(expected > 0);
            await using var connection = await db.DataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var scope = new NpgsqlCommand("SELECT set_config('erp.merchant_id', '1', true)", connection, transaction))
            {
                await scope.ExecuteNonQueryAsync();
            }
            await using var read = new NpgsqlCommand($"SELECT coalesce(sum(order_count), 0)::bigint FROM {schema}.hourly", connection, transaction);
            Assert.Equal(expected, Convert.ToInt64(await read.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            await db.ExecuteAsync($"DROP SCHEMA {schema} CASCADE; DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task A_view_the_migration_makes_again_is_left_as_made_and_a_view_with_a_trigger_is_refused_by_name()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var schema = $"bi_{Guid.NewGuid():N}"[..12];
        await db.ExecuteAsync($"""
            CREATE SCHEMA {schema} AUTHORIZATION erp_owner;
            SET ROLE erp_owner;
            CREATE VIEW {schema}.receipt_refs AS SELECT merchant_id, receipt_id, reference_no FROM dw.fact_payment_receipts;
            COMMENT ON VIEW {schema}.receipt_refs IS 'Before.';
            RESET ROLE;
            """);
        // The migration changes the column and re-creates the view itself, with a column more: its view wins.
        using var scripts = ViewRebuildTests.EmbeddedScripts().Write("migrations/0900_widen.sql", $"""
            ALTER TABLE dw.fact_payment_receipts ALTER COLUMN reference_no TYPE varchar(130);
            CREATE OR REPLACE VIEW {schema}.receipt_refs AS SELECT merchant_id, receipt_id, reference_no, amount FROM dw.fact_payment_receipts;
            COMMENT ON VIEW {schema}.receipt_refs IS 'Made by the migration.';
            """);
        var runner = new MigrationRunner(db.DataSource, scripts.Catalog(), new MigrationOptions { Schedule = false });

        await runner.MigrateAsync();

        Assert.Equal("Made by the migration.", await db.ScalarAsync<string>($"SELECT obj_description('{schema}.receipt_refs'::regclass, 'pg_class')"));
        Assert.Equal(4L, await db.ScalarAsync<long>($"SELECT count(*) FROM pg_attribute WHERE attrelid = '{schema}.receipt_refs'::regclass AND attnum > 0"));

        // A view with an INSTEAD OF trigger: migrate could not re-create the trigger, so it refuses, naming the view, and applies nothing.
        await db.ExecuteAsync($"""
            CREATE FUNCTION {schema}.ignore() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END';
            CREATE TRIGGER ignore_writes INSTEAD OF INSERT ON {schema}.receipt_refs FOR EACH ROW EXECUTE FUNCTION {schema}.ignore();
            """);
        var journal = await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal");
        scripts.Write("migrations/0901_widen_more.sql", "ALTER TABLE dw.fact_payment_receipts ALTER COLUMN reference_no TYPE varchar(140);");

        var error = await Assert.ThrowsAsync<MigrationException>(() => new MigrationRunner(db.DataSource, scripts.Catalog(), new MigrationOptions { Schedule = false }).MigrateAsync());

        Assert.Contains($"view {schema}.receipt_refs", error.Message);
        Assert.Contains("triggers", error.Message);
        Assert.Contains("migrations/0901_widen_more.sql", error.Message);
        Assert.Equal(journal, await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal"));
        Assert.Equal("character varying(130)", await db.ScalarAsync<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'dw.fact_payment_receipts'::regclass AND attname = 'reference_no'"));
        Assert.Equal(1L, await db.ScalarAsync<long>($"SELECT count(*) FROM pg_trigger WHERE tgrelid = '{schema}.receipt_refs'::regclass"));
    }

    [Fact]
    public async Task A_migration_dropping_a_column_a_DBAs_view_reads_fails_naming_view_column_and_script_and_applies_nothing()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var schema = $"bi_{Guid.NewGuid():N}"[..12];
        await db.ExecuteAsync($"""
            ALTER TABLE dw.fact_payment_receipts ADD COLUMN bi_tag text;
            CREATE SCHEMA {schema};
            CREATE VIEW {schema}.tagged_receipts AS SELECT merchant_id, receipt_id, bi_tag FROM dw.fact_payment_receipts;
            """);
        var oid = await db.ScalarAsync<string>(Oids($"{schema}.tagged_receipts"));
        var journal = await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal");
        using var scripts = ViewRebuildTests.EmbeddedScripts()
            .Write("migrations/0900_ok.sql", "CREATE TABLE dw.keep_probe (id int);")
            .Write("migrations/0901_drop_tag.sql", "ALTER TABLE dw.fact_payment_receipts DROP COLUMN bi_tag;");

        var error = await Assert.ThrowsAsync<MigrationScriptException>(() => new MigrationRunner(db.DataSource, scripts.Catalog(), new MigrationOptions { Schedule = false }).MigrateAsync());

        Assert.Equal("migrations/0901_drop_tag.sql", error.ScriptName);
        Assert.Equal("42703", error.SqlState);
        Assert.Contains($"view {schema}.tagged_receipts reads dw.fact_payment_receipts.bi_tag, which migrations/0901_drop_tag.sql drops", error.Message);
        Assert.Contains($"Drop {schema}.tagged_receipts", error.Message);
        Assert.Equal(journal, await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal"));
        Assert.Equal("bi_tag", await db.ScalarAsync<string>("SELECT attname::text FROM pg_attribute WHERE attrelid = 'dw.fact_payment_receipts'::regclass AND attname = 'bi_tag' AND NOT attisdropped"));
        Assert.Equal(oid, await db.ScalarAsync<string>(Oids($"{schema}.tagged_receipts")));
        Assert.Null(await db.ScalarAsync<string>("SELECT to_regclass('dw.keep_probe')::text"));
    }
}
