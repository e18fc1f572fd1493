using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>Orders into dw.fact_sales_orders, keyed (merchant_id, shop_id, order_no, order_date). Generated CNY columns and inventory_deducted are never written.</summary>
internal static class OrdersEntity
{
    public static readonly IngestPlan<OrderRow> Plan = new("orders", new EntityDefinition<OrderRow>
    {
        Table = "dw.fact_sales_orders",
        Fields =
        [
            Field.Bigint<OrderRow>("merchant_id", r => r.MerchantId),
            Field.Bigint<OrderRow>("shop_id", r => r.ShopId),
            Field.Text<OrderRow>("order_no", r => r.OrderNo),
            Field.Date<OrderRow>("order_date", r => r.OrderDate),
            Field.Timestamp<OrderRow>("ordered_at", r => r.OrderedAt),
            Field.Numeric<OrderRow>("gmv", r => r.Gmv),
            Field.Bigint<OrderRow>("customer_id", r => r.CustomerId),
            Field.Text<OrderRow>("status", r => r.Status),
            Field.Text<OrderRow>("currency_code", r => r.CurrencyCode),
            Field.Integer<OrderRow>("item_count", r => r.ItemCount),
            Field.Numeric<OrderRow>("discount_amount", r => r.DiscountAmount),
            Field.Numeric<OrderRow>("exchange_rate", r => r.ExchangeRate),
            Field.Numeric<OrderRow>("platform_commission", r => r.PlatformCommission),
            Field.Numeric<OrderRow>("payment_fee", r => r.PaymentFee),
            Field.Numeric<OrderRow>("shipping_fee", r => r.ShippingFee),
            Field.Numeric<OrderRow>("cost_amount_cny", r => r.CostAmountCny),
            Field.Boolean<OrderRow>("is_invoiced", r => r.IsInvoiced),
            Field.Text<OrderRow>("invoice_id", r => r.InvoiceId),
            Field.Boolean<OrderRow>("is_paid", r => r.IsPaid),
            Field.Text<OrderRow>("payment_voucher_id", r => r.PaymentVoucherId),
            Field.Timestamp<OrderRow>("paid_at", r => r.PaidAt),
            Field.Timestamp<OrderRow>("shipped_at", r => r.ShippedAt),
            Field.Timestamp<OrderRow>("delivered_at", r => r.DeliveredAt),
        ],
        KeyFields = ["merchant_id", "shop_id", "order_no", "order_date"],
        Columns =
        [
            .. new[]
            {
                "merchant_id", "shop_id", "order_no", "order_date", "ordered_at", "gmv", "customer_id", "status", "currency_code",
                "item_count", "discount_amount", "exchange_rate", "platform_commission", "payment_fee", "shipping_fee",
                "cost_amount_cny", "is_invoiced", "invoice_id", "is_paid", "payment_voucher_id", "paid_at", "shipped_at", "delivered_at",
            }.Select(TargetColumn.Same),
        ],
        ConflictColumns = ["merchant_id", "shop_id", "order_no", "order_date"],
        Checks =
        [
            RowCheck.Required("order_no"),
            RowCheck.BusinessDate("order_date"),
            References.Shop("fact_sales_orders_shop_fkey"),
            References.Customer("fact_sales_orders_customer_fkey"),
            References.Currency("fact_sales_orders_currency_code_fkey"),
        ],
    });
}
