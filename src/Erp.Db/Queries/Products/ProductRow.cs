namespace Erp.Db.Queries.Products;

/// <summary>One listing (product on a shop) on its latest day.</summary>
public sealed record ProductRow
{
    /// <summary>Product id.</summary>
    public long ProductId { get; init; }

    /// <summary>Merchant SKU.</summary>
    public string Sku { get; init; } = "";

    /// <summary>Product name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Category name, if any.</summary>
    public string? Category { get; init; }

    /// <summary>Shop id.</summary>
    public long ShopId { get; init; }

    /// <summary>Platform code.</summary>
    public string Platform { get; init; } = "";

    /// <summary>The day these figures are of.</summary>
    public DateOnly MetricDate { get; init; }

    /// <summary>Price in CNY.</summary>
    public decimal Price { get; init; }

    /// <summary>Platform stock.</summary>
    public int Stock { get; init; }

    /// <summary>The product's stock status over its warehouse stock (<c>dw.stock_status</c>, the one definition of low stock, as <c>erpdb inventory</c>):
    /// out_of_stock (nothing available), low_stock (available at or below the safety stock), normal; untracked when the product has no inventory record.</summary>
    public string StockStatus { get; init; } = "";

    /// <summary>Units sold that day, as the platform's metrics report them.</summary>
    public int Units { get; init; }

    /// <summary>Estimated revenue that day, CNY: units sold x the day's price (what <see cref="ProductSort.Revenue"/> orders by). What the platform reported sold is <see cref="SalesAmount"/>.</summary>
    public decimal EstimatedRevenue { get; init; }

    /// <summary>Sales that day as the platform reported them (the metrics' sales_amount), CNY; 0 when the metrics gave none.</summary>
    public decimal SalesAmount { get; init; }

    /// <summary>Page views that day.</summary>
    public int PageViews { get; init; }

    /// <summary>Visitors that day.</summary>
    public int Visitors { get; init; }

    /// <summary>Rating 0-5.</summary>
    public decimal? Rating { get; init; }

    /// <summary>Listing status on the platform.</summary>
    public string ListingStatus { get; init; } = "";
}
