namespace Erp.Db.Ingest;

/// <summary>What one call of <see cref="Ingestor.UpsertOrdersWithItemsAsync(IEnumerable{OrderRow}, IEnumerable{OrderItemRow}, System.Threading.CancellationToken)"/> did.</summary>
/// <param name="Orders">The orders inserted, updated and unchanged.</param>
/// <param name="Items">The order lines inserted, updated and unchanged.</param>
public sealed record OrdersWithItemsResult(IngestResult Orders, IngestResult Items);
