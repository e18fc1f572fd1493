namespace Erp.Db.Ingest;

/// <summary>
/// One receivable (money owed) for <see cref="Ingestor.UpsertReceivablesAsync(IEnumerable{ReceivableEntryRow}, CancellationToken)"/>
/// (table <c>dw.fact_accounts_receivable</c>), keyed by (merchant, <paramref name="InvoiceNo"/>). Received amount and status come
/// from the payments applied to it (settled after each batch).
/// </summary>
/// <param name="MerchantId">The merchant; 0 when <see cref="MerchantCode"/> names it.</param>
/// <param name="InvoiceNo">The invoice number, unique per merchant; the key.</param>
/// <param name="InvoiceDate">Day of the invoice.</param>
/// <param name="DueDate">Day the money is due; not before <paramref name="InvoiceDate"/>.</param>
/// <param name="Amount">Amount due in <see cref="CurrencyCode"/>; not negative.</param>
public sealed record ReceivableEntryRow(long MerchantId, string InvoiceNo, DateOnly InvoiceDate, DateOnly DueDate, decimal Amount)
{
    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }

    /// <summary>The shop, or null.</summary>
    public long? ShopId { get; init; }

    /// <summary>The shop's code within the merchant (dw.dim_shops.platform_shop_code), instead of ShopId or with it.</summary>
    public string? ShopCode { get; init; }

    /// <summary>The customer, or null.</summary>
    public long? CustomerId { get; init; }

    /// <summary>The customer's code within the merchant (dw.dim_customers.customer_code), instead of CustomerId or with it.</summary>
    public string? CustomerCode { get; init; }

    /// <summary>
    /// Currency of the amount; null (default) keeps a stored receivable's currency when the batch leaves currency_code out
    /// (<see cref="IngestOptions.SuppliedFields"/>), else takes the currency of <see cref="ShopId"/>'s shop, else CNY (no shop).
    /// </summary>
    public string? CurrencyCode { get; init; }

    /// <summary>
    /// CNY per unit of <see cref="CurrencyCode"/>; null (default) takes the rate of the invoice date (or the latest in the 31 days before it) from
    /// <c>dw.fact_exchange_rates</c>, 1 for CNY.
    /// </summary>
    public decimal? ExchangeRate { get; init; }
}
