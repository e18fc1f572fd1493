using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>orders: CSV columns of <see cref="OrderRow"/>.</summary>
internal static class OrdersCsv
{
    public static readonly ImportEntityOf<OrderRow> Entity = new("orders", "dw.fact_sales_orders",
    [
        .. KeyColumns.Merchant,
        .. KeyColumns.Shop,
        new("order_no", true, "order number on the platform"),
        new("order_date", true, "business day, yyyy-mm-dd"),
        new("ordered_at", true, "timestamp with offset (UTC if none)"),
        new("gmv", true, "goods value after discounts, order currency"),
        .. KeyColumns.Customer,
        new("status", false, "pending (default), paid, processing, shipped, delivered, completed, cancelled, refunded, returned"),
        new("currency_code", false, "default the shop's currency; a stored row keeps its own when the file has no currency_code column"),
        new("item_count", false, "default 0; the lines' quantities once the order has lines"),
        new("discount_amount", false, "default 0"),
        new("exchange_rate", false, "CNY per unit; default the order date's rate from dw.fact_exchange_rates (1 for CNY)"),
        new("platform_commission", false, "default 0"),
        new("payment_fee", false, "default 0"),
        new("shipping_fee", false, "default 0"),
        new("cost_amount_cny", false, "default 0; the lines' cost once the order has lines"),
        new("is_invoiced", false, "true/false, default false"),
        new("invoice_id", false, ""),
        new("is_paid", false, "true/false, default false"),
        new("payment_voucher_id", false, ""),
        new("paid_at", false, "timestamp"),
        new("shipped_at", false, "timestamp"),
        new("delivered_at", false, "timestamp"),
        new("previous_shop_code", false, "the shop the order was imported under by mistake: the stored order moves to shop_code, its receivable along"),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertOrdersAsync(rows, ct));

    private static OrderRow Map(CsvRecord r)
    {
        var row = new OrderRow(r.LongOrNull("merchant_id") ?? 0, r.LongOrNull("shop_id") ?? 0, r.Text("order_no"), r.Date("order_date"), r.Timestamp("ordered_at"), r.Decimal("gmv"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            ShopCode = r.TextOrNull("shop_code"),
            CustomerCode = r.TextOrNull("customer_code"),
            CustomerId = r.LongOrNull("customer_id"),
            Status = r.TextOrNull("status") ?? row.Status,
            CurrencyCode = r.TextOrNull("currency_code") ?? row.CurrencyCode,
            ItemCount = r.IntOrNull("item_count") ?? row.ItemCount,
            DiscountAmount = r.DecimalOrNull("discount_amount") ?? row.DiscountAmount,
            ExchangeRate = r.DecimalOrNull("exchange_rate"),
            PlatformCommission = r.DecimalOrNull("platform_commission") ?? row.PlatformCommission,
            PaymentFee = r.DecimalOrNull("payment_fee") ?? row.PaymentFee,
            ShippingFee = r.DecimalOrNull("shipping_fee") ?? row.ShippingFee,
            CostAmountCny = r.DecimalOrNull("cost_amount_cny") ?? row.CostAmountCny,
            IsInvoiced = r.BoolOrNull("is_invoiced") ?? row.IsInvoiced,
            InvoiceId = r.TextOrNull("invoice_id"),
            IsPaid = r.BoolOrNull("is_paid") ?? row.IsPaid,
            PaymentVoucherId = r.TextOrNull("payment_voucher_id"),
            PaidAt = r.TimestampOrNull("paid_at"),
            ShippedAt = r.TimestampOrNull("shipped_at"),
            DeliveredAt = r.TimestampOrNull("delivered_at"),
            PreviousShopCode = r.TextOrNull("previous_shop_code"),
        };
    }
}
