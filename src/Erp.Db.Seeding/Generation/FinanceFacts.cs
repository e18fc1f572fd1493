using Erp.Db.Seeding.Rows;

namespace Erp.Db.Seeding.Generation;

/// <summary>
/// Payments for invoiced orders and the expenses that are not order fees (posting writes those).
/// </summary>
internal static class FinanceFacts
{
    /// <summary>
    /// One payment per invoiced order whose weekly settlement was paid (in full) or partially paid
    /// (a share), naming the order's invoice. Posting creates the receivables and settles them.
    /// </summary>
    public static IEnumerable<SeedPaymentRow> Payments(DemoModel model, IEnumerable<OrderDetail> orders, OrderFactory settlements)
    {
        long id = 0;
        foreach (var detail in orders)
        {
            var order = detail.Order;
            if (!order.IsInvoiced)
            {
                continue;
            }
            var s = settlements.SettlementOf(detail.Plan.Shop, model.WeekOf(detail.Plan.Day));
            if (s.PaidDay is not { } day)
            {
                continue;
            }
            var amount = s.IsPaid ? order.Gmv : Math.Min(order.Gmv, Math.Max(0.01m, Math.Round(order.Gmv * (decimal)s.ReceivedShare, 2)));
            yield return new SeedPaymentRow(order.MerchantId, ++id, order.InvoiceId!, model.StartDate.AddDays(day),
                model.DayStartUtc(day).AddHours(10 + (s.Week % 6)), order.CurrencyCode, model.Rates.Rate(order.CurrencyCode, day), amount,
                order.CurrencyCode == "CNY" ? "bank_transfer" : "platform_settlement", $"RC-{order.OrderNo}");
        }
    }

    public static IEnumerable<ExpenseRow> Expenses(DemoModel model, SalesSummary summary)
    {
        var rows = new List<ExpenseRow>();
        foreach (var shop in model.Shops)
        {
            var random = SeedHash.Random(model.Seed, 50, shop.Index);
            var row = shop.Row;
            for (var day = 0; day < model.Days; day++)
            {
                var gmv = summary.ShopDayGmv[shop.Index, day];
                var rate = model.Rates.Rate(row.CurrencyCode, day);
                if (gmv > 0)
                {
                    rows.Add(Expense(model, row.MerchantId, day, row.ShopId, "advertising", $"{shop.PlatformCode} ads", row.CurrencyCode, rate,
                        RandomExtensions.Money((double)gmv * random.Uniform(0.05, 0.12)), null, $"{shop.PlatformCode} ads"));
                }
            }
        }
        for (var m = 0; m < model.Options.Merchants; m++)
        {
            var random = SeedHash.Random(model.Seed, 51, m);
            var scale = Math.Max(0.05, model.MerchantShare(m) * model.Options.Orders / 50_000.0);
            for (var day = 0; day < model.Days; day++)
            {
                var date = model.StartDate.AddDays(day);
                if (date.Day == 1 || day == 0)
                {
                    rows.Add(Expense(model, m + 1, day, null, "salary", $"Payroll {date:yyyy-MM}", "CNY", 1, RandomExtensions.Money(random.Uniform(60_000, 120_000) * scale), null, "Payroll"));
                    rows.Add(Expense(model, m + 1, day, null, "rent", $"Office and warehouse rent {date:yyyy-MM}", "CNY", 1, RandomExtensions.Money(random.Uniform(15_000, 30_000) * scale), null, "Landlord"));
                    rows.Add(Expense(model, m + 1, day, null, "software", "ERP and tools subscriptions", "CNY", 1, RandomExtensions.Money(random.Uniform(2_000, 5_000)), null, "SaaS vendors"));
                    rows.Add(Expense(model, m + 1, day, null, "warehousing", "3PL storage fees", "CNY", 1, RandomExtensions.Money(random.Uniform(8_000, 20_000) * scale), null, "3PL Warehouse"));
                    var month = new DateOnly(date.Year, date.Month, 1).AddMonths(-1);
                    var gmv = summary.MerchantMonthGmvCny.GetValueOrDefault((m, month));
                    if (gmv > 0)
                    {
                        rows.Add(Expense(model, m + 1, day, null, "tax", $"VAT and duties {month:yyyy-MM}", "CNY", 1, RandomExtensions.Money((double)gmv * 0.03), null, "Tax bureau"));
                    }
                }
                if (date.DayOfWeek == DayOfWeek.Monday)
                {
                    rows.Add(Expense(model, m + 1, day, null, "packaging", "Boxes, tape and fillers", "CNY", 1, RandomExtensions.Money(random.Uniform(1_000, 3_000) * scale), null, "PackRight"));
                }
            }
        }
        for (var i = 0; i < rows.Count; i++)
        {
            yield return rows[i] with { ExpenseId = i + 1, ReferenceNo = $"EXP-{rows[i].MerchantId:D3}-{i + 1:D9}" };
        }
    }

    private static ExpenseRow Expense(DemoModel model, long merchant, int day, long? shop, string category, string description, string currency, decimal rate, decimal amount, long? orderId, string vendor) =>
        new(merchant, 0, model.StartDate.AddDays(day), shop, category, description, currency, rate, amount, orderId,
            orderId is null ? null : model.StartDate.AddDays(day), vendor, "");
}
