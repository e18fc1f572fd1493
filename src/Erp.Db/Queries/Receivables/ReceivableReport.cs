namespace Erp.Db.Queries.Receivables;

/// <summary>Receivables: totals over the filter, a page of rows and, when asked for, the aging summary.</summary>
/// <param name="AsOf">The day days overdue and aging buckets are counted to (the database's today).</param>
/// <param name="Status">The filter applied.</param>
/// <param name="Totals">Sums over the matching receivables (cancelled and written-off ones left out of the amounts and their count).</param>
/// <param name="Receivables">The page of rows: most days overdue first, then the largest outstanding.</param>
/// <param name="Aging">Count and outstanding per aging bucket over every matching receivable, youngest first; null unless <see cref="ReceivableQuery.Aging"/>.</param>
public sealed record ReceivableReport(DateOnly AsOf, ReceivableStatus Status, ReceivableTotals Totals, PagedResult<ReceivableRow> Receivables,
    IReadOnlyList<AgingBucket>? Aging);

/// <summary>Sums over the matching receivables, CNY.</summary>
public sealed record ReceivableTotals
{
    /// <summary>
    /// Receivables that match and count as invoiced: those <see cref="AmountCny"/> sums, so cancelled and written-off ones are left out.
    /// </summary>
    public long Count { get; init; }

    /// <summary>Receivables that match, listed on the pages: with <see cref="ReceivableStatus.All"/>, the cancelled and written-off ones too.</summary>
    public long Listed { get; init; }

    /// <summary>Amounts invoiced: cancelled and written-off receivables left out, as finance counts its invoiced (one rule, <c>dw.receivable_counts_as_invoiced</c>).</summary>
    public decimal AmountCny { get; init; }

    /// <summary>Amounts received on those.</summary>
    public decimal ReceivedCny { get; init; }

    /// <summary>Outstanding on the unsettled receivables (those with an aging bucket); equals the sum of the aging summary.</summary>
    public decimal OutstandingCny { get; init; }

    /// <summary>Unsettled receivables past their due date.</summary>
    public long OverdueCount { get; init; }

    /// <summary>Outstanding on those.</summary>
    public decimal OverdueCny { get; init; }
}

/// <summary>One receivable.</summary>
public sealed record ReceivableRow
{
    /// <summary>Receivable id.</summary>
    public long ReceivableId { get; init; }

    /// <summary>Invoice number, if any.</summary>
    public string? InvoiceNo { get; init; }

    /// <summary>The order's number on the platform, when the receivable belongs to an order.</summary>
    public string? OrderNo { get; init; }

    /// <summary>The order's date.</summary>
    public DateOnly? OrderDate { get; init; }

    /// <summary>Shop id, if any.</summary>
    public long? ShopId { get; init; }

    /// <summary>Shop name, if any.</summary>
    public string? ShopName { get; init; }

    /// <summary>Currency of <see cref="Amount"/>, <see cref="Received"/> and <see cref="Outstanding"/>.</summary>
    public string Currency { get; init; } = "";

    /// <summary>Amount invoiced, in <see cref="Currency"/>.</summary>
    public decimal Amount { get; init; }

    /// <summary>Amount received so far, in <see cref="Currency"/>.</summary>
    public decimal Received { get; init; }

    /// <summary>Amount minus received, in <see cref="Currency"/>.</summary>
    public decimal Outstanding { get; init; }

    /// <summary>Amount invoiced, CNY.</summary>
    public decimal AmountCny { get; init; }

    /// <summary>Amount received, CNY.</summary>
    public decimal ReceivedCny { get; init; }

    /// <summary>Outstanding, CNY.</summary>
    public decimal OutstandingCny { get; init; }

    /// <summary>Invoice date.</summary>
    public DateOnly InvoiceDate { get; init; }

    /// <summary>Due date.</summary>
    public DateOnly DueDate { get; init; }

    /// <summary>Days past the due date (0 when not yet due); null once settled, cancelled or written off.</summary>
    public int? DaysOverdue { get; init; }

    /// <summary>current, 0-30, 31-60, 61-90 or 90+ (days overdue); null once settled, cancelled or written off.</summary>
    public string? AgingBucket { get; init; }

    /// <summary>open, partially_paid, overdue, paid, written_off or cancelled.</summary>
    public string Status { get; init; } = "";

    /// <summary>When it was settled in full, if it was.</summary>
    public DateTimeOffset? SettledAt { get; init; }

    /// <summary>When it was cancelled, when <see cref="Status"/> is cancelled (as of the day aged) and the time is known.</summary>
    public DateTimeOffset? CancelledAt { get; init; }

    /// <summary>When it was written off, when <see cref="Status"/> is written_off (as of the day aged).</summary>
    public DateTimeOffset? WrittenOffAt { get; init; }
}

/// <summary>One aging bucket of the summary.</summary>
public sealed record AgingBucket
{
    /// <summary>The bucket's name, as a receivable's <see cref="ReceivableRow.AgingBucket"/> gives it: current, 0-30, 31-60, 61-90 or 90+.</summary>
    public string Name { get; init; } = "";

    /// <summary>The fewest days overdue in the bucket (0 for current).</summary>
    public int FromDays { get; init; }

    /// <summary>Receivables in the bucket.</summary>
    public long Count { get; init; }

    /// <summary>Their outstanding amount, CNY.</summary>
    public decimal OutstandingCny { get; init; }
}
