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

    /// <summary>More than <see cref="InventoryQuery.OverstockDays"/> days of cover.</summary>
    Overstock,
}
