namespace Erp.Db.Queries.Customers;

/// <summary>The closed list of keys the customer list can be sorted by.</summary>
public enum CustomerSort
{
    /// <summary>Lifetime spend.</summary>
    Revenue,

    /// <summary>Number of orders.</summary>
    Orders,

    /// <summary>Date of the last order.</summary>
    LastOrder,
}
