using Erp.Db.Migrations;
using Erp.Db.Tests.Cli;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Migrations;

/// <summary><c>erpdb script</c> prints exactly what migrate runs: applying it with psql gives the same database.</summary>
public class ReviewScriptTests
{
    [Fact]
    public async Task Applying_erpdb_script_with_psql_gives_the_database_migrate_gives_when_a_migration_rebuilds_the_views()
    {
        await using var migrated = await TestDatabase.CreateMigratedAsync();
        await using var applied = await TestDatabase.CreateMigratedAsync();
        using var scripts = ViewRebuildTests.EmbeddedScripts()
            .Write("migrations/0900_widen.sql", "ALTER TABLE dw.dim_products ALTER COLUMN product_name TYPE varchar(300);");
        var file = Path.Combine(scripts.Path, "review.sql");
        // As migration 0002 leaves a real database: owned by erp_owner, so every script runs as erp_owner. (A clone
        // belongs to the admin that made it, and then scripts run as the login: the review script, which re-creates
        // every view, and migrate, which rebuilds only the views that depend on what changes, would own different views.)
        // A DBA's own BI role granted a reader view and a view by hand: migrate grants them again after the rebuild, and so must the script.
        var bi = $"t_bi_{Guid.NewGuid():N}"[..16];
        await migrated.ExecuteAsync($"CREATE ROLE {bi} NOLOGIN");
        foreach (var db in new[] { migrated, applied })
        {
            await db.ExecuteAsync($"ALTER DATABASE {db.Name} OWNER TO erp_owner");
            await db.ExecuteAsync($"GRANT SELECT ON mart.top_products TO {bi}; GRANT SELECT ON mart.mv_inventory_summary TO {bi} WITH GRANT OPTION");
        }

        var script = await CliRun.RunAsync("script", "--connection", applied.ConnectionString, "--scripts", scripts.Path, "--output", file);
        var psql = await PgTools.PsqlFileAsync(applied.ConnectionString, file);
        await new MigrationRunner(migrated.DataSource, scripts.Catalog(), new MigrationOptions { Schedule = false }).MigrateAsync();
        var verify = await CliRun.RunAsync("verify", "--connection", applied.ConnectionString, "--scripts", scripts.Path);
        const string biGrants = """
            SELECT string_agg(c.relname || ':' || a.privilege_type || ':' || a.is_grantable, ',' ORDER BY c.relname)
              FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
             WHERE c.relnamespace = 'mart'::regnamespace AND a.grantee::regrole::text LIKE 't\_bi\_%'
            """;
        var appliedGrants = await applied.ScalarAsync<string>(biGrants);
        var migratedGrants = await migrated.ScalarAsync<string>(biGrants);
        var dumps = (await PgTools.SchemaDumpAsync(migrated.ConnectionString), await PgTools.SchemaDumpAsync(applied.ConnectionString));
        foreach (var db in new[] { migrated, applied })
        {
            await db.ExecuteAsync($"DROP OWNED BY {bi}");
        }
        await migrated.ExecuteAsync($"DROP ROLE {bi}");

        Assert.Equal(0, script.ExitCode);
        Assert.Contains("-- ==== runner/drop_mart_views.sql", await File.ReadAllTextAsync(file));
        Assert.True(psql.ExitCode == 0, psql.Error);
        Assert.Equal(0, verify.ExitCode);
        Assert.Equal("mv_inventory_summary:SELECT:true,top_products:SELECT:false", appliedGrants);
        Assert.Equal(migratedGrants, appliedGrants);
        Assert.Equal(dumps.Item1, dumps.Item2);
        // The same state per script (the review script journals every view it re-creates, migrate only those it rebuilt).
        const string state = "SELECT string_agg(script_name || ' ' || sha256, ',' ORDER BY script_name) FROM (SELECT DISTINCT ON (script_name) script_name, sha256 FROM ops.schema_journal ORDER BY script_name, journal_id DESC) AS j";
        Assert.Equal(await migrated.ScalarAsync<string>(state), await applied.ScalarAsync<string>(state));
    }

    [Fact]
    public async Task Applying_erpdb_script_with_psql_keeps_a_DBAs_plain_views_as_migrate_does()
    {
        await using var migrated = await TestDatabase.CreateMigratedAsync();
        await using var applied = await TestDatabase.CreateMigratedAsync();
        using var scripts = ViewRebuildTests.EmbeddedScripts()
            .Write("migrations/0900_widen_receipt_reference.sql", "ALTER TABLE dw.fact_payment_receipts ALTER COLUMN reference_no TYPE varchar(150);");
        var file = Path.Combine(scripts.Path, "review.sql");
        var schema = $"bi_{Guid.NewGuid():N}"[..12];
        var role = $"t_bi_{Guid.NewGuid():N}"[..16];
        await migrated.ExecuteAsync($"CREATE ROLE {role} NOLOGIN");
        // A DBA's views over the retyped column, over such a view, and over a reader view the script re-creates (its view is dropped first).
        foreach (var db in new[] { migrated, applied })
        {
            await db.ExecuteAsync($"ALTER DATABASE {db.Name} OWNER TO erp_owner");
            await db.ExecuteAsync(PlainViewKeepingTests.DbaViews(schema, role));
        }
        string[] views = [$"{schema}.big_receipts", $"{schema}.big_receipt_refs", $"{schema}.cohorts", "mart.receipts"];
        try
        {
            var before = await applied.ScalarAsync<string>(PlainViewKeepingTests.Described(views));

            var script = await CliRun.RunAsync("script", "--connection", applied.ConnectionString, "--scripts", scripts.Path, "--output", file);
            var psql = await PgTools.PsqlFileAsync(applied.ConnectionString, file);
            await new MigrationRunner(migrated.DataSource, scripts.Catalog(), new MigrationOptions { Schedule = false }).MigrateAsync();

            Assert.Equal(0, script.ExitCode);
            const string keeps = "-- ==== The plain views migrate keeps, dropped here (as the login) and re-created as they are after the scripts: ";
            var header = (await File.ReadAllLinesAsync(file)).Single(l => l.StartsWith(keeps, StringComparison.Ordinal));
            Assert.Equal(views.Order(StringComparer.Ordinal), header[keeps.Length..^1].Split(", ").Order(StringComparer.Ordinal));
            Assert.True(psql.ExitCode == 0, psql.Error);
            var after = await applied.ScalarAsync<string>(PlainViewKeepingTests.Described(views));
            Assert.Equal(before, after);
            Assert.Equal(await migrated.ScalarAsync<string>(PlainViewKeepingTests.Described(views)), after);
            Assert.Equal("character varying(150)", await applied.ScalarAsync<string>($"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '{schema}.big_receipt_refs'::regclass AND attname = 'reference_no'"));
            Assert.True(await applied.ScalarAsync<bool>($"SELECT has_table_privilege('{role}', '{schema}.big_receipts', 'SELECT WITH GRANT OPTION') AND has_table_privilege('{role}', '{schema}.cohorts', 'SELECT')"));
            Assert.Equal(0, (await CliRun.RunAsync("verify", "--connection", applied.ConnectionString, "--scripts", scripts.Path)).ExitCode);
        }
        finally
        {
            foreach (var db in new[] { migrated, applied })
            {
                await db.ExecuteAsync($"DROP SCHEMA {schema} CASCADE; DROP OWNED BY {role}");
            }
            await migrated.ExecuteAsync($"DROP ROLE {role}");
        }
    }
}
