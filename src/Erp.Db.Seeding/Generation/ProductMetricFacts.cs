using Erp.Db.Seeding.Rows;

namespace Erp.Db.Seeding.Generation;

/// <summary>Daily metrics per listing (shop and product): every listing-day with sales, and every listing for the last week.</summary>
internal static class ProductMetricFacts
{
    public const int AllListingsDays = 7;

    public static IEnumerable<ProductMetricRow> Rows(DemoModel model, SalesSummary summary)
    {
        var products = model.Products.Count;
        var stock = model.Products.Select(p => InventoryFacts.TargetAvailable(model, p)).ToArray();
        var quality = model.Products.Select(p =>
        {
            var random = SeedHash.Random(model.Seed, 40, p.Index);
            return (Rating: Math.Round(random.Uniform(3.4, 4.95), 2), Reviews: random.Next(0, 40) + (int)(p.ExpectedDailyUnits * 60));
        }).ToArray();
        var listingsByMerchant = Enumerable.Range(0, model.Options.Merchants)
            .Select(m => model.Shops.Where(s => s.MerchantIndex == m)
                .SelectMany(s => model.Products.Where(p => p.MerchantIndex == m).Select(p => ((long)s.Index * products) + p.Index)).ToArray())
            .ToArray();
        for (var day = 0; day < model.Days; day++)
        {
            var sales = summary.ListingSales[day];
            IEnumerable<long> keys = sales.Keys;
            if (day >= model.Days - AllListingsDays)
            {
                keys = keys.Concat(listingsByMerchant.SelectMany(l => l)).Distinct();
            }
            var date = model.StartDate.AddDays(day);
            var promotion = DemandCalendar.IsPromotion(date);
            foreach (var key in keys.Order())
            {
                var shop = model.Shops[(int)(key / products)];
                var product = model.Products[(int)(key % products)];
                var random = SeedHash.Random(model.Seed, 41, key, day);
                var (units, amount) = sales.GetValueOrDefault(key);
                var rate = model.Rates.Rate(shop.Row.CurrencyCode, day);
                var price = Math.Max(0.01m, Math.Round((decimal)(product.PriceCny * (promotion ? 0.85 : 1)) / rate, 2, MidpointRounding.AwayFromZero));
                var visitors = (int)Math.Round((units * random.Uniform(12, 40)) + random.Uniform(0, 25));
                var pageViews = (int)Math.Round(visitors * random.Uniform(1.2, 2.5));
                var daysAgo = model.Days - 1 - day;
                var shown = daysAgo == 0 ? stock[product.Index] : Math.Max(0, stock[product.Index] + random.Next(-3, (int)(product.ExpectedDailyUnits * daysAgo) + 5));
                var (rating, reviews) = quality[product.Index];
                var reviewCount = Math.Max(0, reviews - (int)(daysAgo * product.ExpectedDailyUnits * 0.15));
                var status = product.Row.Status == "inactive" ? "inactive" : shown == 0 ? "out_of_stock" : "active";
                yield return new ProductMetricRow(shop.Row.MerchantId, shop.Row.ShopId, product.Row.ProductId, date, shop.Row.CurrencyCode, rate, price,
                    shown, units, amount, pageViews, visitors, reviewCount > 0 ? (decimal)rating : null, reviewCount, status);
            }
        }
    }
}
