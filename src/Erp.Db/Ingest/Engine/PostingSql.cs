namespace Erp.Db.Ingest.Engine;

/// <summary>The posting SQL entities run after their upsert (see docs/business-flows.md).</summary>
internal static class PostingSql
{
    /// <summary>
    /// Posts the orders the order import wrote, <paramref name="orderKeys"/> (a query of merchant_id, order_id, order_date), with
    /// dw.post_orders: stock and receivables. Not their totals: the import's upsert already set each order's cost, units and
    /// inventory_deducted from its stored lines.
    /// The keys are made distinct before they become composite values: a DISTINCT over the composites sorted them with record
    /// comparisons (0.75 s per 200,000 orders), a hash over the three columns takes a tenth of that.
    /// </summary>
    public static string Orders(string orderKeys) => $"""
        SELECT * FROM dw.post_orders(ARRAY(
            SELECT ROW(k.merchant_id, k.order_id, k.order_date)::dw.order_ref
            FROM (SELECT DISTINCT u.merchant_id, u.order_id, u.order_date FROM ({orderKeys}) AS u) AS k),
            totals => false, order_books => true)
        """;

    /// <summary>
    /// Posts the orders of the lines an import wrote, the orders <c>o</c> of <paramref name="fromOrders"/> (a FROM clause): their cost,
    /// units and inventory_deducted from their lines (dw.post_order_totals), and their stock; not their receivables, which follow the
    /// orders' own columns. The totals are summed for the orders stored before this transaction (created_at is now(), the
    /// transaction's time, only for rows it inserted), and for the others too when <paramref name="newOrdersAlso"/> holds: only a
    /// call that brings the orders with their lines inserts one (OrderItemsEntity.PlanWithOrders says when its totals are right).
    /// </summary>
    public static string OrderLines(string fromOrders, string newOrdersAlso = "false") => $"""
        DROP TABLE IF EXISTS pg_temp.posting_line_orders;
        CREATE TEMP TABLE posting_line_orders ON COMMIT DROP AS
        SELECT DISTINCT o.merchant_id, o.order_id, o.order_date, o.created_at <> now() AS stored
        {fromOrders.Trim()};
        SELECT dw.post_order_totals(ARRAY(
            SELECT ROW(k.merchant_id, k.order_id, k.order_date)::dw.order_ref FROM pg_temp.posting_line_orders AS k WHERE k.stored OR t.all_orders))
        FROM (SELECT {newOrdersAlso.Trim()} AS all_orders) AS t
        WHERE t.all_orders OR EXISTS (SELECT 1 FROM pg_temp.posting_line_orders AS k WHERE k.stored);
        SELECT * FROM dw.post_orders(ARRAY(
            SELECT ROW(k.merchant_id, k.order_id, k.order_date)::dw.order_ref FROM pg_temp.posting_line_orders AS k),
            totals => false, order_books => false)
        """;

    /// <summary>Applies the stock movements the batch wrote (and any other pending one) of the batch's merchants.</summary>
    public const string InventoryMovements = """
        SELECT dw.apply_inventory_movements(m.merchant_id)
        FROM (SELECT DISTINCT t.merchant_id FROM pg_temp.ingest_rows AS t ORDER BY 1) AS m
        """;
}
