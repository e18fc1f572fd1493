namespace Erp.Db.Queries;

/// <summary>Whether this login may read a merchant (<see cref="WarehouseQueries.MerchantAccessAsync"/>).</summary>
public enum MerchantAccess
{
    /// <summary>The merchant exists and this login may read it.</summary>
    Granted,

    /// <summary>This login may name any merchant (an owner, or a login granted "any"), and this one does not exist.</summary>
    NotFound,

    /// <summary>This login may not read the merchant. Whether it exists is not revealed: the answer is the same for a missing and another merchant.</summary>
    Forbidden,
}
