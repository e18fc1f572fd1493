using System.Runtime.CompilerServices;
using Erp.Db.Ingest.Engine;
using Erp.Db.Ingest.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Erp.Db.Ingest;

/// <summary>
/// Bulk upsert of warehouse facts: each call is one batch in one transaction, which also posts what the batch wrote to the books
/// (orders, order items, payments, purchases, stock counts; see docs/business-flows.md). The rows are streamed by binary COPY
/// into a temporary table, checked, then merged into the fact table by one <c>INSERT ... ON CONFLICT DO UPDATE</c>
/// that skips rows whose values did not change, so the same batch twice changes nothing. A bad row fails the whole
/// batch with an <see cref="IngestException"/> naming its position and field; nothing of a failed batch is saved.
/// Runs as the data source's login, which needs <c>erp_writer</c> (or ownership): a login without it, a login the server refuses
/// and a database that does not exist fail every call with a <see cref="WarehouseAccessException"/>. Thread-safe; get it from
/// <see cref="ErpDatabase.Ingest"/> or construct it over a data source.
/// </summary>
public sealed class Ingestor
{
    private readonly NpgsqlDataSource dataSource;
    private readonly ILogger logger;
    private readonly BatchLoader loader;

    /// <summary>Creates an ingestor writing through <paramref name="dataSource"/> (not disposed by it).</summary>
    /// <param name="dataSource">The primary database's data source.</param>
    /// <param name="logger">Receives one line per batch; nothing when null.</param>
    public Ingestor(NpgsqlDataSource dataSource, ILogger<Ingestor>? logger = null)
        : this(dataSource, (ILogger?)logger ?? NullLogger.Instance, IngestOptions.Default)
    {
    }

    private Ingestor(NpgsqlDataSource dataSource, ILogger logger, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxErrors, 1, nameof(options));
        this.dataSource = dataSource;
        this.logger = logger;
        Options = options;
        loader = new BatchLoader(dataSource, logger, options);
    }

    /// <summary>How this ingestor runs its batches.</summary>
    public IngestOptions Options { get; }

    /// <summary>
    /// An ingestor over the same data source that runs its batches with <paramref name="options"/>, e.g.
    /// <c>erp.Ingest.With(new IngestOptions { DryRun = true })</c> to validate a batch and count what it would change without writing.
    /// </summary>
    /// <param name="options">The options; <see cref="IngestOptions.MaxErrors"/> must be at least 1.</param>
    /// <returns>A new ingestor; this one is unchanged.</returns>
    public Ingestor With(IngestOptions options) => new(dataSource, logger, options);

    /// <summary>Upserts orders into <c>dw.fact_sales_orders</c>, keyed (merchant_id, shop_id, order_no, order_date).</summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertOrdersAsync(IEnumerable<OrderRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(OrdersEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertOrdersAsync(IEnumerable{OrderRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertOrdersAsync(IAsyncEnumerable<OrderRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(OrdersEntity.Plan, rows, cancellationToken);

    /// <summary>Upserts order lines into <c>dw.fact_order_items</c>; each names its order by natural key (which must be loaded) and its product by SKU.</summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertOrderItemsAsync(IEnumerable<OrderItemRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(OrderItemsEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertOrderItemsAsync(IEnumerable{OrderItemRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertOrderItemsAsync(IAsyncEnumerable<OrderItemRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(OrderItemsEntity.Plan, rows, cancellationToken);

    /// <summary>
    /// Upserts orders and their lines in one batch, one transaction: what <see cref="UpsertOrdersAsync(IEnumerable{OrderRow}, CancellationToken)"/>
    /// and then <see cref="UpsertOrderItemsAsync(IEnumerable{OrderItemRow}, CancellationToken)"/> do, with the same checks, counts and
    /// posting, but each new order is written once, its cost, units and <c>inventory_deducted</c> already taken from its lines
    /// (in two calls, the lines' posting writes every order of the batch a second time). Nothing is saved unless both inputs are valid.
    /// A line may belong to an order stored before; an order may come without lines.
    /// </summary>
    /// <param name="orders">The orders; enumerated once, after the lines.</param>
    /// <param name="items">The order lines; enumerated once, first.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>What the call did to the orders and to the lines; each result's Elapsed is the whole call's.</returns>
    /// <exception cref="IngestException">A row of either input is invalid (<see cref="IngestException.Input"/> says which); nothing was saved.</exception>
    /// <exception cref="ArgumentException"><see cref="IngestOptions.SuppliedFields"/> or <see cref="IngestOptions.SuppliedItemFields"/> names a field the
    /// orders, or the lines, do not have.</exception>
    public Task<OrdersWithItemsResult> UpsertOrdersWithItemsAsync(IEnumerable<OrderRow> orders, IEnumerable<OrderItemRow> items, CancellationToken cancellationToken = default) =>
        UpsertOrdersWithItemsAsync(Stream(orders), Stream(items), cancellationToken);

    /// <inheritdoc cref="UpsertOrdersWithItemsAsync(IEnumerable{OrderRow}, IEnumerable{OrderItemRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive, the lines first; the input is never held in memory.</remarks>
    public async Task<OrdersWithItemsResult> UpsertOrdersWithItemsAsync(IAsyncEnumerable<OrderRow> orders, IAsyncEnumerable<OrderItemRow> items,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(items);
        var (ordersResult, itemsResult) = await loader.LoadWithChildrenAsync(
            OrdersEntity.PlanWithItems, orders, OrderItemsEntity.PlanWithOrders, items, Options.SuppliedItemFields, OrderItemsEntity.SummarizeBatchLines, cancellationToken);
        return new OrdersWithItemsResult(ordersResult, itemsResult);
    }

    /// <summary>Upserts daily product figures into <c>dw.fact_product_metrics</c>, keyed (merchant_id, shop_id, sku, metric_date).</summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertProductMetricsAsync(IEnumerable<ProductMetricRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(ProductMetricsEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertProductMetricsAsync(IEnumerable{ProductMetricRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertProductMetricsAsync(IAsyncEnumerable<ProductMetricRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(ProductMetricsEntity.Plan, rows, cancellationToken);

    /// <summary>Upserts stock snapshots into <c>dw.fact_inventory</c>, keyed (merchant_id, sku, warehouse_code): a snapshot replaces the stored position.</summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertInventoryAsync(IEnumerable<InventoryRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(InventoryEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertInventoryAsync(IEnumerable{InventoryRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertInventoryAsync(IAsyncEnumerable<InventoryRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(InventoryEntity.Plan, rows, cancellationToken);

    /// <summary>Upserts expenses into <c>dw.fact_expenses</c>, keyed (merchant_id, reference_no).</summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertExpensesAsync(IEnumerable<ExpenseRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(ExpensesEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertExpensesAsync(IEnumerable{ExpenseRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertExpensesAsync(IAsyncEnumerable<ExpenseRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(ExpensesEntity.Plan, rows, cancellationToken);

    /// <summary>Upserts payment receipts into <c>dw.fact_payment_receipts</c>, keyed (merchant_id, reference_no).</summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertPaymentsAsync(IEnumerable<PaymentRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(PaymentsEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertPaymentsAsync(IEnumerable{PaymentRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertPaymentsAsync(IAsyncEnumerable<PaymentRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(PaymentsEntity.Plan, rows, cancellationToken);

    /// <summary>
    /// Upserts purchases (goods received) as <c>purchase_in</c> movements of <c>dw.fact_inventory_transactions</c>, keyed (merchant_id, reference_no),
    /// and applies them to <c>dw.fact_inventory</c>: stock on hand and weighted-average cost.
    /// </summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertPurchasesAsync(IEnumerable<PurchaseRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(PurchasesEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertPurchasesAsync(IEnumerable{PurchaseRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertPurchasesAsync(IAsyncEnumerable<PurchaseRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(PurchasesEntity.Plan, rows, cancellationToken);

    /// <summary>
    /// Inserts physical stock counts into <c>dw.fact_stock_counts</c>, keyed (merchant_id, sku, warehouse_code, counted_at), and posts each new
    /// one as an adjustment movement (counted minus book quantity). A count already loaded is left alone.
    /// </summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted and unchanged (never updated).</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertStockCountsAsync(IEnumerable<StockCountRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(StockCountsEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertStockCountsAsync(IEnumerable{StockCountRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertStockCountsAsync(IAsyncEnumerable<StockCountRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(StockCountsEntity.Plan, rows, cancellationToken);

    /// <summary>
    /// Upserts exchange rates into <c>dw.fact_exchange_rates</c>, keyed (currency_code, rate_date): see <see cref="ExchangeRateRow"/>.
    /// The rates are shared by every merchant. Rows already stored keep the rate they were imported with; a row imported again
    /// without an exchange_rate takes the rate of its date as the table now holds it.
    /// </summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertExchangeRatesAsync(IEnumerable<ExchangeRateRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(ExchangeRatesEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertExchangeRatesAsync(IEnumerable{ExchangeRateRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertExchangeRatesAsync(IAsyncEnumerable<ExchangeRateRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(ExchangeRatesEntity.Plan, rows, cancellationToken);

    /// <summary>Upserts merchants into <c>dw.dim_merchants</c>: see <see cref="MerchantRow"/> for the key.</summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertMerchantsAsync(IEnumerable<MerchantRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(MerchantsEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertMerchantsAsync(IEnumerable{MerchantRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertMerchantsAsync(IAsyncEnumerable<MerchantRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(MerchantsEntity.Plan, rows, cancellationToken);

    /// <summary>Upserts shops into <c>dw.dim_shops</c>: see <see cref="ShopRow"/> for the key.</summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertShopsAsync(IEnumerable<ShopRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(ShopsEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertShopsAsync(IEnumerable{ShopRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertShopsAsync(IAsyncEnumerable<ShopRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(ShopsEntity.Plan, rows, cancellationToken);

    /// <summary>Upserts categories into <c>dw.dim_categories</c>: see <see cref="CategoryRow"/> for the key.</summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertCategoriesAsync(IEnumerable<CategoryRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(CategoriesEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertCategoriesAsync(IEnumerable{CategoryRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertCategoriesAsync(IAsyncEnumerable<CategoryRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(CategoriesEntity.Plan, rows, cancellationToken);

    /// <summary>Upserts products into <c>dw.dim_products</c>: see <see cref="ProductMasterRow"/> for the key.</summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertProductsAsync(IEnumerable<ProductMasterRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(ProductsEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertProductsAsync(IEnumerable{ProductMasterRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertProductsAsync(IAsyncEnumerable<ProductMasterRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(ProductsEntity.Plan, rows, cancellationToken);

    /// <summary>Upserts customers into <c>dw.dim_customers</c>: see <see cref="CustomerMasterRow"/> for the key.</summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertCustomersAsync(IEnumerable<CustomerMasterRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(CustomersEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertCustomersAsync(IEnumerable{CustomerMasterRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertCustomersAsync(IAsyncEnumerable<CustomerMasterRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(CustomersEntity.Plan, rows, cancellationToken);

    /// <summary>Upserts receivables into <c>dw.fact_accounts_receivable</c>: see <see cref="ReceivableEntryRow"/> for the key.</summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertReceivablesAsync(IEnumerable<ReceivableEntryRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(ReceivablesEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertReceivablesAsync(IEnumerable{ReceivableEntryRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertReceivablesAsync(IAsyncEnumerable<ReceivableEntryRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(ReceivablesEntity.Plan, rows, cancellationToken);

    /// <summary>Upserts traffic into <c>dw.fact_traffic_funnel</c>: see <see cref="TrafficRow"/> for the key.</summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertTrafficAsync(IEnumerable<TrafficRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(TrafficEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertTrafficAsync(IEnumerable{TrafficRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertTrafficAsync(IAsyncEnumerable<TrafficRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(TrafficEntity.Plan, rows, cancellationToken);

    /// <summary>Upserts user-activity into <c>dw.fact_user_activity</c>: see <see cref="UserActivityRow"/> for the key.</summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertUserActivityAsync(IEnumerable<UserActivityRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(UserActivityEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertUserActivityAsync(IEnumerable{UserActivityRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertUserActivityAsync(IAsyncEnumerable<UserActivityRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(UserActivityEntity.Plan, rows, cancellationToken);

    /// <summary>Upserts sales-targets into <c>dw.cfg_sales_targets</c>: see <see cref="SalesTargetRow"/> for the key.</summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertSalesTargetsAsync(IEnumerable<SalesTargetRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(SalesTargetsEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertSalesTargetsAsync(IEnumerable{SalesTargetRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertSalesTargetsAsync(IAsyncEnumerable<SalesTargetRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(SalesTargetsEntity.Plan, rows, cancellationToken);

    /// <summary>Upserts campaigns into <c>dw.cfg_sales_campaigns</c>: see <see cref="CampaignConfigRow"/> for the key.</summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertCampaignsAsync(IEnumerable<CampaignConfigRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(CampaignsEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertCampaignsAsync(IEnumerable{CampaignConfigRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertCampaignsAsync(IAsyncEnumerable<CampaignConfigRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(CampaignsEntity.Plan, rows, cancellationToken);

    /// <summary>Upserts performance-configs into <c>dw.cfg_performance_configs</c>: see <see cref="PerformanceConfigRow"/> for the key.</summary>
    /// <param name="rows">The batch; enumerated once.</param>
    /// <param name="cancellationToken">Cancels the batch; nothing of it is saved.</param>
    /// <returns>Rows inserted, updated and unchanged.</returns>
    /// <exception cref="IngestException">A row is invalid; nothing was saved.</exception>
    public Task<IngestResult> UpsertPerformanceConfigsAsync(IEnumerable<PerformanceConfigRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(PerformanceConfigsEntity.Plan, Stream(rows), cancellationToken);

    /// <inheritdoc cref="UpsertPerformanceConfigsAsync(IEnumerable{PerformanceConfigRow}, CancellationToken)"/>
    /// <remarks>The rows are streamed into the database as they arrive; the input is never held in memory.</remarks>
    public Task<IngestResult> UpsertPerformanceConfigsAsync(IAsyncEnumerable<PerformanceConfigRow> rows, CancellationToken cancellationToken = default) =>
        loader.LoadAsync(PerformanceConfigsEntity.Plan, rows, cancellationToken);

    private static IAsyncEnumerable<T> Stream<T>(IEnumerable<T> rows, [CallerArgumentExpression(nameof(rows))] string? parameter = null)
    {
        ArgumentNullException.ThrowIfNull(rows, parameter);
        return rows.ToAsyncEnumerable();
    }
}
