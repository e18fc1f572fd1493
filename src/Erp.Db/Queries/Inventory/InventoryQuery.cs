namespace Erp.Db.Queries.Inventory;

/// <summary>Stock status, turnover and reorder suggestions (<c>erpdb inventory</c>) over <c>mart.mv_inventory_summary</c>.</summary>
public sealed record InventoryQuery
{
    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>Which products to list.</summary>
    public StockFilter Status { get; init; } = StockFilter.All;

    /// <summary>Low stock means available at or below this; the product's safety stock when null.</summary>
    public int? Threshold { get; init; }

    /// <summary>Only this category id and its subcategories (<c>dw.category_subtree</c>); an id that is not a category of the merchant is a <see cref="QueryValidationException"/>.</summary>
    public long? CategoryId { get; init; }

    /// <summary>Only this product (its SKU, exactly as imported); a SKU that is not one of the merchant's products is a <see cref="QueryValidationException"/>.</summary>
    public string? Sku { get; init; }

    /// <summary>Days above which a product counts as overstocked: those its stock above the safety stock would last at the last 30 days' rate of sales. Default 90. Stock above the safety stock with no sales in the last 30 days is always overstocked.</summary>
    public int OverstockDays { get; init; } = 90;

    /// <summary>Sort key.</summary>
    public InventorySort SortBy { get; init; } = InventorySort.Stock;

    /// <summary>Which page.</summary>
    public Paging Paging { get; init; } = new(1, 50);
}
