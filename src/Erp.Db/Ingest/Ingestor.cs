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
/// Runs as the data source's login, which needs <c>erp_writer</c> (or ownership). Thread-safe; get it from
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

    private static IAsyncEnumerable<T> Stream<T>(IEnumerable<T> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.ToAsyncEnumerable();
    }
}
