namespace Erp.Db.Queries.Funnel;

/// <summary>What the funnel's rows are.</summary>
public enum FunnelGrouping
{
    /// <summary>One row per day, ISO week or month (the query's grain), oldest first.</summary>
    Period,

    /// <summary>One row per shop, most visitors first.</summary>
    Shop,

    /// <summary>One row per platform, most visitors first.</summary>
    Platform,
}
