namespace Erp.Db.Ingest;

/// <summary>
/// One order line for <see cref="Ingestor.UpsertOrderItemsAsync(IEnumerable{OrderItemRow}, CancellationToken)"/> (table
/// <c>dw.fact_order_items</c>). The order is named by its key (<paramref name="MerchantId"/>, <paramref name="ShopId"/>,
/// <paramref name="OrderNo"/>, <paramref name="OrderDate"/>) and must already be loaded, or come in the same call of
/// <see cref="Ingestor.UpsertOrdersWithItemsAsync(IEnumerable{OrderRow}, IEnumerable{OrderItemRow}, CancellationToken)"/>; the product by its
/// <paramref name="Sku"/>. The line's key is the order and <paramref name="LineNo"/>.
/// </summary>
/// <param name="MerchantId">The merchant.</param>
/// <param name="ShopId">The shop of the order.</param>
/// <param name="OrderNo">The order number of the order.</param>
/// <param name="OrderDate">The order date of the order.</param>
/// <param name="LineNo">Line number within the order, from 1.</param>
/// <param name="Sku">The merchant's SKU of the product (dw.dim_products.sku).</param>
/// <param name="Quantity">Units; more than 0.</param>
/// <param name="UnitPrice">Price of one unit in the order currency, before the line discount.</param>
public sealed record OrderItemRow(long MerchantId, long ShopId, string OrderNo, DateOnly OrderDate, int LineNo, string Sku, int Quantity, decimal UnitPrice)
{
    /// <summary>Discount on the line in the order currency; default 0, at most quantity × unit price.</summary>
    public decimal DiscountAmount { get; init; }

    /// <summary>Cost of one unit in CNY at the time of sale; null (default) takes the product's weighted-average cost in the default warehouse, else its unit_cost.</summary>
    public decimal? UnitCost { get; init; }

    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }

    /// <summary>The shop's code within the merchant (dw.dim_shops.platform_shop_code), instead of ShopId (then 0 or null) or with it.</summary>
    public string? ShopCode { get; init; }
}
