namespace Erp.Db.Queries.Receipts;

/// <summary>Payment receipts: totals over the filter and a page of rows, newest first.</summary>
/// <param name="UnappliedOnly">True when only unapplied receipts were asked for.</param>
/// <param name="From">The first receipt date of the filter, included; null: no lower bound.</param>
/// <param name="To">The last receipt date of the filter, included; null: no upper bound.</param>
/// <param name="Totals">Sums over every matching receipt.</param>
/// <param name="Receipts">The page of rows: the latest receipt date first, then the latest time received.</param>
public sealed record ReceiptReport(bool UnappliedOnly, DateOnly? From, DateOnly? To, ReceiptTotals Totals, PagedResult<ReceiptRow> Receipts);

/// <summary>Sums over the matching receipts, CNY.</summary>
public sealed record ReceiptTotals
{
    /// <summary>Receipts that match.</summary>
    public long Count { get; init; }

    /// <summary>Their amount, CNY (each at its own rate).</summary>
    public decimal AmountCny { get; init; }

    /// <summary>Of them, the receipts applied to a receivable that stands (<see cref="ReceiptRow.Application"/> <c>applied</c>).</summary>
    public long AppliedCount { get; init; }

    /// <summary>Their amount, CNY.</summary>
    public decimal AppliedCny { get; init; }

    /// <summary>
    /// Of them, the receipts to match by hand: those that settle no receivable and the credits (paid to a receivable since
    /// cancelled). Applied + unapplied + refunded = every receipt.
    /// </summary>
    public long UnappliedCount { get; init; }

    /// <summary>Their amount, CNY.</summary>
    public decimal UnappliedCny { get; init; }

    /// <summary>Of the unapplied receipts, the credits: paid to a receivable since cancelled, money held for the customer until it is refunded or applied to another invoice.</summary>
    public long CreditCount { get; init; }

    /// <summary>Their amount, CNY.</summary>
    public decimal CreditCny { get; init; }

    /// <summary>Of them, the receipts paid to a receivable whose order is refunded: the money went back to the customer.</summary>
    public long RefundedCount { get; init; }

    /// <summary>Their amount, CNY.</summary>
    public decimal RefundedCny { get; init; }
}

/// <summary>One payment receipt.</summary>
public sealed record ReceiptRow
{
    /// <summary>Receipt id.</summary>
    public long ReceiptId { get; init; }

    /// <summary>The bank or platform transaction reference, if any.</summary>
    public string? ReferenceNo { get; init; }

    /// <summary>Business day of the receipt.</summary>
    public DateOnly ReceiptDate { get; init; }

    /// <summary>When the money arrived.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Currency of <see cref="Amount"/>.</summary>
    public string Currency { get; init; } = "";

    /// <summary>Amount received, in <see cref="Currency"/>.</summary>
    public decimal Amount { get; init; }

    /// <summary>CNY per unit of <see cref="Currency"/>, as the receipt was booked.</summary>
    public decimal ExchangeRate { get; init; }

    /// <summary>Amount received, CNY: round(amount * exchange rate, 2).</summary>
    public decimal AmountCny { get; init; }

    /// <summary>platform_settlement, bank_transfer, card, cash, e_wallet or other.</summary>
    public string PaymentMethod { get; init; } = "";

    /// <summary>The receivable the receipt was paid to; null for a receipt that named none.</summary>
    public long? ReceivableId { get; init; }

    /// <summary>That receivable's invoice number, if it has one.</summary>
    public string? InvoiceNo { get; init; }

    /// <summary>The order number of that receivable's order, when it belongs to one.</summary>
    public string? OrderNo { get; init; }

    /// <summary>
    /// What became of the receipt: <c>applied</c> (settles a receivable that stands), <c>unapplied</c> (named no receivable),
    /// <c>credit</c> (paid to a receivable since cancelled: to refund, or to apply to another invoice) or <c>refunded</c>
    /// (paid to a receivable whose order is refunded).
    /// </summary>
    public string Application { get; init; } = "";

    /// <summary>True when the receipt is to be matched by hand: <see cref="Application"/> <c>unapplied</c> or <c>credit</c>.</summary>
    public bool Unapplied { get; init; }
}
