namespace Erp.Db.Ingest.Engine;

/// <summary>The posting SQL entities run after their upsert (see docs/business-flows.md).</summary>
internal static class PostingSql
{
    /// <summary>
    /// Posts the orders <paramref name="orderKeys"/> selects (merchant_id, order_id, order_date) with dw.post_orders.
    /// <paramref name="linesOnly"/> true when the batch wrote the orders' lines: cost, units and stock follow from them, while the
    /// receivables follow the order's own columns and are left alone. False when it wrote the orders
    /// themselves, whose upsert already set each order's cost, units and inventory_deducted from its stored lines.
    /// The keys are made distinct before they become composite values: a DISTINCT over the composites sorted them
    /// with record comparisons (0.75 s per 200,000 orders), a hash over the three columns takes a tenth of that.
    /// </summary>
    public static string Orders(string orderKeys, bool linesOnly) => $"""
        SELECT * FROM dw.post_orders(ARRAY(
            SELECT ROW(k.merchant_id, k.order_id, k.order_date)::dw.order_ref
            FROM (SELECT DISTINCT u.merchant_id, u.order_id, u.order_date FROM ({orderKeys}) AS u) AS k),
            totals => {(linesOnly ? "true" : "false")}, order_books => {(linesOnly ? "false" : "true")})
        """;

    /// <summary>Applies the stock movements the batch wrote (and any other pending one) of the batch's merchants.</summary>
    public const string InventoryMovements = """
        SELECT dw.apply_inventory_movements(m.merchant_id)
        FROM (SELECT DISTINCT t.merchant_id FROM pg_temp.ingest_rows AS t ORDER BY 1) AS m
        """;
}
