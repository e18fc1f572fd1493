namespace Erp.Db.Queries.Customers;

/// <summary>The customer segments of <c>mart.mv_customer_segments</c> (definitions in its SQL file).</summary>
public enum CustomerSegment
{
    /// <summary>Every customer.</summary>
    All,

    /// <summary>First order within the last 30 days.</summary>
    New,

    /// <summary>Two or more orders.</summary>
    Repeat,

    /// <summary>No order in the last 90 days.</summary>
    Churned,

    /// <summary>Lifetime spend at or above the platinum threshold.</summary>
    Vip,

    /// <summary>One order, not new, not churned.</summary>
    OneTime,
}
