using Erp.Db.Seeding.Rows;

namespace Erp.Db.Seeding.Generation;

/// <summary>
/// What the facts after orders need to know about the orders, gathered in one pass: sales per
/// listing and day, GMV per shop and day and merchant and month, units each product's orders take from stock.
/// </summary>
internal sealed class SalesSummary
{
    private SalesSummary(DemoModel model)
    {
        ListingSales = [.. Enumerable.Range(0, model.Days).Select(_ => new Dictionary<long, (int Units, decimal Amount)>())];
        ShopDayGmv = new decimal[model.Shops.Count, model.Days];
        ShopDayOrders = new int[model.Shops.Count, model.Days];
        ProductUnits = new int[model.Products.Count];
    }

    /// <summary>Per day: key (shop * products + product) to units and amount in the shop's currency.</summary>
    public IReadOnlyList<Dictionary<long, (int Units, decimal Amount)>> ListingSales { get; }

    /// <summary>GMV in the shop's currency of the orders that count as sales (<see cref="IsValidSale"/>).</summary>
    public decimal[,] ShopDayGmv { get; }

    /// <summary>Orders placed per shop and day.</summary>
    public int[,] ShopDayOrders { get; }

    /// <summary>GMV in CNY of the orders that count as sales, per merchant and month start.</summary>
    public SortedDictionary<(int Merchant, DateOnly Month), decimal> MerchantMonthGmvCny { get; } = [];

    /// <summary>
    /// Per product (by index): units its order lines ship or reserve, that is lines of orders
    /// paid, processing, shipped, delivered or completed; posting takes them from stock.
    /// </summary>
    public int[] ProductUnits { get; }

    public static SalesSummary Build(DemoModel model, IEnumerable<OrderDetail> orders)
    {
        var summary = new SalesSummary(model);
        var products = model.Products.Count;
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
            if (IsValidSale(order.Status))
            {
                summary.ShopDayGmv[shop, day] += order.Gmv;
                var month = new DateOnly(order.OrderDate.Year, order.OrderDate.Month, 1);
                var key = (Merchant: model.Shops[shop].MerchantIndex, month);
                summary.MerchantMonthGmvCny[key] = summary.MerchantMonthGmvCny.GetValueOrDefault(key) + Math.Round(order.Gmv * order.ExchangeRate, 2);
            }
            var sales = summary.ListingSales[day];
            foreach (var item in detail.Items)
            {
                var listing = ((long)shop * products) + (item.ProductId - 1);
                var (units, amount) = sales.GetValueOrDefault(listing);
                sales[listing] = (units + item.Quantity, amount + item.Amount);
                if (TakesStock(order.Status))
                {
                    summary.ProductUnits[item.ProductId - 1] += item.Quantity;
                }
            }
        }
        return summary;
    }

    /// <summary>
    /// Whether an order counts as a sale: the rule of <c>dw.is_valid_sale</c>, which every sales figure of the warehouse uses,
    /// for the plans and costs the seeder derives from its sales (targets, taxes, advertising). A test holds the two equal.
    /// </summary>
    public static bool IsValidSale(string status) => status is not ("cancelled" or "refunded" or "returned");

    private static bool TakesStock(string status) => status is "paid" or "processing" or "shipped" or "delivered" or "completed";
}
