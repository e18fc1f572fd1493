namespace Erp.Db.Queries.StockPositions;

/// <summary>
/// The stock positions one by one, per product and warehouse (<c>erpdb stock</c>), each with its status against its own safety
/// stock: what the low-stock, out-of-stock and shortage alerts speak of, where the inventory query sums a product's warehouses.
/// </summary>
public sealed record StockPositionsQuery
{
    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>Only this product's positions (its SKU, exactly as imported); a SKU that is not one of the merchant's products is a <see cref="QueryValidationException"/>.</summary>
    public string? Sku { get; init; }

    /// <summary>Only this warehouse's positions (its code, without case); a code that is neither the merchant's shipping warehouse nor one it holds stock in is a <see cref="QueryValidationException"/> listing those it has (its shipping warehouse without positions answers none).</summary>
    public string? Warehouse { get; init; }

    /// <summary>Only products of this category id and its subcategories (<c>dw.category_subtree</c>); an id that is not a category of the merchant is a <see cref="QueryValidationException"/>.</summary>
    public long? CategoryId { get; init; }

    /// <summary>Which positions to list; the totals cover every position of the other filters.</summary>
    public PositionFilter Status { get; init; } = PositionFilter.All;

    /// <summary>Which page of positions, least available first.</summary>
    public Paging Paging { get; init; } = new(1, 50);
}

/// <summary>Which positions the stock positions query lists.</summary>
public enum PositionFilter
{
    /// <summary>Every position.</summary>
    All,

    /// <summary>Nothing available (the out_of_stock alert's condition).</summary>
    Out,

    /// <summary>Available at or below the position's safety stock, above zero (the low_stock alert's condition).</summary>
    Low,

    /// <summary>Short of stock: goods shipped that the book did not have, or orders that could not be reserved (the stock_shortage alert's condition).</summary>
    Shortage,
}
