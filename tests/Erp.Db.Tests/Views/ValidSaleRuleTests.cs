using System.Text.RegularExpressions;
using Erp.Db.Migrations;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Views;

public partial class ValidSaleRuleTests
{
    [Fact]
    public async Task Every_status_the_facts_accept_is_a_sale_except_cancelled_refunded_and_returned()
    {
        await using var db = await TestDatabase.CreateMigratedAsync();

        // The statuses come from the facts' own CHECK constraint, so a new status cannot go unclassified unnoticed.
        const string statuses = """
            SELECT m.a[1] AS status
            FROM regexp_matches((SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'fact_sales_orders_status_known' AND conrelid = 'dw.fact_sales_orders'::regclass), '''(\w+)''', 'g') AS m(a)
            """;
        var invalid = await db.ScalarAsync<string[]>($"SELECT array_agg(status ORDER BY status) FROM ({statuses}) AS s WHERE NOT dw.is_valid_sale(status)");
        var valid = await db.ScalarAsync<long>($"SELECT count(*) FROM ({statuses}) AS s WHERE dw.is_valid_sale(status)");

        Assert.Equal(["cancelled", "refunded", "returned"], invalid ?? []);
        Assert.Equal(6, valid);
    }

    [Fact]
    public void No_view_or_function_writes_the_rule_again_they_call_dw_is_valid_sale()
    {
        var restated = ScriptCatalog.Embedded().Scripts
            .Where(s => s.IsRepeatable && s.Name != "functions/dw.is_valid_sale.sql")
            .Where(s => OrderOnlyStatus().IsMatch(s.Contents))
            .Select(s => s.Name)
            .ToList();

        Assert.Empty(restated);
        Assert.Contains(ScriptCatalog.Embedded().Scripts, s => s.Kind == ScriptKind.View && s.Contents.Contains("dw.is_valid_sale(", StringComparison.Ordinal));
    }

    /// <summary>A quoted order status that only the sales rule needs ('refunded', 'returned').</summary>
    [GeneratedRegex("'(refunded|returned)'")]
    private static partial Regex OrderOnlyStatus();
}
