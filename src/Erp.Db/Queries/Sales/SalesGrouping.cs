namespace Erp.Db.Queries.Sales;

/// <summary>How the sales breakdown is grouped.</summary>
public enum SalesGrouping
{
    /// <summary>One row per day.</summary>
    Day,

    /// <summary>One row per ISO week (Monday start).</summary>
    Week,

    /// <summary>One row per calendar month.</summary>
    Month,

    /// <summary>One row per shop.</summary>
    Shop,

    /// <summary>One row per platform (Shopee, TikTok, ...).</summary>
    Platform,

    /// <summary>One row per product.</summary>
    Product,

    /// <summary>One row per product category.</summary>
    Category,

    /// <summary>One row per hour of the day (0-23, in the merchant's time zone), summed over the period's days.</summary>
    Hour,
}
