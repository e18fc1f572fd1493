namespace Erp.Db.Queries.Products;

/// <summary>The closed list of keys the product list can be sorted by.</summary>
public enum ProductSort
{
    /// <summary>Estimated revenue of the day (units sold x price).</summary>
    Revenue,

    /// <summary>Units sold that day.</summary>
    Sales,

    /// <summary>Price in CNY.</summary>
    Price,

    /// <summary>Platform stock.</summary>
    Stock,

    /// <summary>Rating.</summary>
    Rating,

    /// <summary>Page views.</summary>
    Views,

    /// <summary>Conversion (orders per visitor).</summary>
    Conversion,

    /// <summary>SKU, alphabetically.</summary>
    Sku,
}
