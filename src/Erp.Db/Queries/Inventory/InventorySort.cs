namespace Erp.Db.Queries.Inventory;

/// <summary>The closed list of keys the inventory list can be sorted by.</summary>
public enum InventorySort
{
    /// <summary>Available stock, smallest first.</summary>
    Stock,

    /// <summary>30-day turnover, largest first.</summary>
    Turnover,

    /// <summary>Units sold in the last 30 days, largest first.</summary>
    Sales,

    /// <summary>Suggested reorder quantity, largest first.</summary>
    Reorder,
}
