using System.Text.RegularExpressions;
using Erp.Db.Migrations;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Views;

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

        scripts.Write("views/mart.mv_daily_sales.sql", Embedded("views/mart.mv_daily_sales.sql") + "\n-- changed\n");
        var result = await new MigrationRunner(db.DataSource, scripts.Catalog()).MigrateAsync();

        Assert.Equal(
            ["views/mart.mv_daily_sales.sql", "views/mart.mv_financial_daily.sql", "views/mart.mv_financial_overview.sql", "views/mart.mv_monthly_sales.sql",
             "views/mart.mv_profit_analysis.sql", "views/mart.mv_user_activity_daily.sql", "views/mart.mv_weekly_sales.sql"],
            result.Scripts.Select(s => s.Name).Order());
        Assert.Equal(gmv, await db.ScalarAsync<decimal>("SELECT sum(gmv_cny) FROM mart.mv_weekly_sales"));
        Assert.Equal("mart.weekly_sales", await db.ScalarAsync<string>("SELECT to_regclass('mart.weekly_sales')::text"));
    }

    [Fact]
    public async Task A_migration_that_drops_a_column_a_view_reads_applies_without_dropping_the_view_by_hand()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        await SalesDataset.LoadAsync(db);
        using var scripts = EmbeddedScripts();
        // The column goes from the table, and the view files stop reading it, in one change.
        scripts.Write("migrations/0900_drop_brand.sql", "ALTER TABLE dw.dim_products DROP COLUMN brand;\nALTER TABLE dw.dim_products ALTER COLUMN product_name TYPE varchar(300);");
        foreach (var view in new[] { "views/mart.mv_inventory_summary.sql", "views/mart.mv_product_sales_daily.sql", "views/mart.mv_product_management.sql" })
        {
            // mart.mv_product_sales_daily is an incremental aggregate: its table declares the column too.
            scripts.Write(view, Regex.Replace(Regex.Replace(Embedded(view), @"p\.brand,\s*", ""), @"\n\s*brand\s+text,", ""));
        }
        var runner = new MigrationRunner(db.DataSource, scripts.Catalog());
        var planned = await runner.StatusAsync();

        var result = await runner.MigrateAsync();

        Assert.All(planned.Scripts.Where(s => s.Kind == ScriptKind.View), s => Assert.Equal(ScriptState.Changed, s.State));
        Assert.Equal(WarehouseViews.Count + 1, result.Scripts.Count);
        Assert.Null(await db.ScalarAsync<string>("SELECT attname::text FROM pg_attribute WHERE attrelid = 'dw.dim_products'::regclass AND attname = 'brand' AND NOT attisdropped"));
        Assert.Equal(WarehouseViews.Count, await db.ScalarAsync<long>(MartViewCount));
        Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_product_metrics WHERE metric_date >= CURRENT_DATE - 90"),
            await db.ScalarAsync<long>("SELECT count(*) FROM mart.mv_product_management"));
        Assert.True((await runner.StatusAsync()).IsUpToDate);
    }

    [Fact]
    public async Task A_failing_migration_in_a_view_rebuild_rolls_everything_back_and_names_the_script()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        using var scripts = EmbeddedScripts();
        scripts.Write("migrations/0900_ok.sql", "CREATE TABLE dw.rebuild_probe (id int);")
            .Write("migrations/0901_broken.sql", "ALTER TABLE dw.dim_products DROP COLUMN no_such_column;");

        var error = await Assert.ThrowsAsync<MigrationScriptException>(() => new MigrationRunner(db.DataSource, scripts.Catalog()).MigrateAsync());

        Assert.Equal("migrations/0901_broken.sql", error.ScriptName);
        Assert.Equal(WarehouseViews.Count, await db.ScalarAsync<long>(MartViewCount));
        Assert.Null(await db.ScalarAsync<string>("SELECT to_regclass('dw.rebuild_probe')::text"));
    }

    /// <summary>The materialized views in mart plus the tables of the registered incremental aggregates.</summary>
    private const string MartViewCount = """
        SELECT (SELECT count(*) FROM pg_matviews WHERE schemaname = 'mart')
             + (SELECT count(*) FROM ops.mv_registry AS r
                JOIN pg_class AS c ON c.oid = to_regclass(r.view_name) AND c.relkind = 'r'
                WHERE r.view_kind = 'incremental')
        """;

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
