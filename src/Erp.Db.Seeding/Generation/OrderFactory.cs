using Erp.Db.Seeding.Rows;

namespace Erp.Db.Seeding.Generation;

/// <summary>Turns a planned order into its row and lines. Each order has its own seeded generator, so any order can be rebuilt alone.</summary>
internal sealed class OrderFactory(DemoModel model)
{
    private readonly Dictionary<(int Shop, int Week), Settlement> settlements = [];

    public OrderDetail Build(int index)
    {
        var plan = model.Plan[index];
        var random = SeedHash.Random(model.Seed, 10, index);
        var shop = model.Shops[plan.Shop];
        var merchant = shop.MerchantIndex;
        var orderId = (long)index + 1;
        var date = model.StartDate.AddDays(plan.Day);
        var currency = shop.Row.CurrencyCode;
        var rate = model.Rates.Rate(currency, plan.Day);
        var promotion = DemandCalendar.IsPromotion(date);

        var items = new OrderItemRow[plan.Lines];
        var chosen = new HashSet<int>();
        decimal gmv = 0, discount = 0, cost = 0;
        var units = 0;
        for (var line = 0; line < plan.Lines; line++)
        {
            var product = PickProduct(random, merchant, chosen);
            var quantity = random.NextDouble() switch
            {
                < 0.80 => 1,
                < 0.93 => 2,
                < 0.98 => 3,
                _ => random.Next(4, 7),
            };
            var unitPrice = Math.Max(0.01m, Math.Round((decimal)(product.PriceCny * random.Uniform(0.97, 1.03)) / rate, 2, MidpointRounding.AwayFromZero));
            var gross = Math.Round(quantity * unitPrice, 2, MidpointRounding.AwayFromZero);
            var share = promotion ? random.Uniform(0.05, 0.25) : random.Chance(0.15) ? random.Uniform(0.02, 0.1) : 0;
            var lineDiscount = Math.Min(gross, RandomExtensions.Money((double)gross * share));
            var item = new OrderItemRow(merchant + 1, plan.FirstItemId + line, date, orderId, line + 1, product.Row.ProductId,
                quantity, unitPrice, lineDiscount, product.Row.UnitCost);
            items[line] = item;
            gmv += item.Amount;
            discount += lineDiscount;
            cost += item.CostAmount;
            units += quantity;
        }

        var orderedAt = model.DayStartUtc(plan.Day).AddSeconds(plan.SecondOfDay);
        var cutoff = model.DayStartUtc(model.Days);
        var (status, paidAt, shippedAt, deliveredAt) = Lifecycle(random, orderedAt, cutoff);
        var charged = status != "cancelled";
        var commission = charged ? RandomExtensions.Money((double)gmv * shop.Commission) : 0;
        var paymentFee = charged && paidAt is not null ? RandomExtensions.Money((double)gmv * shop.PaymentFee) : 0;
        var shipping = charged && shippedAt is not null
            ? Math.Round((decimal)random.Uniform(4, 9 + (3 * plan.Lines)) / rate, 2, MidpointRounding.AwayFromZero)
            : 0;
        var orderNo = $"{shop.OrderPrefix}{date:yyMMdd}{orderId:D9}";
        var invoiced = status == "completed" && SettlementOf(plan.Shop, model.WeekOf(plan.Day)).Invoiced;
        // is_paid, payment_voucher_id and inventory_deducted are posting's: it sets them from the
        // payments and the stock movements.
        var order = new SalesOrderRow(merchant + 1, orderId, date, shop.Row.ShopId,
            plan.Customer >= 0 ? model.CustomerModels[plan.Customer].CustomerId : null,
            orderNo, status, currency, units, discount, gmv, rate,
            commission, paymentFee, shipping, cost, invoiced, invoiced ? InvoiceNo(orderNo) : null, false, null,
            false, orderedAt, paidAt, shippedAt, deliveredAt);
        return new OrderDetail(index, plan, order, items);
    }

    /// <summary>The invoice number of an invoiced order: one receivable per order, so one invoice per order.</summary>
    public static string InvoiceNo(string orderNo) => $"INV-{orderNo}";

    public Settlement SettlementOf(int shop, int week)
    {
        if (!settlements.TryGetValue((shop, week), out var settlement))
        {
            settlement = Settlement.For(model, shop, week);
            settlements[(shop, week)] = settlement;
        }
        return settlement;
    }

    private DemoProduct PickProduct(Random random, int merchant, HashSet<int> chosen)
    {
        var offset = model.ProductOffsets[merchant];
        var sampler = model.ProductSamplers[merchant];
        var index = sampler.Sample(random);
        for (var attempt = 0; attempt < 8 && chosen.Contains(index); attempt++)
        {
            index = sampler.Sample(random);
        }
        // After eight repeats a duplicate product in one order is accepted (lines stay distinct by line_no).
        chosen.Add(index);
        return model.Products[offset + index];
    }

    /// <summary>Status and timestamps: the furthest stage reached before the end of the range; some orders are cancelled, refunded or returned.</summary>
    private static (string Status, DateTime? PaidAt, DateTime? ShippedAt, DateTime? DeliveredAt) Lifecycle(Random random, DateTime orderedAt, DateTime cutoff)
    {
        var fate = random.NextDouble();
        var paidAt = orderedAt.AddSeconds(random.Next(20, 3600));
        var shippedAt = paidAt.AddHours(random.Uniform(4, 72));
        var deliveredAt = shippedAt.AddHours(random.Uniform(24, 200));
        var completedAt = deliveredAt.AddDays(7);
        if (fate < 0.05)
        {
            var wasPaid = random.Chance(0.5) && paidAt < cutoff;
            return ("cancelled", wasPaid ? paidAt : null, null, null);
        }
        if (paidAt >= cutoff)
        {
            return ("pending", null, null, null);
        }
        if (shippedAt >= cutoff)
        {
            return (paidAt.AddHours(2) < cutoff ? "processing" : "paid", paidAt, null, null);
        }
        if (deliveredAt >= cutoff)
        {
            return ("shipped", paidAt, shippedAt, null);
        }
        if (fate < 0.08)
        {
            return ("refunded", paidAt, shippedAt, deliveredAt);
        }
        if (fate < 0.095 && deliveredAt.AddDays(5) < cutoff)
        {
            return ("returned", paidAt, shippedAt, deliveredAt);
        }
        return (completedAt < cutoff ? "completed" : "delivered", paidAt, shippedAt, deliveredAt);
    }
}
