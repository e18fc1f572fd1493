namespace Erp.Db.Ingest;

/// <summary>
/// Goods received from a supplier for <see cref="Ingestor.UpsertPurchasesAsync(IEnumerable{PurchaseRow}, CancellationToken)"/>: a
/// <c>purchase_in</c> movement in <c>dw.fact_inventory_transactions</c> that adds stock and moves the product's weighted-average
/// cost. Key: (<paramref name="MerchantId"/>, <paramref name="ReferenceNo"/>), one received line of a purchase order.
/// </summary>
/// <param name="MerchantId">The merchant.</param>
/// <param name="ReferenceNo">The receipt line's number (e.g. PO-17/1), unique per merchant among purchases; required, not empty.</param>
/// <param name="Sku">The merchant's SKU of the product.</param>
/// <param name="Quantity">Units received; more than 0.</param>
/// <param name="UnitCost">Cost of one unit in CNY; not negative.</param>
/// <param name="ReceivedDate">Business day the goods arrived.</param>
public sealed record PurchaseRow(long MerchantId, string ReferenceNo, string Sku, int Quantity, decimal UnitCost, DateOnly ReceivedDate)
{
    /// <summary>Warehouse that received the goods; null, the default: the merchant's shipping warehouse (<see cref="MerchantRow.ShippingWarehouseCode"/>, <c>default</c> unless set).</summary>
    public string? WarehouseCode { get; init; }

    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }
}
