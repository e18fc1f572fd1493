namespace Erp.Db.Queries.Profit;

/// <summary>What the profit report's rows are.</summary>
public enum ProfitGrouping
{
    /// <summary>One row per shop (and one, key "shared", for expenses of no shop), largest revenue first.</summary>
    Shop,

    /// <summary>One row per platform (and one, key "shared", for expenses of no shop), largest revenue first.</summary>
    Platform,

    /// <summary>One row per product, largest revenue first; line amounts, so no fees, net profit or expenses.</summary>
    Product,

    /// <summary>One row per product category, like <see cref="Product"/>.</summary>
    Category,

    /// <summary>
    /// One row per day, ISO week or month (the query's grain) the period touches, oldest first, under its first day: a bucket without
    /// sales or expenses has its amounts 0 and its margins and expense ROI null.
    /// </summary>
    Period,
}
