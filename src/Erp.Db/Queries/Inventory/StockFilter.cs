namespace Erp.Db.Queries.Inventory;

/// <summary>Which products the inventory query lists.</summary>
public enum StockFilter
{
    /// <summary>Every product with stock records.</summary>
    All,

    /// <summary>Available at or below the safety stock (or the threshold, when given), but above zero.</summary>
    Low,

    /// <summary>Nothing available.</summary>
    Out,

    /// <summary>Stock above the safety stock for more than <see cref="InventoryQuery.OverstockDays"/> days of sales at the last 30 days' rate, or above it without sales.</summary>
    Overstock,
}
