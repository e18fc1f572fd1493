namespace Erp.Db.Ingest;

/// <summary>
/// A physical stock count (盘点) for <see cref="Ingestor.UpsertStockCountsAsync(IEnumerable{StockCountRow}, CancellationToken)"/>
/// (table <c>dw.fact_stock_counts</c>). Key: (<paramref name="MerchantId"/>, product of <paramref name="Sku"/>,
/// <see cref="WarehouseCode"/>, <paramref name="CountedAt"/>). Posting turns it once into an adjustment movement of
/// counted minus book quantity; re-importing a posted count changes nothing (a correction is a new count).
/// </summary>
/// <param name="MerchantId">The merchant.</param>
/// <param name="Sku">The merchant's SKU of the product.</param>
/// <param name="CountedQuantity">Units found; not negative.</param>
/// <param name="CountedAt">When the count was taken.</param>
public sealed record StockCountRow(long MerchantId, string Sku, int CountedQuantity, DateTimeOffset CountedAt)
{
    /// <summary>Warehouse counted; null, the default: the merchant's shipping warehouse (<see cref="MerchantRow.ShippingWarehouseCode"/>, <c>default</c> unless set).</summary>
    public string? WarehouseCode { get; init; }

    /// <summary>
    /// The day of the count when only its day is known: the count is then taken at the last second of that day in the merchant's
    /// time zone (<c>dw.dim_merchants.timezone</c>, the zone its stock movements are dated in), after the day's shipments, and
    /// <see cref="CountedAt"/> is not used. Null (default): the count is at <see cref="CountedAt"/>.
    /// </summary>
    public DateOnly? CountedOn { get; init; }

    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }
}
