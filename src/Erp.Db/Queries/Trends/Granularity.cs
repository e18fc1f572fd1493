namespace Erp.Db.Queries.Trends;

/// <summary>The bucket size of a trend series.</summary>
public enum Granularity
{
    /// <summary>One point per day.</summary>
    Day,

    /// <summary>One point per ISO week (Monday start).</summary>
    Week,

    /// <summary>One point per calendar month.</summary>
    Month,
}
