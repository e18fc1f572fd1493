namespace Erp.Db.Queries.Shops;

/// <summary>The closed list of keys the shop list can be sorted by.</summary>
public enum ShopSort
{
    /// <summary>Health rank, best first (shops without a score last).</summary>
    Health,

    /// <summary>Revenue rank, largest first.</summary>
    Revenue,

    /// <summary>Gross profit rank, largest first.</summary>
    Profit,
}
