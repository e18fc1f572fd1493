namespace Erp.Db.Queries.Products;

/// <summary>
/// The product list: each platform listing's latest day in <c>mart.mv_product_management</c>, filtered, sorted and paged. The
/// listings come from the product metrics (a product's daily price, stock, traffic and sales on a shop), not from the orders.
/// </summary>
public sealed record ProductQuery
{
    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>Only this platform code (shopee, tiktok, ...).</summary>
    public string? Platform { get; init; }

    /// <summary>Only this category id and its subcategories (<c>dw.category_subtree</c>); an id that is not a category of the merchant is a <see cref="QueryValidationException"/>.</summary>
    public long? CategoryId { get; init; }

    /// <summary>Only this listing status: active, inactive, out_of_stock, banned or deleted (any case; another is a <see cref="QueryValidationException"/>).</summary>
    public string? Status { get; init; }

    /// <summary>Only listings of products with this stock status (<see cref="ProductRow.StockStatus"/>): normal, low_stock, out_of_stock or untracked.</summary>
    public string? StockStatus { get; init; }

    /// <summary>Lowest price in CNY, inclusive.</summary>
    public decimal? MinPrice { get; init; }

    /// <summary>Highest price in CNY, inclusive.</summary>
    public decimal? MaxPrice { get; init; }

    /// <summary>Text to find in the SKU or the name (case-insensitive, literal: % and _ match themselves).</summary>
    public string? Keyword { get; init; }

    /// <summary>Sort key.</summary>
    public ProductSort SortBy { get; init; } = ProductSort.Revenue;

    /// <summary>Sort order.</summary>
    public SortDirection Direction { get; init; } = SortDirection.Descending;

    /// <summary>Which page.</summary>
    public Paging Paging { get; init; } = new();
}
