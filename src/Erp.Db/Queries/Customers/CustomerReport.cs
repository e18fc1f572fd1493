namespace Erp.Db.Queries.Customers;

/// <summary>Customer counts per segment and the customers asked for.</summary>
/// <param name="Summary">Totals.</param>
/// <param name="Segments">Count and revenue per segment (snake_case segment name as key), every segment, an empty one with zeros.</param>
/// <param name="Customers">The customers of the chosen segment, sorted.</param>
public sealed record CustomerReport(CustomerSummary Summary, IReadOnlyDictionary<string, SegmentFigures> Segments, IReadOnlyList<CustomerRow> Customers);

/// <summary>Customer totals of a merchant.</summary>
public sealed record CustomerSummary
{
    /// <summary>Customers with at least one valid order.</summary>
    public long TotalCustomers { get; init; }

    /// <summary>
    /// Customers with a valid order on a day of the active period (<see cref="CustomerQuery.ActivePeriod"/>, else the last
    /// <see cref="CustomerQuery.PeriodDays"/> days), counted from the orders themselves: current, not as of the segments' last refresh.
    /// </summary>
    public long ActiveCustomers { get; init; }

    /// <summary>Segment new.</summary>
    public long NewCustomers { get; init; }

    /// <summary>Segment repeat: 2+ orders, and neither churned, VIP nor new.</summary>
    public long RepeatCustomers { get; init; }

    /// <summary>Segment churned.</summary>
    public long ChurnedCustomers { get; init; }

    /// <summary>Segment vip: at or above the VIP spend and not churned.</summary>
    public long VipCustomers { get; init; }

    /// <summary>Segment one_time: the rest. The five segment counts add up to <see cref="TotalCustomers"/>.</summary>
    public long OneTimeCustomers { get; init; }

    /// <summary>Customers with 2 or more valid orders, whatever their segment, / total customers; null without customers (a rate of nothing).</summary>
    public decimal? RepeatRate { get; init; }
}

/// <summary>Count and revenue of one segment.</summary>
public sealed record SegmentFigures
{
    /// <summary>Customers in the segment.</summary>
    public long Count { get; init; }

    /// <summary>Their lifetime spend, CNY.</summary>
    public decimal Revenue { get; init; }

    /// <summary>Revenue per customer.</summary>
    public decimal AverageRevenue { get; init; }
}

/// <summary>One customer.</summary>
public sealed record CustomerRow
{
    /// <summary>Customer id.</summary>
    public long CustomerId { get; init; }

    /// <summary>The merchant's customer code.</summary>
    public string CustomerCode { get; init; } = "";

    /// <summary>Segment (snake_case).</summary>
    public string Segment { get; init; } = "";

    /// <summary>Lifetime spend, CNY.</summary>
    public decimal Revenue { get; init; }

    /// <summary>Valid orders.</summary>
    public long Orders { get; init; }

    /// <summary>First order.</summary>
    public DateOnly FirstOrderDate { get; init; }

    /// <summary>Last order.</summary>
    public DateOnly LastOrderDate { get; init; }
}
