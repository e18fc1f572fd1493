using System.Globalization;

namespace Erp.Db.Tests.Metrics;

/// <summary><c>erpdb inventory</c>'s totals are the positions' own sums, asked of the facts in SQL.</summary>
[Collection(SharesSeededMetrics.Name)]
public class InventoryCommandTests(SeededMetrics seeded)
{
    [Fact]
    public async Task The_inventory_value_is_the_positions_value_summed_and_rounded_once()
    {
        var differs = false;
        foreach (var merchant in new[] { 1, 2 })
        {
            var data = await seeded.DataAsync("inventory", "--merchant", merchant.ToString(CultureInfo.InvariantCulture));
            var sums = (await seeded.Db.ScalarAsync<string>($"""
                SELECT round(sum(quantity_on_hand * average_unit_cost), 2) || '|' || sum(round(quantity_on_hand * average_unit_cost, 2))
                FROM dw.fact_inventory WHERE merchant_id = {merchant}
                """))!.Split('|');

            Assert.Equal(decimal.Parse(sums[0], CultureInfo.InvariantCulture), data.GetProperty("summary").GetProperty("inventoryValue").GetDecimal());
            differs |= sums[0] != sums[1];
        }

        // The seed's average costs have 4 decimals: rounding each position first gives another figure (for one merchant at least),
        // which the command must not.
        Assert.True(differs);
    }
}
