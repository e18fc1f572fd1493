using Erp.Db.Seeding.Rows;

namespace Erp.Db.Seeding.Generation;

/// <summary>
/// The merchants' plans, so that the target and campaign results (erpdb targets, erpdb campaigns) have something to report:
/// monthly sales targets and a campaign per shopping festival (<see cref="DemandCalendar.Festivals"/>) in the range.
/// </summary>
internal static class PlanFacts
{
    /// <summary>
    /// Per merchant, a GMV target (CNY) for every month after the first; per shop, an orders target. Each is set as a merchant
    /// sets it before the month: the month before's daily rate over the new month's days, plus 2-15 % growth. The rate is of the
    /// orders placed and the GMV of those not cancelled, as the note says; the results compare the target with valid sales
    /// (refunds and returns out too), a few percent less than that basis. Some months
    /// beat it (the festival months), some fall short (February).
    /// </summary>
    public static IEnumerable<SalesTargetRow> SalesTargets(DemoModel model, SalesSummary summary)
    {
        var rows = new List<SalesTargetRow>();
        var months = Months(model).ToList();
        for (var i = 1; i < months.Count; i++)
        {
            var (before, firstDay, lastDay) = months[i - 1];
            var (month, _, _) = months[i];
            var days = month.AddMonths(1).DayNumber - month.DayNumber;
            var covered = lastDay - firstDay + 1;
            var end = month.AddMonths(1).AddDays(-1);
            for (var m = 0; m < model.Options.Merchants; m++)
            {
                var gmv = MerchantGmvCny(model, summary, m, firstDay, lastDay);
                var growth = Growth(model, 70, m, i);
                rows.Add(new SalesTargetRow(m + 1, 0, null, "gmv_cny", "month", month, end,
                    Hundreds(gmv / covered * days * (decimal)growth), $"{before:yyyy-MM} daily GMV of orders not cancelled x {days} days, +{growth - 1:P0}"));
            }
            foreach (var shop in model.Shops)
            {
                var orders = 0;
                for (var day = firstDay; day <= lastDay; day++)
                {
                    orders += summary.ShopDayOrders[shop.Index, day];
                }
                var growth = Growth(model, 71, shop.Index, i);
                rows.Add(new SalesTargetRow(shop.Row.MerchantId, 0, shop.Row.ShopId, "orders", "month", month, end,
                    Math.Round((decimal)orders / covered * days * (decimal)growth), $"{before:yyyy-MM} daily orders placed x {days} days, +{growth - 1:P0}"));
            }
        }
        return rows.Select((r, i) => r with { TargetId = i + 1 });
    }

    /// <summary>
    /// Per merchant, a campaign over every festival that starts in the range: finished when it ended before the range's last
    /// day, active when it runs over it. Its GMV target is drawn around what the window sells (80-125 %, a window still running
    /// counted at its rate so far), so some campaigns beat it and some fall short; its budget is 8-20 % of the target.
    /// </summary>
    public static IEnumerable<CampaignRow> Campaigns(DemoModel model, SalesSummary summary)
    {
        var rows = new List<CampaignRow>();
        var festivals = Enumerable.Range(model.StartDate.Year, model.EndDate.Year - model.StartDate.Year + 1)
            .SelectMany(DemandCalendar.Festivals)
            .Where(f => f.Start >= model.StartDate && f.Start <= model.EndDate);
        foreach (var festival in festivals)
        {
            var first = festival.Start.DayNumber - model.StartDate.DayNumber;
            var last = (festival.End < model.EndDate ? festival.End : model.EndDate).DayNumber - model.StartDate.DayNumber;
            var windowDays = festival.End.DayNumber - festival.Start.DayNumber + 1;
            for (var m = 0; m < model.Options.Merchants; m++)
            {
                var gmv = MerchantGmvCny(model, summary, m, first, last);
                var random = SeedHash.Random(model.Seed, 72, m, festival.Start.DayNumber);
                var target = Hundreds(gmv / (last - first + 1) * windowDays * (decimal)random.Uniform(0.8, 1.25));
                rows.Add(new CampaignRow(m + 1, 0, $"{festival.Code}-{festival.Start.Year}", $"{festival.Name} {festival.Start.Year}",
                    festival.CampaignType, festival.Start, festival.End, target, Hundreds(target * (decimal)random.Uniform(0.08, 0.2)),
                    // The mean of the festival days' line discounts (OrderFactory: 5-25 %).
                    0.15m, festival.End < model.EndDate ? "finished" : "active"));
            }
        }
        return rows.Select((r, i) => r with { CampaignId = i + 1 });
    }

    /// <summary>The calendar months the range touches: first day of the month, and the range's first and last day in it (day numbers).</summary>
    private static IEnumerable<(DateOnly Month, int FirstDay, int LastDay)> Months(DemoModel model)
    {
        for (var month = new DateOnly(model.StartDate.Year, model.StartDate.Month, 1); month <= model.EndDate; month = month.AddMonths(1))
        {
            var first = Math.Max(month.DayNumber, model.StartDate.DayNumber) - model.StartDate.DayNumber;
            var last = Math.Min(month.AddMonths(1).DayNumber - 1, model.EndDate.DayNumber) - model.StartDate.DayNumber;
            yield return (month, first, last);
        }
    }

    /// <summary>GMV in CNY (each day at its rate) of merchant <paramref name="merchant"/>'s orders not cancelled, days <paramref name="first"/>..<paramref name="last"/>.</summary>
    private static decimal MerchantGmvCny(DemoModel model, SalesSummary summary, int merchant, int first, int last)
    {
        var gmv = 0m;
        foreach (var shop in model.Shops.Where(s => s.MerchantIndex == merchant))
        {
            for (var day = first; day <= last; day++)
            {
                gmv += summary.ShopDayGmv[shop.Index, day] * model.Rates.Rate(shop.Row.CurrencyCode, day);
            }
        }
        return gmv;
    }

    /// <summary>Rounded to hundreds, as a plan is.</summary>
    private static decimal Hundreds(decimal value) => Math.Round(value / 100, MidpointRounding.AwayFromZero) * 100;

    private static double Growth(DemoModel model, int stream, int owner, int month) =>
        SeedHash.Random(model.Seed, stream, owner, month).Uniform(1.02, 1.15);
}
