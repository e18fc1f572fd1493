namespace Erp.Db.Queries.Customers;

/// <summary>The customer segments of <c>mart.mv_customer_segments</c> (definitions in its SQL file): the first that matches, in the order churned, vip, new, repeat, one_time; each customer is in exactly one.</summary>
public enum CustomerSegment
{
    /// <summary>Every customer.</summary>
    All,

    /// <summary>First order within the last 30 days (not churned, not VIP).</summary>
    New,

    /// <summary>Two or more orders (not churned, VIP or new).</summary>
    Repeat,

    /// <summary>No order in the last 90 days.</summary>
    Churned,

    /// <summary>Lifetime spend at or above the platinum threshold (not churned).</summary>
    Vip,

    /// <summary>One order, not new, not churned.</summary>
    OneTime,
}
