using Erp.Db.Ingest;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Ingest;

namespace Erp.Db.Tests.Posting;

/// <summary>Orders, lines and the book figures the posting tests read (merchant 1, shop 10, product 100 = SKU A-1).</summary>
internal static class PostingSample
{
    public static readonly DateOnly Day = new(2026, 3, 5);
    public static readonly DateTimeOffset Morning = new(2026, 3, 5, 9, 30, 0, TimeSpan.FromHours(8));

    public static OrderRow Order(string orderNo, string status, decimal gmv = 100m) =>
        IngestSample.Order(orderNo, gmv) with
        {
            Status = status,
            ShippedAt = status is "shipped" or "delivered" or "completed" or "returned" ? Morning.AddHours(5) : null,
        };

    public static OrderItemRow Line(string orderNo, int lineNo, int quantity, string sku = "A-1", decimal? unitCost = null) =>
        new(IngestSample.Merchant, IngestSample.Shop, orderNo, Day, lineNo, sku, quantity, 20m) { UnitCost = unitCost };

    /// <summary>on_hand|reserved|shortage_on_hand|shortage_reserved of A-1 in the default warehouse.</summary>
    public static Task<string?> PositionAsync(TestDatabase db, long product = 100) => db.ScalarAsync<string>($"""
        SELECT quantity_on_hand || '|' || quantity_reserved || '|' || shortage_on_hand || '|' || shortage_reserved
        FROM dw.fact_inventory WHERE product_id = {product} AND warehouse_code = 'default'
        """);

    /// <summary>The stock movements of merchant 1 in order: type:change, ...</summary>
    public static Task<string?> MovementsAsync(TestDatabase db) => db.ScalarAsync<string>("""
        SELECT string_agg(transaction_type || ':' || quantity_change, ',' ORDER BY transaction_id)
        FROM dw.fact_inventory_transactions WHERE merchant_id = 1
        """);

    /// <summary>Every row of the books of both merchants as text, to compare before and after.</summary>
    public static Task<string?> BooksAsync(TestDatabase db) => db.ScalarAsync<string>("""
        SELECT concat_ws(E'\n',
            (SELECT string_agg(t::text, E'\n' ORDER BY t.merchant_id, t.transaction_id) FROM dw.fact_inventory_transactions AS t),
            (SELECT string_agg(f::text, E'\n' ORDER BY f.merchant_id, f.product_id, f.warehouse_code) FROM dw.fact_inventory AS f),
            (SELECT string_agg(r::text, E'\n' ORDER BY r.merchant_id, r.receivable_id) FROM dw.fact_accounts_receivable AS r),
            (SELECT string_agg(e::text, E'\n' ORDER BY e.merchant_id, e.expense_id) FROM dw.fact_expenses AS e),
            (SELECT string_agg(o::text, E'\n' ORDER BY o.merchant_id, o.order_id) FROM dw.fact_sales_orders AS o),
            (SELECT string_agg(a::text, E'\n' ORDER BY a.alert_id) FROM dw.alerts AS a))
        """);
}
