namespace Erp.Db.Ingest;

/// <summary>
/// One expense for <see cref="Ingestor.UpsertExpensesAsync(IEnumerable{ExpenseRow}, CancellationToken)"/> (table
/// <c>dw.fact_expenses</c>). Key: (<paramref name="MerchantId"/>, <paramref name="ReferenceNo"/>), the bill's
/// external number, so it is required. The link to an order (order_id) is not imported and is kept on update.
/// </summary>
/// <param name="MerchantId">The merchant.</param>
/// <param name="ReferenceNo">External bill or invoice number, unique per merchant; required, not empty.</param>
/// <param name="ExpenseDate">The day of the expense.</param>
/// <param name="Category">advertising, logistics, platform_fee, payment_fee, packaging, warehousing, salary, rent, software, tax, refund or other.</param>
/// <param name="Amount">Amount in <see cref="CurrencyCode"/>; not negative.</param>
public sealed record ExpenseRow(long MerchantId, string ReferenceNo, DateOnly ExpenseDate, string Category, decimal Amount)
{
    /// <summary>The shop the expense is attributed to; null (default) for merchant-wide expenses.</summary>
    public long? ShopId { get; init; }

    /// <summary>
    /// Currency of <see cref="Amount"/>; null (default) keeps a stored expense's currency when the batch leaves currency_code out
    /// (<see cref="IngestOptions.SuppliedFields"/>), else takes the currency of <see cref="ShopId"/>'s shop, else CNY (no shop).
    /// </summary>
    public string? CurrencyCode { get; init; }

    /// <summary>
    /// CNY per unit of <see cref="CurrencyCode"/>; null (default) takes the rate of <see cref="ExpenseDate"/> (or the latest in the 31 days before it)
    /// from <c>dw.fact_exchange_rates</c>, 1 for CNY.
    /// </summary>
    public decimal? ExchangeRate { get; init; }

    /// <summary>Free text, or null.</summary>
    public string? Description { get; init; }

    /// <summary>Who was paid, or null.</summary>
    public string? Vendor { get; init; }

    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }

    /// <summary>The shop's code within the merchant (dw.dim_shops.platform_shop_code), instead of ShopId (then 0 or null) or with it.</summary>
    public string? ShopCode { get; init; }
}
