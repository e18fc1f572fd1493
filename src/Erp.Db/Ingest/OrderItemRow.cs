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

    /// <summary>
    /// True for a row that names its order only, to say that the order now has no lines (made by <see cref="NoLinesOf"/>): with
    /// <see cref="IngestOptions.ReplaceOrderLines"/> every stored line of the order is deleted, what they posted is taken back and
    /// the order's cost and units become 0. <see cref="LineNo"/>, <see cref="Sku"/>, <see cref="Quantity"/>, <see cref="UnitPrice"/>,
    /// <see cref="DiscountAmount"/> and <see cref="UnitCost"/> are then ignored. Refused without ReplaceOrderLines, and beside a line
    /// of the same order in the batch.
    /// </summary>
    public bool NoLines { get; init; }

    /// <summary>A row saying that the order (<paramref name="merchantId"/>, <paramref name="shopId"/>, <paramref name="orderNo"/>, <paramref name="orderDate"/>) has no lines: see <see cref="NoLines"/>.</summary>
    /// <param name="merchantId">The merchant (0 when <see cref="MerchantCode"/> names it).</param>
    /// <param name="shopId">The shop of the order (0 when <see cref="ShopCode"/> names it).</param>
    /// <param name="orderNo">The order number.</param>
    /// <param name="orderDate">The order date.</param>
    /// <returns>The row, with <see cref="NoLines"/> set.</returns>
    public static OrderItemRow NoLinesOf(long merchantId, long shopId, string orderNo, DateOnly orderDate) =>
        new(merchantId, shopId, orderNo, orderDate, 0, "", 0, 0m) { NoLines = true };
}
