namespace Erp.Db.Queries.Inventory;

/// <summary>Stock totals and the products asked for.</summary>
/// <param name="Summary">Totals over all the merchant's products.</param>
/// <param name="Products">The page of products that match.</param>
public sealed record InventoryReport(InventorySummary Summary, PagedResult<StockPositionRow> Products);

/// <summary>Stock totals of a merchant.</summary>
public sealed record InventorySummary
{
    /// <summary>Products with stock records.</summary>
    public long TotalProducts { get; init; }

    /// <summary>Low on stock (see <see cref="StockFilter.Low"/>).</summary>
    public long LowStockProducts { get; init; }

    /// <summary>Nothing available.</summary>
    public long OutOfStockProducts { get; init; }

    /// <summary>Overstocked (see <see cref="StockFilter.Overstock"/>).</summary>
    public long OverstockProducts { get; init; }

    /// <summary>The 30-day turnover of the selected products together: the cost of their units sold in the last 30 days over their stock value at average cost (a ratio of the sums, not a mean of the products' ratios); null without stock value.</summary>
    public decimal? AverageTurnoverRate { get; init; }

    /// <summary>Stock value at average cost, CNY: on hand x average unit cost summed over the selected positions, rounded once to the cent.</summary>
    public decimal InventoryValue { get; init; }
}

/// <summary>One product's stock position.</summary>
public sealed record StockPositionRow
{
    /// <summary>Product id.</summary>
    public long ProductId { get; init; }

    /// <summary>SKU.</summary>
    public string Sku { get; init; } = "";

    /// <summary>Name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Category name, if any.</summary>
    public string? Category { get; init; }

    /// <summary>Available (on hand - reserved) over all warehouses.</summary>
    public long CurrentStock { get; init; }

    /// <summary>Safety stock.</summary>
    public long SafetyStock { get; init; }

    /// <summary>Units sold in the last 30 days.</summary>
    public long UnitsLast30Days { get; init; }

    /// <summary>30-day turnover (cost sold / stock value).</summary>
    public decimal? TurnoverRate { get; init; }

    /// <summary>Days the available stock lasts at the 30-day pace.</summary>
    public decimal? DaysOfCover { get; init; }

    /// <summary>low, out, overstock or normal.</summary>
    public string Status { get; init; } = "";

    /// <summary>Suggested reorder quantity.</summary>
    public long SuggestedReorder { get; init; }
}
