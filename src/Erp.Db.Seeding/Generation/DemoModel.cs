using Erp.Db.Seeding.Rows;

namespace Erp.Db.Seeding.Generation;

/// <summary>
/// Everything decided before any fact is written: dimensions, exchange rates and the plan of every
/// order (day, time, shop, customer, line count). Pure: built from the options, the reference data and the seed.
/// </summary>
internal sealed class DemoModel
{
    private const int ChurnGapDays = 91;

    private static readonly string[] LevelCodes = ["normal", "gold", "platinum", "diamond"];

    private static readonly string[] ChannelCodes = ["app", "mini_program", "h5", "pc", "unknown"];

    public DemoModel(SeedOptions options, SeedReferenceData reference)
    {
        Options = options;
        Seed = options.RandomSeed;
        EndDate = options.ResolveEndDate();
        StartDate = options.ResolveStartDate();
        Days = options.Days;
        Rates = new CurrencyRates(Seed, reference.Currencies, Days);
        Merchants = [.. Enumerable.Range(0, options.Merchants).Select(m => new MerchantRow(
            m + 1, $"demo_m{m + 1:D3}", $"Demo Merchant {m + 1}", "CNY", "Asia/Shanghai"))];
        Shops = BuildShops(reference);
        Categories = BuildCategories();
        Products = BuildProducts();
        ProductSamplers = [.. Enumerable.Range(0, options.Merchants).Select(m =>
            new WeightedSampler([.. Products.Where(p => p.MerchantIndex == m).Select(p => p.Popularity)]))];
        ProductOffsets = [.. Enumerable.Range(0, options.Merchants).Select(m => Products.First(p => p.MerchantIndex == m).Index)];
        CustomerModels = BuildCustomers();
        Plan = BuildPlan();
        Customers = BuildCustomerRows(reference);
    }

    public SeedOptions Options { get; }

    public int Seed { get; }

    public DateOnly StartDate { get; }

    public DateOnly EndDate { get; }

    public int Days { get; }

    public CurrencyRates Rates { get; }

    public IReadOnlyList<MerchantRow> Merchants { get; }

    public IReadOnlyList<DemoShop> Shops { get; }

    public IReadOnlyList<CategoryRow> Categories { get; }

    public IReadOnlyList<DemoProduct> Products { get; }

    public IReadOnlyList<WeightedSampler> ProductSamplers { get; }

    public IReadOnlyList<int> ProductOffsets { get; }

    public IReadOnlyList<DemoCustomer> CustomerModels { get; }

    public IReadOnlyList<CustomerRow> Customers { get; }

    public PlannedOrder[] Plan { get; }

    public long ItemCount => Plan.Length == 0 ? 0 : Plan[^1].FirstItemId + Plan[^1].Lines - 1;

    /// <summary>Start of the business day (Asia/Shanghai, UTC+8) as UTC.</summary>
    public DateTime DayStartUtc(int day) => StartDate.AddDays(day).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddHours(-8);

    /// <summary>Weeks start on Monday; week 0 holds the first day.</summary>
    public int WeekOf(int day) => (day + MondayOffset) / 7;

    public int WeekStartDay(int week) => (week * 7) - MondayOffset;

    private int MondayOffset => ((int)StartDate.DayOfWeek + 6) % 7;

    private List<DemoShop> BuildShops(SeedReferenceData reference)
    {
        var shops = new List<DemoShop>();
        for (var m = 0; m < Options.Merchants; m++)
        {
            var random = SeedHash.Random(Seed, 1, m);
            for (var s = 0; s < Options.ShopsPerMerchant; s++)
            {
                var template = Catalog.Shops[s % Catalog.Shops.Count];
                var round = (s / Catalog.Shops.Count) + 1;
                if (!reference.PlatformIds.TryGetValue(template.Platform, out var platformId))
                {
                    throw new InvalidOperationException($"dw.dim_platforms has no platform '{template.Platform}'; migrate the database first.");
                }
                var currency = Rates.Has(template.Currency) ? template.Currency : "CNY";
                var id = shops.Count + 1;
                var name = round == 1 ? $"M{m + 1} {template.Name}" : $"M{m + 1} {template.Name} {round}";
                var row = new ShopRow(id, m + 1, platformId, $"{template.Platform}-{template.Country.ToLowerInvariant()}-{m + 1:D3}{s + 1:D2}",
                    name, template.Country, currency, Settlement.TermDays);
                var (commission, paymentFee) = Catalog.Fees(template.Platform);
                shops.Add(new DemoShop(shops.Count, m, row, template.Platform, template.Weight * random.Uniform(0.8, 1.25),
                    commission, paymentFee, Catalog.OrderPrefix(template.Platform)));
            }
        }
        return shops;
    }

    private List<CategoryRow> BuildCategories()
    {
        var rows = new List<CategoryRow>();
        for (var m = 0; m < Options.Merchants; m++)
        {
            var ids = new Dictionary<string, CategoryRow>(StringComparer.Ordinal);
            foreach (var (code, name, parent, _) in Catalog.Categories)
            {
                var parentRow = parent is null ? null : ids[parent];
                var row = new CategoryRow(rows.Count + 1, m + 1, code, name, parentRow?.CategoryId,
                    (short)((parentRow?.Level ?? 0) + 1), parentRow is null ? code : $"{parentRow.Path}/{code}");
                ids[code] = row;
                rows.Add(row);
            }
        }
        return rows;
    }

    private List<DemoProduct> BuildProducts()
    {
        var perMerchant = Options.ResolveProductsPerMerchant();
        var leaves = Catalog.Categories.Select((c, i) => (c, i)).Where(x => x.c.MedianPrice > 0).ToList();
        var products = new List<DemoProduct>();
        for (var m = 0; m < Options.Merchants; m++)
        {
            var random = SeedHash.Random(Seed, 2, m);
            var merchantOrders = MerchantShare(m) * Options.Orders;
            // Zipf-like popularity (rank^-1.05) over a random ranking: a few hits and a long tail.
            var ranks = Enumerable.Range(1, perMerchant).ToArray();
            random.Shuffle(ranks);
            var harmonic = ranks.Sum(r => Math.Pow(r, -1.05));
            for (var p = 0; p < perMerchant; p++)
            {
                var (leaf, leafIndex) = leaves[random.Next(leaves.Count)];
                var category = Categories[(m * Catalog.Categories.Count) + leafIndex];
                var brand = Catalog.Brands[random.Next(Catalog.Brands.Count)];
                var price = Math.Round(Math.Max(5, random.LogNormal(leaf.MedianPrice, 0.45)), 1) - 0.1;
                var unitCost = Math.Round((decimal)(price * random.Uniform(0.32, 0.62)), 4);
                var inactive = random.Chance(0.04);
                var popularity = Math.Pow(ranks[p], -1.05) / harmonic * (inactive ? 0.1 : 1);
                var dailyUnits = popularity * merchantOrders * 2.2 / Days;
                var safety = (int)Math.Max(3, Math.Round(dailyUnits * 7));
                var name = $"{brand} {Catalog.Adjectives[random.Next(Catalog.Adjectives.Count)]} {leaf.Name} {Catalog.Variants[random.Next(Catalog.Variants.Count)]}";
                var row = new ProductRow(products.Count + 1, m + 1, $"M{m + 1}-{leaf.Code.ToUpperInvariant()[..3]}-{p + 1:D6}", name,
                    category.CategoryId, brand, unitCost, safety, inactive ? "inactive" : "active");
                products.Add(new DemoProduct(products.Count, m, row, price, popularity, dailyUnits));
            }
        }
        return products;
    }

    /// <summary>Share of all orders that goes to merchant m: 1/sqrt(m+1), normalized.</summary>
    public double MerchantShare(int m)
    {
        var total = Enumerable.Range(0, Options.Merchants).Sum(i => 1 / Math.Sqrt(i + 1));
        return 1 / Math.Sqrt(m + 1) / total;
    }

    private List<DemoCustomer> BuildCustomers()
    {
        var customers = new List<DemoCustomer>();
        for (var m = 0; m < Options.Merchants; m++)
        {
            var random = SeedHash.Random(Seed, 3, m);
            var shops = Shops.Where(s => s.MerchantIndex == m).ToList();
            var shopSampler = new WeightedSampler([.. shops.Select(s => s.Weight)]);
            var count = (int)Math.Ceiling(MerchantShare(m) * Options.Orders / 3.0) + 10;
            for (var c = 0; c < count; c++)
            {
                // Pareto weights: most buy once or twice, a few buy very often (the VIPs).
                var weight = Math.Min(300, Math.Pow(1 - random.NextDouble(), -1 / 1.25));
                var first = Math.Max(0, (int)Math.Floor(random.Uniform(-0.6, 1.0) * Days));
                var last = Days - 1;
                var latestChurn = Days - 1 - ChurnGapDays;
                if (first <= latestChurn - 14 && random.Chance(0.3))
                {
                    last = first + random.Next(14, latestChurn - first + 1);
                }
                customers.Add(new DemoCustomer(customers.Count, m, customers.Count + 1, weight, first, last, shops[shopSampler.Sample(random)].Index));
            }
        }
        return customers;
    }

    private PlannedOrder[] BuildPlan()
    {
        var random = SeedHash.Random(Seed, 4);
        var perDay = OrdersPerDay(random);
        var merchantSampler = new WeightedSampler([.. Enumerable.Range(0, Options.Merchants).Select(MerchantShare)]);
        var customerSamplers = Enumerable.Range(0, Options.Merchants)
            .Select(m => CustomerModels.Where(c => c.MerchantIndex == m).ToList()).ToList();
        var weightSamplers = customerSamplers.Select(list => new WeightedSampler([.. list.Select(c => c.Weight)])).ToList();
        var shopSamplers = Enumerable.Range(0, Options.Merchants)
            .Select(m => Shops.Where(s => s.MerchantIndex == m).ToList()).ToList();
        var shopWeights = shopSamplers.Select(list => new WeightedSampler([.. list.Select(s => s.Weight)])).ToList();
        var hours = new WeightedSampler(Catalog.HourWeights);
        var plan = new PlannedOrder[Options.Orders];
        var next = 0;
        long itemId = 1;
        for (var day = 0; day < Days; day++)
        {
            var start = next;
            for (var i = 0; i < perDay[day]; i++)
            {
                var m = merchantSampler.Sample(random);
                var customer = PickCustomer(random, customerSamplers[m], weightSamplers[m], day);
                var shop = customer is { } c && random.Chance(0.85)
                    ? c.HomeShop
                    : shopSamplers[m][shopWeights[m].Sample(random)].Index;
                var lines = LineCount(random);
                var second = (hours.Sample(random) * 3600) + random.Next(3600);
                plan[next++] = new PlannedOrder(day, second, (short)shop, lines, customer?.Index ?? -1, 0);
            }
            Array.Sort(plan, start, next - start, Comparer<PlannedOrder>.Create((a, b) => a.SecondOfDay.CompareTo(b.SecondOfDay)));
        }
        for (var i = 0; i < plan.Length; i++)
        {
            plan[i] = plan[i] with { FirstItemId = itemId };
            itemId += plan[i].Lines;
        }
        return plan;
    }

    private int[] OrdersPerDay(Random random)
    {
        var weights = new double[Days];
        for (var d = 0; d < Days; d++)
        {
            var trend = 0.8 + (0.4 * d / Math.Max(1, Days - 1));
            weights[d] = DemandCalendar.Weight(StartDate.AddDays(d)) * trend * Math.Exp(0.08 * random.Gaussian());
        }
        // Largest remainder: exactly Options.Orders in total.
        var total = weights.Sum();
        var exact = weights.Select(w => w / total * Options.Orders).ToArray();
        var counts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var missing = Options.Orders - counts.Sum();
        foreach (var d in Enumerable.Range(0, Days).OrderByDescending(d => exact[d] - counts[d]).ThenBy(d => d).Take(missing))
        {
            counts[d]++;
        }
        return counts;
    }

    private static DemoCustomer? PickCustomer(Random random, List<DemoCustomer> customers, WeightedSampler sampler, int day)
    {
        if (random.Chance(0.02))
        {
            return null; // guest checkout
        }
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var candidate = customers[sampler.Sample(random)];
            if (candidate.FirstActiveDay <= day && day <= candidate.LastActiveDay)
            {
                return candidate;
            }
        }
        return null;
    }

    private static byte LineCount(Random random) => random.NextDouble() switch
    {
        < 0.50 => 1,
        < 0.75 => 2,
        < 0.88 => 3,
        < 0.96 => 4,
        _ => 5,
    };

    private List<CustomerRow> BuildCustomerRows(SeedReferenceData reference)
    {
        var firstDay = new int[CustomerModels.Count];
        var orders = new int[CustomerModels.Count];
        Array.Fill(firstDay, int.MaxValue);
        foreach (var order in Plan)
        {
            if (order.Customer >= 0)
            {
                firstDay[order.Customer] = Math.Min(firstDay[order.Customer], order.Day);
                orders[order.Customer]++;
            }
        }
        var levels = LevelCodes.Select(code => reference.UserLevelIds[code]).ToArray();
        var channels = new WeightedSampler([0.45, 0.25, 0.15, 0.10, 0.05]);
        var channelIds = ChannelCodes.Select(code => reference.ChannelIds[code]).ToArray();
        var rows = new List<CustomerRow>(CustomerModels.Count);
        foreach (var c in CustomerModels)
        {
            var random = SeedHash.Random(Seed, 5, c.Index);
            var country = Shops[c.HomeShop].Row.SiteCountryCode;
            var level = orders[c.Index] switch
            {
                >= 12 => 3,
                >= 6 => 2,
                >= 3 => 1,
                _ => 0,
            };
            int? region = country == "CN" && reference.AreaRegionIds.Count > 0
                ? reference.AreaRegionIds[random.Next(reference.AreaRegionIds.Count)]
                : null;
            rows.Add(new CustomerRow(c.CustomerId, c.MerchantIndex + 1, $"buyer_{c.MerchantIndex + 1}_{Convert.ToHexStringLower(BitConverter.GetBytes(SeedHash.Mix(Seed, 6, c.Index)))}{c.Index:x}",
                $"Customer {c.CustomerId}", firstDay[c.Index] == int.MaxValue ? null : StartDate.AddDays(firstDay[c.Index]),
                levels[level], region, channelIds[channels.Sample(random)], country));
        }
        return rows;
    }
}
