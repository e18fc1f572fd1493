namespace Erp.Db.Queries.Funnel;

/// <summary>What the funnel's rows are.</summary>
public enum FunnelGrouping
{
    /// <summary>
    /// One row per day, ISO week or month (the query's grain) the period touches, oldest first, under its first day: one without traffic
    /// has its counts 0 and its rates null.
    /// </summary>
    Period,

    /// <summary>One row per shop with traffic, most visitors first.</summary>
    Shop,

    /// <summary>One row per platform with traffic, most visitors first.</summary>
    Platform,
}
