using Erp.Db.Seeding.Rows;

namespace Erp.Db.Seeding.Generation;

/// <summary>Receivables (one per weekly platform settlement), the payments received against them, and expenses.</summary>
internal static class FinanceFacts
{
    public static IEnumerable<ReceivableRow> Receivables(DemoModel model, SalesSummary summary, OrderFactory settlements)
    {
        long id = 0;
        foreach (var ((shop, week), amount) in summary.SettlementAmounts)
        {
            var s = settlements.SettlementOf(shop, week);
            if (!s.Invoiced || amount <= 0)
            {
                continue;
            }
            var row = model.Shops[shop].Row;
            var received = Received(s, amount);
            yield return new ReceivableRow(row.MerchantId, ++id, row.ShopId, s.InvoiceNo, row.CurrencyCode,
                model.Rates.Rate(row.CurrencyCode, s.InvoiceDay), amount, received, model.StartDate.AddDays(s.InvoiceDay),
                model.StartDate.AddDays(s.DueDay), s.Status, s.IsPaid ? PaidAt(model, s) : null);
        }
    }

    public static IEnumerable<PaymentReceiptRow> Receipts(DemoModel model, SalesSummary summary, OrderFactory settlements)
    {
        long receivableId = 0, id = 0;
        foreach (var ((shop, week), amount) in summary.SettlementAmounts)
        {
            var s = settlements.SettlementOf(shop, week);
            if (!s.Invoiced || amount <= 0)
            {
                continue;
            }
            receivableId++;
            if (s.PaidDay is not { } day)
            {
                continue;
            }
            var row = model.Shops[shop].Row;
            yield return new PaymentReceiptRow(row.MerchantId, ++id, receivableId, model.StartDate.AddDays(day), PaidAt(model, s),
                row.CurrencyCode, model.Rates.Rate(row.CurrencyCode, day), Received(s, amount),
                row.CurrencyCode == "CNY" ? "bank_transfer" : "platform_settlement", s.ReceiptNo);
        }
    }

    public static IEnumerable<ExpenseRow> Expenses(DemoModel model, SalesSummary summary)
    {
        var rows = new List<ExpenseRow>();
        foreach (var shop in model.Shops)
        {
            var random = SeedHash.Random(model.Seed, 50, shop.Index);
            var row = shop.Row;
            decimal week = 0;
            for (var day = 0; day < model.Days; day++)
            {
                var gmv = summary.ShopDayGmv[shop.Index, day];
                var rate = model.Rates.Rate(row.CurrencyCode, day);
                week += gmv;
                if (gmv > 0)
                {
                    rows.Add(Expense(model, row.MerchantId, day, row.ShopId, "advertising", $"{shop.PlatformCode} ads", row.CurrencyCode, rate,
                        RandomExtensions.Money((double)gmv * random.Uniform(0.05, 0.12)), null, $"{shop.PlatformCode} ads"));
                }
                if (model.StartDate.AddDays(day).DayOfWeek == DayOfWeek.Sunday && week > 0)
                {
                    rows.Add(Expense(model, row.MerchantId, day, row.ShopId, "logistics", "Weekly fulfilment invoice", row.CurrencyCode, rate,
                        RandomExtensions.Money((double)week * random.Uniform(0.02, 0.04)), null, "SwiftShip Logistics"));
                    week = 0;
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
        foreach (var (order, shop) in summary.Refunds)
        {
            var day = order.OrderDate.DayNumber - model.StartDate.DayNumber;
            rows.Add(Expense(model, order.MerchantId, day, order.ShopId, "refund", $"Refund of {order.OrderNo}", order.CurrencyCode, order.ExchangeRate,
                order.Gmv, order.OrderId, model.Shops[shop].PlatformCode));
        }
        for (var i = 0; i < rows.Count; i++)
        {
            yield return rows[i] with { ExpenseId = i + 1, ReferenceNo = $"EXP-{rows[i].MerchantId:D3}-{i + 1:D9}" };
        }
    }

    private static ExpenseRow Expense(DemoModel model, long merchant, int day, long? shop, string category, string description, string currency, decimal rate, decimal amount, long? orderId, string vendor) =>
        new(merchant, 0, model.StartDate.AddDays(day), shop, category, description, currency, rate, amount, orderId,
            orderId is null ? null : model.StartDate.AddDays(day), vendor, "");

    private static decimal Received(Settlement s, decimal amount) =>
        s.PaidDay is null ? 0 : s.IsPaid ? amount : Math.Max(0.01m, Math.Round(amount * (decimal)s.ReceivedShare, 2));

    private static DateTime PaidAt(DemoModel model, Settlement s) => model.DayStartUtc(s.PaidDay!.Value).AddHours(10 + (s.Week % 6));
}
