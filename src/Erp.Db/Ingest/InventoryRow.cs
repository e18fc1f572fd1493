namespace Erp.Db.Ingest;

/// <summary>
/// A snapshot of one product's stock in one warehouse for <see cref="Ingestor.UpsertInventoryAsync(IEnumerable{InventoryRow}, CancellationToken)"/>
/// (table <c>dw.fact_inventory</c>, the current position). Key: (<paramref name="MerchantId"/>, product of <paramref name="Sku"/>,
/// <see cref="WarehouseCode"/>); a newer snapshot replaces the stored position.
/// </summary>
/// <param name="MerchantId">The merchant.</param>
/// <param name="Sku">The merchant's SKU of the product.</param>
/// <param name="QuantityOnHand">Units physically in the warehouse; not negative.</param>
public sealed record InventoryRow(long MerchantId, string Sku, int QuantityOnHand)
{
    /// <summary>Warehouse or fulfilment centre; null, the default: the merchant's shipping warehouse (<see cref="MerchantRow.ShippingWarehouseCode"/>, <c>default</c> unless set).</summary>
    public string? WarehouseCode { get; init; }

    /// <summary>Units ordered but not shipped; default 0, never more than on hand.</summary>
    public int QuantityReserved { get; init; }

    /// <summary>Units in transit to the warehouse; default 0.</summary>
    public int QuantityIncoming { get; init; }

    /// <summary>Low-stock threshold; null (default) takes the product's safety_stock.</summary>
    public int? SafetyStock { get; init; }

    /// <summary>Weighted average cost of one unit in CNY; 0 (the default) means unknown: the product's unit cost is stored.</summary>
    public decimal AverageUnitCost { get; init; }

    /// <summary>Time of the last physical count, or null.</summary>
    public DateTimeOffset? LastCountedAt { get; init; }

    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }
}
