using Dapper;
using Erp.Db.Migrations;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Contracts;

/// <summary>
/// Migrate orders and rebuilds views by their <c>-- requires:</c> headers; the registry records
/// what each view really reads (from the catalog). A header that misses a view would let migrate
/// drop a dependent view by CASCADE and never re-create it, so the two must agree.
/// </summary>
public class RequiresHeaderTests
{
    [Fact]
    public async Task Every_view_file_requires_exactly_what_its_view_reads()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();
        var reads = (await db.DataSource.OpenConnection().QueryAsync<(string View, string[] Reads)>(
                "SELECT view_name, reads FROM ops.mv_registry"))
            .ToDictionary(r => r.View, r => r.Reads.Order(StringComparer.Ordinal).ToArray());
        var views = ScriptCatalog.Embedded().Scripts.Where(s => s.Kind == ScriptKind.View).ToList();

        Assert.Equal(views.Select(ViewOrder.ViewName).Order(StringComparer.Ordinal), reads.Keys.Order(StringComparer.Ordinal));
        foreach (var view in views)
        {
            // The header also names the functions a view calls (dw.is_valid_sale); the registry knows relations only.
            var requiredRelations = new List<string>();
            foreach (var required in ViewOrder.Requires(view).Distinct())
            {
                if (await db.DataSource.OpenConnection().ExecuteScalarAsync<bool>("SELECT to_regclass(@required) IS NOT NULL", new { required }))
                {
                    requiredRelations.Add(required);
                }
            }
            var name = ViewOrder.ViewName(view);
            Assert.True(
                reads[name].SequenceEqual(requiredRelations.Order(StringComparer.Ordinal)),
                $"{view.Name}: '-- requires:' lists the relations {string.Join(", ", requiredRelations.Order(StringComparer.Ordinal))}; the view reads {string.Join(", ", reads[name])}");
        }
    }
}
