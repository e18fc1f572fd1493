using Erp.Db.Seeding.Rows;

namespace Erp.Db.Seeding.Generation;

/// <summary>
/// Opening stock positions and the stock movements that are not orders: purchases sized so that,
/// once posting has moved the stock of every order line, most products are healthy, about 10 % low
/// and about 5 % out of stock; plus a few count adjustments and damages. Sales, reservations and
/// returns are posted from the orders, not generated.
/// </summary>
internal static class InventoryFacts
{
    public const string Warehouse = "default";

    /// <summary>The opening position: nothing on hand (the purchases bring it), safety stock, incoming, cost.</summary>
    public static InventoryRow Opening(DemoModel model, DemoProduct product)
    {
        var (_, incoming, averageCost) = Target(model, product);
        return new InventoryRow(product.MerchantIndex + 1, product.Row.ProductId, Warehouse, 0, 0, incoming, product.Row.SafetyStock, averageCost, null);
    }

    /// <summary>Units available (on hand - reserved) the product should have at the end of the range.</summary>
    public static int TargetAvailable(DemoModel model, DemoProduct product) => Target(model, product).Available;

    private static (int Available, int Incoming, decimal AverageCost) Target(DemoModel model, DemoProduct product)
    {
        var random = SeedHash.Random(model.Seed, 30, product.Index);
        var safety = product.Row.SafetyStock;
        var r = random.NextDouble();
        var available = r < 0.05 ? 0 : r < 0.15 ? random.Next(1, safety + 1) : random.Next(safety + 1, (safety * 8) + 20);
        var incoming = r < 0.15 || random.Chance(0.2) ? random.Next(safety, (safety * 4) + 10) : 0;
        var averageCost = Math.Round(product.Row.UnitCost * (decimal)random.Uniform(0.97, 1.03), 4);
        return (available, incoming, averageCost);
    }

    /// <summary>
    /// Purchases, adjustments and damages, unapplied (posting applies them). Per product the
    /// purchases add up to the units its orders ship or reserve, plus its target available stock,
    /// less the adjustments and damages.
    /// </summary>
    public static IEnumerable<InventoryTransactionRow> Transactions(DemoModel model, SalesSummary summary)
    {
        var rows = new List<InventoryTransactionRow>();
        foreach (var product in model.Products)
        {
            var random = SeedHash.Random(model.Seed, 31, product.Index);
            var merchant = product.MerchantIndex + 1;
            var adjusted = 0;
            for (var month = 0; month * 30 < model.Days; month++)
            {
                var day = Math.Min(model.Days - 1, (month * 30) + random.Next(0, 30));
                if (random.Chance(0.05))
                {
                    var change = random.Chance(0.5) ? random.Next(1, 4) : -random.Next(1, 4);
                    adjusted += change;
                    rows.Add(Row(model, merchant, day, product, "adjustment", change, null, $"ADJ-{product.Row.ProductId}-{month:D3}", random.Uniform(17, 19)));
                }
                if (random.Chance(0.01))
                {
                    var change = -random.Next(1, 3);
                    adjusted += change;
                    rows.Add(Row(model, merchant, day, product, "damage_out", change, null, $"DMG-{product.Row.ProductId}-{month:D3}", random.Uniform(10, 16)));
                }
            }
            var needed = Math.Max(0, summary.ProductUnits[product.Index] + TargetAvailable(model, product) - adjusted);
            var days = new List<int>();
            for (var day = random.Next(0, Math.Min(20, model.Days)); day < model.Days; day += random.Next(14, 46))
            {
                days.Add(day);
            }
            var left = needed;
            for (var i = 0; i < days.Count && left > 0; i++)
            {
                var quantity = i == days.Count - 1 ? left : Math.Min(left, (int)Math.Ceiling(needed / (double)days.Count * random.Uniform(0.8, 1.2)));
                left -= quantity;
                var unitCost = Math.Round(product.Row.UnitCost * (decimal)random.Uniform(0.95, 1.05), 4);
                rows.Add(Row(model, merchant, days[i], product, "purchase_in", quantity, unitCost, $"PO-{product.Row.ProductId}-{i + 1:D3}", random.Uniform(9, 17)));
            }
        }
        rows.Sort((a, b) => a.OccurredAt != b.OccurredAt ? a.OccurredAt.CompareTo(b.OccurredAt) : string.CompareOrdinal(a.ReferenceNo, b.ReferenceNo));
        for (var i = 0; i < rows.Count; i++)
        {
            yield return rows[i] with { TransactionId = i + 1 };
        }
    }

    private static InventoryTransactionRow Row(DemoModel model, long merchant, int day, DemoProduct product, string type, int change, decimal? unitCost, string reference, double hour)
    {
        var at = model.DayStartUtc(day).AddHours(hour);
        return new InventoryTransactionRow(merchant, 0, model.StartDate.AddDays(day), product.Row.ProductId, type, change, unitCost, null, null, reference, at);
    }
}
