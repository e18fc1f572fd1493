using Erp.Db.Seeding.Rows;

namespace Erp.Db.Seeding.Generation;

/// <summary>Traffic funnel and user activity per shop and day, consistent with the orders placed that day.</summary>
internal static class TrafficFacts
{
    public static IEnumerable<TrafficFunnelRow> Funnel(DemoModel model, SalesSummary summary)
    {
        for (var day = 0; day < model.Days; day++)
        {
            foreach (var shop in model.Shops)
            {
                var random = SeedHash.Random(model.Seed, 60, shop.Index, day);
                var orders = summary.ShopDayOrders[shop.Index, day];
                var (visitors, unique) = Visitors(random, orders);
                var checkout = Math.Max(orders, (int)Math.Round(visitors * random.Uniform(0.03, 0.07)));
                var cart = Math.Max(checkout, (int)Math.Round(visitors * random.Uniform(0.08, 0.14)));
                yield return new TrafficFunnelRow(shop.Row.MerchantId, shop.Row.ShopId, model.StartDate.AddDays(day), visitors, unique,
                    (int)Math.Round(visitors * random.Uniform(2.5, 5)), cart, checkout, orders);
            }
        }
    }

    public static IEnumerable<UserActivityRow> Activity(DemoModel model, SalesSummary summary)
    {
        for (var day = 0; day < model.Days; day++)
        {
            foreach (var shop in model.Shops)
            {
                var random = SeedHash.Random(model.Seed, 61, shop.Index, day);
                var orders = summary.ShopDayOrders[shop.Index, day];
                var (_, unique) = Visitors(SeedHash.Random(model.Seed, 60, shop.Index, day), orders);
                var active = Math.Max(orders + 1, (int)Math.Round(unique * random.Uniform(0.5, 0.8)));
                var newUsers = (int)Math.Round(active * random.Uniform(0.15, 0.35));
                var returning = Math.Max(0, active - newUsers - random.Next(0, (active / 10) + 1));
                var sessions = (int)Math.Round(active * random.Uniform(1.1, 1.6));
                var daysLeft = model.Days - 1 - day;
                yield return new UserActivityRow(shop.Row.MerchantId, shop.Row.ShopId, model.StartDate.AddDays(day), active, newUsers, returning,
                    Math.Min(orders, active), sessions, Math.Round((decimal)random.Uniform(90, 420), 2), (int)Math.Round(sessions * random.Uniform(3, 7)),
                    daysLeft >= 1 ? Share(random, 0.2, 0.4) : null, daysLeft >= 7 ? Share(random, 0.08, 0.2) : null, daysLeft >= 30 ? Share(random, 0.03, 0.1) : null);
            }
        }
    }

    /// <summary>Visits and distinct visitors: orders convert at 2-5 %, plus browsing traffic.</summary>
    private static (int Visitors, int Unique) Visitors(Random random, int orders)
    {
        var visitors = (int)Math.Round((orders / random.Uniform(0.02, 0.05)) + random.Uniform(20, 80));
        return (visitors, (int)Math.Round(visitors * random.Uniform(0.7, 0.9)));
    }

    private static decimal Share(Random random, double min, double max) => Math.Round((decimal)random.Uniform(min, max), 6);
}
