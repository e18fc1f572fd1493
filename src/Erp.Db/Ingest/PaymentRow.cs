namespace Erp.Db.Ingest;

/// <summary>
/// One payment received for <see cref="Ingestor.UpsertPaymentsAsync(IEnumerable{PaymentRow}, CancellationToken)"/> (table
/// <c>dw.fact_payment_receipts</c>). Key: (<paramref name="MerchantId"/>, <paramref name="ReferenceNo"/>), the bank or
/// platform transaction reference, so it is required.
/// </summary>
/// <param name="MerchantId">The merchant.</param>
/// <param name="ReferenceNo">Bank or platform transaction reference, unique per merchant; required, not empty.</param>
/// <param name="ReceiptDate">Business day of the receipt.</param>
/// <param name="ReceivedAt">When the money arrived.</param>
/// <param name="Amount">Amount in <see cref="CurrencyCode"/>; more than 0.</param>
public sealed record PaymentRow(long MerchantId, string ReferenceNo, DateOnly ReceiptDate, DateTimeOffset ReceivedAt, decimal Amount)
{
    /// <summary>
    /// Currency of <see cref="Amount"/>; null (default) keeps a stored payment's currency when the batch leaves currency_code out
    /// (<see cref="IngestOptions.SuppliedFields"/>), else takes the currency of the receivable it settles, else CNY (an unapplied receipt).
    /// </summary>
    public string? CurrencyCode { get; init; }

    /// <summary>
    /// CNY per unit of <see cref="CurrencyCode"/>; null (default) takes the rate of <see cref="ReceiptDate"/> (or the latest in the 31 days before it)
    /// from <c>dw.fact_exchange_rates</c>, 1 for CNY.
    /// </summary>
    public decimal? ExchangeRate { get; init; }

    /// <summary>platform_settlement (default), bank_transfer, card, cash, e_wallet or other.</summary>
    public string PaymentMethod { get; init; } = "platform_settlement";

    /// <summary>
    /// The invoice_no of the receivable (dw.fact_accounts_receivable) this payment settles; null (default) to match by <see cref="OrderNo"/>,
    /// or, with both null, an unapplied receipt (receivable_id NULL).
    /// </summary>
    public string? InvoiceNo { get; init; }

    /// <summary>The order_no of the order whose receivable this payment settles, when <see cref="InvoiceNo"/> is null; null (default) when none.</summary>
    public string? OrderNo { get; init; }

    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }
}
