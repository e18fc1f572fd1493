using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>order-items: CSV columns of <see cref="OrderItemRow"/>.</summary>
internal static class OrderItemsCsv
{
    public static readonly ImportEntityOf<OrderItemRow> Entity = new("order-items", "dw.fact_order_items",
    [
        .. KeyColumns.Merchant,
        .. KeyColumns.Shop,
        new("order_no", true, "order number of an imported order"),
        new("order_date", true, "order date of that order, yyyy-mm-dd"),
        new("line_no", true, "line number in the order, from 1; with --replace, a row whose line_no, sku, quantity and unit_price are all blank says its order has no lines (all of them are deleted)"),
        new("sku", true, "merchant SKU of the product"),
        new("quantity", true, "units, more than 0"),
        new("unit_price", true, "price of one unit, order currency"),
        new("discount_amount", false, "line discount, default 0"),
        new("unit_cost", false, "CNY cost of one unit, default the product's weighted-average cost in the default warehouse (its unit_cost in CNY before any purchase)"),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertOrderItemsAsync(rows, ct));

    private static OrderItemRow Map(CsvRecord r)
    {
        // The order's key and nothing of a line: the order has no lines (refused without --replace, by the import's checks).
        if (r.TextOrNull("line_no") is null && r.TextOrNull("sku") is null && r.TextOrNull("quantity") is null && r.TextOrNull("unit_price") is null)
        {
            return OrderItemRow.NoLinesOf(r.LongOrNull("merchant_id") ?? 0, r.LongOrNull("shop_id") ?? 0, r.Text("order_no"), r.Date("order_date")) with
            {
                MerchantCode = r.TextOrNull("merchant_code"),
                ShopCode = r.TextOrNull("shop_code"),
            };
        }
        var row = new OrderItemRow(r.LongOrNull("merchant_id") ?? 0, r.LongOrNull("shop_id") ?? 0, r.Text("order_no"), r.Date("order_date"),
            r.Int("line_no"), r.Text("sku"), r.Int("quantity"), r.Decimal("unit_price"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            ShopCode = r.TextOrNull("shop_code"),
            DiscountAmount = r.DecimalOrNull("discount_amount") ?? row.DiscountAmount,
            UnitCost = r.DecimalOrNull("unit_cost"),
        };
    }
}
