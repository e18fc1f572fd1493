using Erp.Db.Seeding.Rows;

namespace Erp.Db.Seeding.Generation;

/// <summary>Stock positions (most healthy, about 10 % low, about 5 % out of stock) and stock movements.</summary>
internal static class InventoryFacts
{
    public const string Warehouse = "default";

    public static InventoryRow Position(DemoModel model, DemoProduct product)
    {
        var random = SeedHash.Random(model.Seed, 30, product.Index);
        var safety = product.Row.SafetyStock;
        var r = random.NextDouble();
        int onHand, reserved;
        if (r < 0.05)
        {
            reserved = random.Chance(0.4) ? random.Next(1, 4) : 0;
            onHand = reserved; // available = 0
        }
        else if (r < 0.15)
        {
            reserved = random.Next(0, 4);
            onHand = random.Next(1, safety + 1) + reserved; // 0 < available <= safety stock
        }
        else
        {
            reserved = random.Next(0, 2 + (int)Math.Ceiling(product.ExpectedDailyUnits));
            onHand = random.Next(safety + 1, (safety * 8) + 20) + reserved;
        }
        var incoming = r < 0.15 || random.Chance(0.2) ? random.Next(safety, (safety * 4) + 10) : 0;
        var averageCost = Math.Round(product.Row.UnitCost * (decimal)random.Uniform(0.97, 1.03), 4);
        var counted = random.Chance(0.7) ? model.DayStartUtc(model.Days - 1 - random.Next(0, Math.Min(model.Days, 90))).AddHours(random.Uniform(9, 18)) : (DateTime?)null;
        return new InventoryRow(product.MerchantIndex + 1, product.Row.ProductId, Warehouse, onHand, reserved, incoming, safety, averageCost, counted);
    }

    public static IEnumerable<InventoryTransactionRow> Transactions(DemoModel model, SalesSummary summary)
    {
        var rows = new List<InventoryTransactionRow>();
        foreach (var product in model.Products)
        {
            var random = SeedHash.Random(model.Seed, 31, product.Index);
            var merchant = product.MerchantIndex + 1;
            var receipt = 0;
            for (var day = random.Next(0, 20); day < model.Days; day += random.Next(14, 46))
            {
                receipt++;
                var quantity = (int)Math.Max(10, Math.Round(product.ExpectedDailyUnits * 30 * random.Uniform(0.8, 1.3)));
                var unitCost = Math.Round(product.Row.UnitCost * (decimal)random.Uniform(0.95, 1.05), 4);
                rows.Add(Row(model, merchant, day, product, "purchase_in", quantity, unitCost, null, $"PO-{product.Row.ProductId}-{receipt:D3}", random.Uniform(9, 17)));
            }
            for (var month = 0; month * 30 < model.Days; month++)
            {
                var day = Math.Min(model.Days - 1, (month * 30) + random.Next(0, 30));
                if (random.Chance(0.05))
                {
                    var change = random.Chance(0.5) ? random.Next(1, 4) : -random.Next(1, 4);
                    rows.Add(Row(model, merchant, day, product, "adjustment", change, null, null, $"ADJ-{product.Row.ProductId}-{month:D3}", random.Uniform(17, 19)));
                }
                if (random.Chance(0.01))
                {
                    rows.Add(Row(model, merchant, day, product, "damage_out", -random.Next(1, 3), null, null, $"DMG-{product.Row.ProductId}-{month:D3}", random.Uniform(10, 16)));
                }
            }
        }
        foreach (var (order, item) in summary.RecentShippedLines)
        {
            rows.Add(new InventoryTransactionRow(order.MerchantId, 0, DateOf(model, order.ShippedAt!.Value), item.ProductId, "sale_out",
                -item.Quantity, null, order.OrderId, order.OrderDate, $"{order.OrderNo}-{item.LineNo}", order.ShippedAt.Value));
        }
        foreach (var (order, item) in summary.ReturnedLines)
        {
            var at = order.DeliveredAt!.Value.AddDays(5);
            rows.Add(new InventoryTransactionRow(order.MerchantId, 0, DateOf(model, at), item.ProductId, "return_in",
                item.Quantity, item.UnitCost, order.OrderId, order.OrderDate, $"{order.OrderNo}-{item.LineNo}", at));
        }
        rows.Sort((a, b) => a.OccurredAt != b.OccurredAt ? a.OccurredAt.CompareTo(b.OccurredAt) : string.CompareOrdinal(a.ReferenceNo, b.ReferenceNo));
        for (var i = 0; i < rows.Count; i++)
        {
            yield return rows[i] with { TransactionId = i + 1 };
        }
    }

    private static InventoryTransactionRow Row(DemoModel model, long merchant, int day, DemoProduct product, string type, int change, decimal? unitCost, long? orderId, string reference, double hour)
    {
        var at = model.DayStartUtc(day).AddHours(hour);
        return new InventoryTransactionRow(merchant, 0, model.StartDate.AddDays(day), product.Row.ProductId, type, change, unitCost, orderId, null, reference, at);
    }

    /// <summary>The business day (UTC+8) of an instant.</summary>
    public static DateOnly DateOf(DemoModel model, DateTime utc) => DateOnly.FromDateTime(utc.AddHours(8));
}
