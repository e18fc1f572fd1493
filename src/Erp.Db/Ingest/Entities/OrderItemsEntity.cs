using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>
/// Order lines into dw.fact_order_items: the order is found by its natural key, the product by SKU; a line without unit_cost takes the
/// product's weighted-average cost, else its unit cost in CNY at the rate of the order date (dw.product_unit_cost), when new, and keeps its
/// cost on re-import while its product is the same. Their orders are then posted (dw.post_orders).
/// </summary>
internal static class OrderItemsEntity
{
    /// <summary>
    /// The unit cost of the stored line each row replaces, when that line is of the same product, into the batch's own
    /// stored_unit_cost column: one join of the batch with its orders and their stored lines, before anything is written. Looked up
    /// per row inside the upsert instead, the probe of the line's partition was planned from that partition's statistics as they were
    /// before the upsert: for a partition analyzed while empty or small (a new month, or a database vacuumed by hand), a sequential
    /// scan per row over the lines the same statement had written so far (400,000 new lines at 1,000,000 orders: 161 s instead of
    /// 40 s). Lines that are new match nothing, and only the rows of stored lines are rewritten.
    /// The stored line is found by its key alone and its product compared after: with the product among the join's conditions the
    /// planner could read the line through the product's index, every line of that product on that day per row, and it did when the
    /// statistics put few lines on a product and day (a product in 19,000 lines of one day: 1,000 lines of it imported again took 6.9 s
    /// instead of 12 ms).
    /// </summary>
    private const string ResolveStoredCost = $"""
        ALTER TABLE pg_temp.ingest_rows ADD COLUMN IF NOT EXISTS stored_unit_cost numeric;
        UPDATE pg_temp.ingest_rows AS t SET stored_unit_cost = CASE WHEN i.product_id = p.product_id THEN i.unit_cost END
        FROM dw.fact_sales_orders AS o, dw.dim_products AS p, dw.fact_order_items AS i
        WHERE o.merchant_id = t.merchant_id AND o.shop_id = t.shop_id AND o.order_no = t.order_no AND o.order_date = t.order_date
          AND p.merchant_id = t.merchant_id AND p.sku = t.sku
          AND i.merchant_id = o.merchant_id AND i.order_id = o.order_id AND i.line_no = t.line_no AND i.order_date = o.order_date
          AND o.order_date {BatchDays.Range} AND i.order_date {BatchDays.Range}
        """;

    /// <summary>A check of a line, which a row of no lines (<see cref="OrderItemRow.NoLines"/>, no sku) does not need to pass.</summary>
    private static RowCheck OfALine(RowCheck check) => check with { FailsWhen = $"t.no_lines IS NOT TRUE AND ({check.FailsWhen})" };

    /// <summary>A line's product by SKU (p), and the unit cost in CNY a line takes from it when it states none (c, <see cref="LineCostsOf"/>).</summary>
    private const string ProductJoins = $"""

                JOIN dw.dim_products AS p ON p.merchant_id = t.merchant_id AND p.sku = t.sku
                LEFT JOIN {LineCosts} AS c ON c.merchant_id = t.merchant_id AND c.sku = t.sku AND c.cost_day = t.order_date
        """;

    /// <summary>The temp table of <see cref="LineCostsOf"/>: the unit cost per merchant, SKU and order date of the batch's lines that need one.</summary>
    private const string LineCosts = "pg_temp." + LineCostsName;

    private const string LineCostsName = "ingest_line_costs";

    /// <summary>
    /// The unit cost in CNY a line that states none takes from its product (dw.product_unit_cost), worked out once per merchant, SKU
    /// and order date of the batch's lines that <paramref name="needsCost"/> into <see cref="LineCosts"/>, which the summary, the
    /// check and the upsert join by hash: 400,000 lines of 100 products over a year ask it 36,500 times, not 400,000 times in each of
    /// two statements. A row's unit_cost is NULL when the product's cost currency has no rate for the day (dw.exchange_rate_on). Built again for
    /// each batch: posting a batch can move a product's average cost (goods that come back re-enter at their cost).
    /// Indexed on its key, so a join planned from a low estimate of the lines (an upsert's join of 400,000 lines with their orders
    /// was estimated at 274 rows) probes it per line, as the look-up it replaces did, instead of scanning it per line.
    /// </summary>
    private static ResolveStep LineCostsOf(string needsCost)
    {
        var build = $"""
            DROP TABLE IF EXISTS {LineCosts};
            CREATE TEMP TABLE {LineCostsName} ON COMMIT DROP AS
            SELECT p.merchant_id, p.sku, d.cost_day, c.unit_cost
            FROM (SELECT DISTINCT t.merchant_id, t.sku, t.order_date AS cost_day FROM {IngestPlan<OrderItemRow>.TempTable} AS t WHERE {needsCost}) AS d
            JOIN dw.dim_products AS p ON p.merchant_id = d.merchant_id AND p.sku = d.sku
            LEFT JOIN LATERAL dw.product_unit_cost(p.merchant_id, p.product_id, d.cost_day) AS c ON true
            """;
        // A few lines' costs fill one page: whatever the planner guesses of it unanalysed, a scan of it costs nothing, so a small
        // batch builds it without index or statistics (1 ms of a one-order call).
        return new($"""
            {build};
            CREATE UNIQUE INDEX ON {LineCosts} (merchant_id, sku, cost_day);
            SELECT ops.analyze_batch('{LineCosts}')
            """) { Few = build };
    }

    /// <summary>Whether a staged line takes its product's cost: it states none and has no stored line of the same product to keep it from.</summary>
    private const string NeedsProductCost = "t.unit_cost IS NULL AND t.stored_unit_cost IS NULL";

    /// <summary>The temp table of <see cref="SummarizeBatchLines"/>: cost and units per order of the batch's lines.</summary>
    public const string BatchLines = "pg_temp." + BatchLinesName;

    private const string BatchLinesName = "ingest_order_lines";

    /// <summary>
    /// Run on the staged lines of a call that brings their orders too, before the orders are written
    /// (<see cref="OrdersEntity.PlanWithItems"/>): each order's cost and units from the batch's lines, as dw.order_line_totals will
    /// find them once the lines are stored: quantity x unit cost at the 4 decimals unit_cost keeps, rounded to the cent per line
    /// (fact_order_items.cost_amount). Only an order without stored lines takes them, and such an order's lines have no stored cost
    /// to keep, so a line's cost is the one it states, else its product's. Lines of an unknown SKU, of a quantity out of range
    /// (<see cref="RowCheck.PlausibleQuantity"/>) or of a negative cost are left out: the lines' checks reject them, naming the lines' rows, before anything is committed (summed, they
    /// failed the orders' own checks first, naming an order's row for a fault of its lines). An order this call inserts has these totals once its lines are stored, unless the
    /// orders' own posting moved a product's average cost before the lines took theirs (<see cref="PlanWithOrders"/>).
    /// </summary>
    public static readonly IReadOnlyList<ResolveStep> SummarizeBatchLines =
    [
        NaturalKeys.ResolveMerchant,
        NaturalKeys.ResolveShop,
        // No stored line's cost yet (ResolveStoredCost runs with the lines' own write): an order without stored lines has none to keep.
        LineCostsOf("t.unit_cost IS NULL"),
        $"""
        CREATE TEMP TABLE {BatchLinesName} ON COMMIT DROP AS
        SELECT t.merchant_id, t.shop_id, t.order_no, t.order_date,
               sum(round(t.quantity * coalesce(t.unit_cost, c.unit_cost)::numeric(18, 4), 2)) AS cost_amount_cny,
               sum(t.quantity)::integer AS item_count
        FROM {IngestPlan<OrderItemRow>.TempTable} AS t{ProductJoins}
        WHERE t.quantity BETWEEN 1 AND {RowCheck.MostQuantity} AND coalesce(t.unit_cost, c.unit_cost) >= 0
        GROUP BY t.merchant_id, t.shop_id, t.order_no, t.order_date;
        SELECT ops.analyze_batch('{BatchLines}')
        """,
    ];

    private static readonly EntityDefinition<OrderItemRow> Definition = new()
    {
        Table = "dw.fact_order_items",
        Fields =
        [
            Field.Id<OrderItemRow>("merchant_id", r => r.MerchantId),
            Field.Text<OrderItemRow>("merchant_code", r => r.MerchantCode),
            Field.Id<OrderItemRow>("shop_id", r => r.ShopId),
            Field.Text<OrderItemRow>("shop_code", r => r.ShopCode),
            Field.Text<OrderItemRow>("order_no", r => r.OrderNo),
            Field.Date<OrderItemRow>("order_date", r => r.OrderDate),
            // A row of no lines (OrderItemRow.NoLines) stages its order's key only: the upsert's join with the products (by sku) leaves
            // it out, and ReplaceSet deletes every stored line of its order.
            Field.Integer<OrderItemRow>("line_no", r => r.NoLines ? null : r.LineNo),
            Field.Text<OrderItemRow>("sku", r => r.NoLines ? null : r.Sku),
            Field.Integer<OrderItemRow>("quantity", r => r.NoLines ? null : r.Quantity),
            Field.Numeric<OrderItemRow>("unit_price", r => r.NoLines ? null : r.UnitPrice),
            Field.Numeric<OrderItemRow>("discount_amount", r => r.NoLines ? null : r.DiscountAmount),
            Field.Numeric<OrderItemRow>("unit_cost", r => r.NoLines ? null : r.UnitCost),
            Field.Boolean<OrderItemRow>("no_lines", r => r.NoLines ? true : null),
        ],
        KeyFields = ["merchant_id", "shop_id", "order_no", "order_date", "line_no"],
        Joins = $"""

                JOIN dw.fact_sales_orders AS o ON o.merchant_id = t.merchant_id AND o.shop_id = t.shop_id AND o.order_no = t.order_no AND o.order_date = t.order_date
                 AND o.order_date {BatchDays.Range}
            """ + ProductJoins,
        Columns =
        [
            TargetColumn.Same("merchant_id"),
            TargetColumn.Same("order_date"),
            new("order_id", "o.order_id", ["shop_id", "order_no", "order_date"]),
            TargetColumn.Same("line_no"),
            new("product_id", "p.product_id", ["sku"]),
            TargetColumn.Same("quantity"),
            TargetColumn.Same("unit_price"),
            TargetColumn.Same("discount_amount"),
            // Written even when a file leaves unit_cost out: the stored cost is kept only while the line's product is the same
            // (stored_unit_cost is NULL otherwise, see ResolveStoredCost), so a line moved to another SKU takes that product's cost.
            new("unit_cost", "coalesce(t.unit_cost, t.stored_unit_cost, c.unit_cost)", ["unit_cost"]) { DerivedWhenMissing = true },
        ],
        ConflictColumns = ["merchant_id", "order_id", "line_no", "order_date"],
        DaysField = "order_date",
        LocksMerchants = true,
        NewUnderNewParent = "o",
        Resolve = [NaturalKeys.ResolveMerchant, NaturalKeys.ResolveShop, ResolveStoredCost, LineCostsOf(NeedsProductCost)],
        Checks =
        [
            .. NaturalKeys.Merchant(),
            RowCheck.Required("order_no"),
            OfALine(RowCheck.Required("sku")),
            RowCheck.BusinessDate("order_date"),
            new("order_no",
                "NOT EXISTS (SELECT 1 FROM dw.fact_sales_orders AS o WHERE o.merchant_id = t.merchant_id AND o.shop_id = t.shop_id AND o.order_no = t.order_no AND o.order_date = t.order_date "
                + $"AND o.order_date {BatchDays.Range})",
                "format('order_no %s (%s, order_date %s) is not an order of merchant %s', t.order_no, coalesce('shop_code ' || t.shop_code, 'shop_id ' || t.shop_id), t.order_date, " + NaturalKeys.MerchantNamed + ")",
                "fact_order_items_order_fkey"),
            OfALine(References.Sku("fact_order_items_product_fkey")),
            // A row of no lines empties its order only in a replacing batch (@replaceLines: IngestOptions.ReplaceOrderLines), and
            // cannot stand beside a line of the same order: the batch would say both that it has lines and that it has none.
            new("sku", "t.no_lines AND NOT CAST(@replaceLines AS boolean)",
                "format('order_no %s has no line_no, sku, quantity or unit_price: such a row says the order has no lines, which only a replacing import (--replace) may say', t.order_no)")
            { OnlyWhenGiven = "no_lines" },
            new("sku",
                "t.no_lines AND EXISTS (SELECT 1 FROM pg_temp.ingest_rows AS b WHERE b.merchant_id = t.merchant_id AND b.shop_id = t.shop_id "
                + "AND b.order_no = t.order_no AND b.order_date = t.order_date AND b.no_lines IS NOT TRUE)",
                "format('order_no %s (order_date %s) has lines in this batch and a row saying it has none: leave out one or the other', t.order_no, t.order_date)")
            { OnlyWhenGiven = "no_lines" },
            // A new line without cost takes the product's (dw.product_unit_cost): in CNY at the rate of its order date.
            // (A stored line of the same product keeps its cost: ResolveStoredCost found it; unit_cost is NOT NULL.)
            References.ProductCostRate("unit_cost", NeedsProductCost, "t.order_date", LineCosts),
            // Checked here too because PostgreSQL tests CHECKs in name order: a negative quantity would first fail
            // fact_order_items_discount_within_line, naming three fields instead of the one at fault.
            new("quantity", "t.quantity <= 0", "format('quantity %s is not positive', t.quantity)", "fact_order_items_quantity_positive"),
            RowCheck.PlausibleQuantity("quantity"),
        ],
        Post = PostingSql.OrderLines(OrdersOfLines),
        // The batch's lines are its orders' whole set (IngestOptions.ReplaceOrderLines): after the upsert every line of the batch is
        // stored, so a stored line of one of its orders that no batch row names is one the file no longer has. One statement for the
        // batch, and only when asked for: an ordinary import never runs it.
        // A row of no lines names its order with no line_no, so every stored line of that order is deleted; an order whose lines it
        // deleted sold nothing from lines any more: its cost and units become 0 in the same statement (dw.post_order_totals leaves an
        // order without lines as it was imported, which here would be the deleted lines' sums).
        ReplaceSet = $"""
            WITH batch AS MATERIALIZED (
                SELECT o.merchant_id, o.order_id, o.order_date, t.line_no, t.no_lines
                FROM pg_temp.ingest_rows AS t
                JOIN dw.fact_sales_orders AS o ON o.merchant_id = t.merchant_id AND o.shop_id = t.shop_id AND o.order_no = t.order_no AND o.order_date = t.order_date
                 AND o.order_date {BatchDays.Range}
            ),
            orders AS (SELECT DISTINCT b.merchant_id, b.order_id, b.order_date FROM batch AS b),
            deleted AS (
                DELETE FROM dw.fact_order_items AS i
                USING orders AS b
                WHERE i.merchant_id = b.merchant_id AND i.order_id = b.order_id AND i.order_date = b.order_date AND i.order_date {BatchDays.Range}
                  AND NOT EXISTS (SELECT 1 FROM batch AS k
                                  WHERE k.merchant_id = i.merchant_id AND k.order_id = i.order_id AND k.order_date = i.order_date AND k.line_no = i.line_no)
                RETURNING i.merchant_id, i.order_id, i.order_date
            ),
            emptied AS (
                UPDATE dw.fact_sales_orders AS o SET cost_amount_cny = 0, item_count = 0
                FROM (SELECT DISTINCT d.merchant_id, d.order_id, d.order_date FROM deleted AS d
                      WHERE EXISTS (SELECT 1 FROM batch AS b WHERE b.no_lines AND b.merchant_id = d.merchant_id AND b.order_id = d.order_id
                                      AND b.order_date = d.order_date)) AS e
                WHERE o.merchant_id = e.merchant_id AND o.order_id = e.order_id AND o.order_date = e.order_date AND o.order_date {BatchDays.Range}
                  AND (o.cost_amount_cny, o.item_count) IS DISTINCT FROM (0, 0)
            )
            SELECT count(*) FROM deleted
            """,
        // Lines imported again unchanged post nothing: their orders' cost, units and stock follow from them as the call that last
        // wrote them posted them (a changed order posts its own stock).
        PostsChangedRowsOnly = true,
    };

    /// <summary>Order lines alone: their orders are stored, and their posting sums each order's totals again.</summary>
    public static readonly IngestPlan<OrderItemRow> Plan = new("order-items", Definition);

    /// <summary>The table the lines of a call that brings their orders too keep the summary's costs in (<see cref="PlanWithOrders"/>).</summary>
    private const string SummaryCosts = "pg_temp." + SummaryCostsName;

    private const string SummaryCostsName = "ingest_summary_costs";

    /// <summary>
    /// The lines of a call that brings their orders too (<see cref="OrdersEntity.PlanWithItems"/>), written after them. An order the
    /// call inserted took its totals from these lines (<see cref="SummarizeBatchLines"/>), so their posting sums again only the orders
    /// stored before (200,000 new orders: 1.9 s of sums that changed nothing). Unless a line's cost moved in between: the lines take
    /// their products' costs afresh (<see cref="LineCostsOf"/>), after the orders' posting, which can move a product's average cost
    /// (goods that come back); the summary's costs are kept aside to be compared, and if any differs every order is summed again, as
    /// two calls would have it.
    /// </summary>
    public static readonly IngestPlan<OrderItemRow> PlanWithOrders = new("order-items", Definition with
    {
        Resolve = [$"ALTER TABLE {LineCosts} RENAME TO {SummaryCostsName}", .. Definition.Resolve],
        Post = PostingSql.OrderLines(OrdersOfLines, newOrdersAlso: $"""
            EXISTS (SELECT 1 FROM {SummaryCosts} AS s JOIN {LineCosts} AS c USING (merchant_id, sku, cost_day) WHERE s.unit_cost IS DISTINCT FROM c.unit_cost)
            """),
    });

    /// <summary>The orders <c>o</c> of the batch's lines, a FROM clause.</summary>
    private const string OrdersOfLines = $"""
        FROM pg_temp.ingest_rows AS t
        JOIN dw.fact_sales_orders AS o ON o.merchant_id = t.merchant_id AND o.shop_id = t.shop_id AND o.order_no = t.order_no AND o.order_date = t.order_date
         AND o.order_date {BatchDays.Range}
        """;
}
