namespace Erp.Db.Queries.Shops;

/// <summary>The period a shop's health and ranks are computed over.</summary>
public enum ShopPeriod
{
    /// <summary>One day.</summary>
    Day,

    /// <summary>One ISO week (Monday to Sunday).</summary>
    Week,

    /// <summary>One calendar month.</summary>
    Month,
}
