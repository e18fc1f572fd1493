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

    /// <summary>Currency of the amount; default CNY.</summary>
    public string CurrencyCode { get; init; } = "CNY";

    /// <summary>CNY per unit; null (default) = the rate of the invoice date.</summary>
    public decimal? ExchangeRate { get; init; }
}
