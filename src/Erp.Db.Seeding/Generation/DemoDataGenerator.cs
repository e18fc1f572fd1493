using Erp.Db.Seeding.Rows;

namespace Erp.Db.Seeding.Generation;

/// <summary>
/// Generates the demo warehouse: pure and deterministic (System.Random seeded from
/// <see cref="SeedOptions.RandomSeed"/>; no clock, no I/O except <see cref="SeedOptions.EndDate"/>
/// defaulting to yesterday). Dimensions and the plan of every order are built by the constructor;
/// facts are streamed by the methods, each call enumerating afresh with the same result, so a loader
/// can stream orders and then their items without holding them in memory.
/// </summary>
internal sealed class DemoDataGenerator
{
    private readonly DemoModel model;
    private readonly Lazy<SalesSummary> summary;

    /// <summary>Plans the data of <paramref name="options"/> against the reference rows of <paramref name="reference"/>.</summary>
    /// <param name="options">What to generate; must be valid (<see cref="SeedOptions.Validate"/>).</param>
    /// <param name="reference">Ids of the shared reference rows; <see cref="SeedReferenceData.Default"/> for a freshly migrated database.</param>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public DemoDataGenerator(SeedOptions options, SeedReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reference);
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(" ", problems.Select(p => p.Message)), nameof(options));
        }
        model = new DemoModel(options, reference);
        summary = new Lazy<SalesSummary>(() => SalesSummary.Build(model, Details()), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>First day of the range.</summary>
    public DateOnly StartDate => model.StartDate;

    /// <summary>Last day of the range.</summary>
    public DateOnly EndDate => model.EndDate;

    /// <summary>Rows of dw.dim_merchants.</summary>
    public IReadOnlyList<MerchantRow> Merchants => model.Merchants;

    /// <summary>Rows of dw.dim_shops.</summary>
    public IReadOnlyList<ShopRow> Shops => [.. model.Shops.Select(s => s.Row)];

    /// <summary>Rows of dw.dim_categories, parents first.</summary>
    public IReadOnlyList<CategoryRow> Categories => model.Categories;

    /// <summary>Rows of dw.dim_products.</summary>
    public IReadOnlyList<ProductRow> Products => [.. model.Products.Select(p => p.Row)];

    /// <summary>Rows of dw.dim_customers.</summary>
    public IReadOnlyList<CustomerRow> Customers => model.Customers;

    /// <summary>Number of orders <see cref="Orders"/> yields.</summary>
    public int OrderCount => model.Plan.Length;

    /// <summary>Number of lines <see cref="OrderItems"/> yields.</summary>
    public long OrderItemCount => model.ItemCount;

    /// <summary>Daily rates to CNY of every known currency over the range (CNY = 1).</summary>
    public IEnumerable<ExchangeRateRow> ExchangeRates()
    {
        foreach (var code in model.Rates.Codes)
        {
            for (var day = 0; day < model.Days; day++)
            {
                yield return new ExchangeRateRow(code, model.StartDate.AddDays(day), model.Rates.Rate(code, day));
            }
        }
    }

    /// <summary>Rows of dw.fact_sales_orders in order_id order.</summary>
    public IEnumerable<SalesOrderRow> Orders() => Details().Select(d => d.Order);

    /// <summary>Rows of dw.fact_order_items in order_item_id order.</summary>
    public IEnumerable<OrderItemRow> OrderItems() => Details().SelectMany(d => d.Items);

    /// <summary>Rows of dw.fact_product_metrics: listing-days with sales, and every listing for the last 7 days.</summary>
    public IEnumerable<ProductMetricRow> ProductMetrics() => ProductMetricFacts.Rows(model, summary.Value);

    /// <summary>Rows of dw.fact_inventory: the opening position of each product (nothing on hand).</summary>
    public IEnumerable<InventoryRow> Inventory() => model.Products.Select(p => InventoryFacts.Opening(model, p));

    /// <summary>Rows of dw.fact_inventory_transactions, unapplied: purchases, adjustments and damages (posting adds the orders').</summary>
    public IEnumerable<InventoryTransactionRow> InventoryTransactions() => InventoryFacts.Transactions(model, summary.Value);

    /// <summary>Payments of invoiced orders by invoice number; they become dw.fact_payment_receipts once posting has made the receivables.</summary>
    public IEnumerable<SeedPaymentRow> Payments() => FinanceFacts.Payments(model, Details(), new OrderFactory(model));

    /// <summary>Rows of dw.fact_expenses that are not order fees (posting writes those).</summary>
    public IEnumerable<ExpenseRow> Expenses() => FinanceFacts.Expenses(model, summary.Value);

    /// <summary>Rows of dw.fact_traffic_funnel: one per shop and day.</summary>
    public IEnumerable<TrafficFunnelRow> TrafficFunnel() => TrafficFacts.Funnel(model, summary.Value);

    /// <summary>Rows of dw.fact_user_activity: one per shop and day.</summary>
    public IEnumerable<UserActivityRow> UserActivity() => TrafficFacts.Activity(model, summary.Value);

    /// <summary>dw.cfg_sales_targets: monthly targets per merchant (GMV) and shop (orders).</summary>
    public IEnumerable<SalesTargetRow> SalesTargets() => PlanFacts.SalesTargets(model, summary.Value);

    /// <summary>dw.cfg_sales_campaigns: a campaign per merchant and festival in the range.</summary>
    public IEnumerable<CampaignRow> Campaigns() => PlanFacts.Campaigns(model, summary.Value);

    private IEnumerable<OrderDetail> Details()
    {
        var factory = new OrderFactory(model);
        for (var i = 0; i < model.Plan.Length; i++)
        {
            yield return factory.Build(i);
        }
    }
}
