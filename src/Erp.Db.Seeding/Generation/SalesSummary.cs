using Erp.Db.Seeding.Rows;

namespace Erp.Db.Seeding.Generation;

/// <summary>
/// What the facts after orders need to know about the orders, gathered in one pass: sales per
/// listing and day, GMV per shop and day, settlement totals, recent and returned lines, refunds.
/// </summary>
internal sealed class SalesSummary
{
    public const int RecentDays = 14;

    private SalesSummary(DemoModel model)
    {
        ListingSales = [.. Enumerable.Range(0, model.Days).Select(_ => new Dictionary<long, (int Units, decimal Amount)>())];
        ShopDayGmv = new decimal[model.Shops.Count, model.Days];
        ShopDayOrders = new int[model.Shops.Count, model.Days];
    }

    /// <summary>Per day: key (shop * products + product) to units and amount in the shop's currency.</summary>
    public IReadOnlyList<Dictionary<long, (int Units, decimal Amount)>> ListingSales { get; }

    /// <summary>GMV in the shop's currency of the orders not cancelled.</summary>
    public decimal[,] ShopDayGmv { get; }

    /// <summary>Orders placed per shop and day.</summary>
    public int[,] ShopDayOrders { get; }

    /// <summary>Amount due per settlement: GMV less commission and payment fee of the completed orders.</summary>
    public SortedDictionary<(int Shop, int Week), decimal> SettlementAmounts { get; } = [];

    /// <summary>GMV in CNY per merchant and month start.</summary>
    public SortedDictionary<(int Merchant, DateOnly Month), decimal> MerchantMonthGmvCny { get; } = [];

    /// <summary>Lines of orders shipped in the last <see cref="RecentDays"/> days (they get sale_out movements).</summary>
    public List<(SalesOrderRow Order, OrderItemRow Item)> RecentShippedLines { get; } = [];

    /// <summary>Lines of returned orders (they get return_in movements).</summary>
    public List<(SalesOrderRow Order, OrderItemRow Item)> ReturnedLines { get; } = [];

    /// <summary>Refunded orders (they get a refund expense).</summary>
    public List<(SalesOrderRow Order, int Shop)> Refunds { get; } = [];

    public static SalesSummary Build(DemoModel model, IEnumerable<OrderDetail> orders)
    {
        var summary = new SalesSummary(model);
        var products = model.Products.Count;
        var recentFrom = model.Days - RecentDays;
        foreach (var detail in orders)
        {
            var order = detail.Order;
            var day = detail.Plan.Day;
            var shop = detail.Plan.Shop;
            summary.ShopDayOrders[shop, day]++;
            if (order.Status == "cancelled")
            {
                continue;
            }
            summary.ShopDayGmv[shop, day] += order.Gmv;
            var month = new DateOnly(order.OrderDate.Year, order.OrderDate.Month, 1);
            var key = (Merchant: model.Shops[shop].MerchantIndex, month);
            summary.MerchantMonthGmvCny[key] = summary.MerchantMonthGmvCny.GetValueOrDefault(key) + Math.Round(order.Gmv * order.ExchangeRate, 2);
            var sales = summary.ListingSales[day];
            foreach (var item in detail.Items)
            {
                var listing = ((long)shop * products) + (item.ProductId - 1);
                var (units, amount) = sales.GetValueOrDefault(listing);
                sales[listing] = (units + item.Quantity, amount + item.Amount);
                if (day >= recentFrom && order.ShippedAt is not null)
                {
                    summary.RecentShippedLines.Add((order, item));
                }
                if (order.Status == "returned")
                {
                    summary.ReturnedLines.Add((order, item));
                }
            }
            if (detail.IsCompleted)
            {
                var settlement = (shop, model.WeekOf(day));
                summary.SettlementAmounts[settlement] = summary.SettlementAmounts.GetValueOrDefault(settlement)
                    + order.Gmv - order.PlatformCommission - order.PaymentFee;
            }
            else if (order.Status == "refunded")
            {
                summary.Refunds.Add((order, shop));
            }
        }
        return summary;
    }
}
