namespace Erp.Db.Queries.Receivables;

/// <summary>The receivables one by one with aging (<c>erpdb receivables</c>), over the reader view <c>mart.receivables</c>.</summary>
public sealed record ReceivableQuery
{
    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>
    /// The day to age as of, e.g. a month end: before today, the receivables invoiced on or before it, each with the receipts
    /// dated on or before it (received, outstanding and status from them); one cancelled or written off after that day (in the
    /// merchant's time zone) as it stood then. Null (default): today (the database's date). Today or later: the
    /// stored figures, aged as of that day.
    /// </summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>Which receivables to list. Default: the open (unsettled) ones.</summary>
    public ReceivableStatus Status { get; init; } = ReceivableStatus.Open;

    /// <summary>True to add the aging summary: count and outstanding per bucket over every matching receivable.</summary>
    public bool Aging { get; init; }

    /// <summary>The order of the rows. Default: most overdue first, then the largest outstanding.</summary>
    public ReceivableSort SortBy { get; init; } = ReceivableSort.Overdue;

    /// <summary>Which page of rows; the totals and the aging summary cover every matching row.</summary>
    public Paging Paging { get; init; } = new(1, 50);
}
