namespace Erp.Db.Ingest;

/// <summary>
/// One order for <see cref="Ingestor.UpsertOrdersAsync(IEnumerable{OrderRow}, CancellationToken)"/> or, with its lines,
/// <see cref="Ingestor.UpsertOrdersWithItemsAsync(IEnumerable{OrderRow}, IEnumerable{OrderItemRow}, CancellationToken)"/> (table
/// <c>dw.fact_sales_orders</c>). The key is (<paramref name="MerchantId"/>, <paramref name="ShopId"/>,
/// <paramref name="OrderNo"/>, <paramref name="OrderDate"/>): a row with an existing key updates that order.
/// The CNY amounts and profits are computed by the database and cannot be set.
/// </summary>
/// <param name="MerchantId">The merchant (dw.dim_merchants); 0 when <see cref="MerchantCode"/> names it.</param>
/// <param name="ShopId">A shop of that merchant (dw.dim_shops); 0 when <see cref="ShopCode"/> names it.</param>
/// <param name="OrderNo">The order number on the platform; required, not empty.</param>
/// <param name="OrderDate">Business day of the order in the merchant's time zone.</param>
/// <param name="OrderedAt">When the order was placed.</param>
/// <param name="Gmv">Gross merchandise value in <see cref="CurrencyCode"/>, after discounts; not negative.</param>
public sealed record OrderRow(long MerchantId, long ShopId, string OrderNo, DateOnly OrderDate, DateTimeOffset OrderedAt, decimal Gmv)
{
    /// <summary>A customer of the merchant (dw.dim_customers), or null.</summary>
    public long? CustomerId { get; init; }

    /// <summary>pending (default), paid, processing, shipped, delivered, completed, cancelled, refunded or returned.</summary>
    public string Status { get; init; } = "pending";

    /// <summary>
    /// Currency of the amounts (dw.dim_currencies); null (default) keeps a stored order's currency when the batch leaves currency_code
    /// out (<see cref="IngestOptions.SuppliedFields"/>), else takes the shop's currency (dw.dim_shops.currency_code).
    /// </summary>
    public string? CurrencyCode { get; init; }

    /// <summary>Number of items in the order; default 0. Posting replaces it by the sum of the lines' quantities once the order has lines.</summary>
    public int ItemCount { get; init; }

    /// <summary>Discounts granted, already deducted from <see cref="Gmv"/>; default 0.</summary>
    public decimal DiscountAmount { get; init; }

    /// <summary>
    /// CNY per unit of <see cref="CurrencyCode"/>; null (default) takes the rate of <see cref="OrderDate"/> (or the latest in the 31 days before it)
    /// from <c>dw.fact_exchange_rates</c>, 1 for CNY; that of the stored currency when the batch leaves currency_code out. Fixed at
    /// import: re-posting never changes it.
    /// </summary>
    public decimal? ExchangeRate { get; init; }

    /// <summary>Platform commission in the order currency; default 0.</summary>
    public decimal PlatformCommission { get; init; }

    /// <summary>Payment processing fee in the order currency; default 0.</summary>
    public decimal PaymentFee { get; init; }

    /// <summary>Shipping cost borne by the merchant, in the order currency; default 0.</summary>
    public decimal ShippingFee { get; init; }

    /// <summary>Cost of goods sold in CNY; default 0. Posting replaces it by the lines' cost once the order has lines.</summary>
    public decimal CostAmountCny { get; init; }

    /// <summary>Whether an invoice was issued; default false.</summary>
    public bool IsInvoiced { get; init; }

    /// <summary>The invoice's identifier, or null.</summary>
    public string? InvoiceId { get; init; }

    /// <summary>Whether the money was received; default false.</summary>
    public bool IsPaid { get; init; }

    /// <summary>The payment voucher's identifier, or null.</summary>
    public string? PaymentVoucherId { get; init; }

    /// <summary>When the order was paid (not before <see cref="OrderedAt"/>), or null.</summary>
    public DateTimeOffset? PaidAt { get; init; }

    /// <summary>When the order was shipped (not before <see cref="OrderedAt"/>), or null.</summary>
    public DateTimeOffset? ShippedAt { get; init; }

    /// <summary>When the order was delivered (not before <see cref="ShippedAt"/>), or null.</summary>
    public DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>The merchant's code (dw.dim_merchants.merchant_code), instead of MerchantId (then 0) or with it (then both must name the same merchant).</summary>
    public string? MerchantCode { get; init; }

    /// <summary>The shop's code within the merchant (dw.dim_shops.platform_shop_code), instead of ShopId (then 0) or with it (then both must name the same shop).</summary>
    public string? ShopCode { get; init; }

    /// <summary>The customer's code within the merchant (dw.dim_customers.customer_code), instead of CustomerId or with it.</summary>
    public string? CustomerCode { get; init; }

    /// <summary>
    /// The code of the shop this order was imported under by mistake, or null: the order stored under that shop with this
    /// <see cref="OrderNo"/> moves to <see cref="ShopId"/>/<see cref="ShopCode"/>, with its receivable (same invoice, receipts still
    /// applied; its due date under the new shop's settlement term). Refused when the new shop already has an order of that number.
    /// </summary>
    public string? PreviousShopCode { get; init; }
}
