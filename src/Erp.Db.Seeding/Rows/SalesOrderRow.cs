using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>A row of dw.fact_sales_orders (the generated CNY and profit columns are computed by PostgreSQL).</summary>
/// <param name="MerchantId">Owner.</param>
/// <param name="OrderId">Key (with merchant and date).</param>
/// <param name="OrderDate">Business day of the order.</param>
/// <param name="ShopId">Shop.</param>
/// <param name="CustomerId">Buyer, null for a guest checkout.</param>
/// <param name="OrderNo">Platform order number.</param>
/// <param name="Status">pending .. completed, cancelled, refunded or returned.</param>
/// <param name="CurrencyCode">Currency of the amounts.</param>
/// <param name="ItemCount">Units over all lines.</param>
/// <param name="DiscountAmount">Sum of the line discounts.</param>
/// <param name="Gmv">Sum of the line amounts (after discounts).</param>
/// <param name="ExchangeRate">CNY per unit of the currency on the order day.</param>
/// <param name="PlatformCommission">Platform commission.</param>
/// <param name="PaymentFee">Payment fee.</param>
/// <param name="ShippingFee">Shipping fee borne by the merchant.</param>
/// <param name="CostAmountCny">Sum of the lines' cost in CNY.</param>
/// <param name="IsInvoiced">Invoiced: posting creates its receivable.</param>
/// <param name="InvoiceId">That invoice's number, one per order.</param>
/// <param name="IsPaid">Loaded false: posting sets it when the receivable is paid.</param>
/// <param name="PaymentVoucherId">Reference of the payment.</param>
/// <param name="InventoryDeducted">Loaded false: posting sets it when it takes the goods from stock.</param>
/// <param name="OrderedAt">When the order was placed (UTC).</param>
/// <param name="PaidAt">When it was paid.</param>
/// <param name="ShippedAt">When it was shipped.</param>
/// <param name="DeliveredAt">When it was delivered.</param>
internal sealed record SalesOrderRow(
    long MerchantId, long OrderId, DateOnly OrderDate, long ShopId, long? CustomerId, string OrderNo, string Status,
    string CurrencyCode, int ItemCount, decimal DiscountAmount, decimal Gmv, decimal ExchangeRate,
    decimal PlatformCommission, decimal PaymentFee, decimal ShippingFee, decimal CostAmountCny,
    bool IsInvoiced, string? InvoiceId, bool IsPaid, string? PaymentVoucherId, bool InventoryDeducted,
    DateTime OrderedAt, DateTime? PaidAt, DateTime? ShippedAt, DateTime? DeliveredAt)
    : ICopyRow<SalesOrderRow>
{
    static string ICopyRow<SalesOrderRow>.Table => "dw.fact_sales_orders";

    static string ICopyRow<SalesOrderRow>.CopyCommand =>
        "COPY dw.fact_sales_orders (merchant_id, order_id, order_date, shop_id, customer_id, order_no, status, currency_code, "
        + "item_count, discount_amount, gmv, exchange_rate, platform_commission, payment_fee, shipping_fee, cost_amount_cny, "
        + "is_invoiced, invoice_id, is_paid, payment_voucher_id, inventory_deducted, ordered_at, paid_at, shipped_at, delivered_at) "
        + "FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<SalesOrderRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(MerchantId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(OrderId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(OrderDate, NpgsqlDbType.Date, ct);
        await w.WriteAsync(ShopId, NpgsqlDbType.Bigint, ct);
        await w.WriteNullableAsync(CustomerId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(OrderNo, NpgsqlDbType.Text, ct);
        await w.WriteAsync(Status, NpgsqlDbType.Text, ct);
        await w.WriteAsync(CurrencyCode, NpgsqlDbType.Char, ct);
        await w.WriteAsync(ItemCount, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(DiscountAmount, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(Gmv, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(ExchangeRate, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(PlatformCommission, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(PaymentFee, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(ShippingFee, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(CostAmountCny, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(IsInvoiced, NpgsqlDbType.Boolean, ct);
        await w.WriteNullableAsync(InvoiceId, NpgsqlDbType.Text, ct);
        await w.WriteAsync(IsPaid, NpgsqlDbType.Boolean, ct);
        await w.WriteNullableAsync(PaymentVoucherId, NpgsqlDbType.Text, ct);
        await w.WriteAsync(InventoryDeducted, NpgsqlDbType.Boolean, ct);
        await w.WriteAsync(OrderedAt, NpgsqlDbType.TimestampTz, ct);
        await w.WriteNullableAsync(PaidAt, NpgsqlDbType.TimestampTz, ct);
        await w.WriteNullableAsync(ShippedAt, NpgsqlDbType.TimestampTz, ct);
        await w.WriteNullableAsync(DeliveredAt, NpgsqlDbType.TimestampTz, ct);
    }
}
