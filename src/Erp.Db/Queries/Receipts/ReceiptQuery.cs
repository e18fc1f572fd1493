namespace Erp.Db.Queries.Receipts;

/// <summary>The payment receipts one by one (<c>erpdb receipts</c>), over the reader view <c>mart.receipts</c>.</summary>
public sealed record ReceiptQuery
{
    /// <summary>The merchant; isolation is enforced by the database.</summary>
    public required long MerchantId { get; init; }

    /// <summary>
    /// True to list only the unapplied receipts: those that settle no receivable (the payment named neither an invoice nor an
    /// order) and the credits (paid to a receivable since cancelled).
    /// </summary>
    public bool UnappliedOnly { get; init; }

    /// <summary>The first receipt date listed, included; null (default): no lower bound.</summary>
    public DateOnly? From { get; init; }

    /// <summary>The last receipt date listed, included; null (default): no upper bound.</summary>
    public DateOnly? To { get; init; }

    /// <summary>Which page of rows; the totals cover every matching row.</summary>
    public Paging Paging { get; init; } = new(1, 50);
}
