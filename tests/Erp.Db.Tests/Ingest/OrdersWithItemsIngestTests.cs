using CsCheck;
using Erp.Db.Ingest;
using Erp.Db.Tests.Infrastructure;
using static Erp.Db.Tests.Posting.PostingSample;

namespace Erp.Db.Tests.Ingest;

public class OrdersWithItemsIngestTests
{
    /// <summary>Orders of several statuses, one invoiced, one without lines; lines with and without a cost (3 x 3.3333 rounds to 10.00).</summary>
    private static readonly OrderRow[] Orders =
    [
        Order("W-1", "completed"),
        Order("W-2", "paid") with { IsInvoiced = true, InvoiceId = "INV-W-2" },
        Order("W-3", "pending"),
        Order("W-4", "shipped", gmv: 55m),
    ];

    private static readonly OrderItemRow[] Lines =
    [
        Line("W-1", 1, 2),
        Line("W-1", 2, 3, unitCost: 3.3333m),
        Line("W-2", 1, 1, unitCost: 7.25m),
        Line("W-4", 1, 4),
    ];

    /// <summary>Counts the orders every UPDATE statement rewrites.</summary>
    private const string CountOrderUpdates = """
        CREATE TABLE public.order_updates (orders bigint);
        CREATE FUNCTION public.count_order_updates() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN INSERT INTO public.order_updates SELECT count(*) FROM new_rows; RETURN NULL; END $$;
        CREATE TRIGGER count_order_updates AFTER UPDATE ON dw.fact_sales_orders REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION public.count_order_updates();
        """;

    /// <summary>The books without ids and timestamps: orders, lines, movements, positions, receivables.</summary>
    private static Task<string?> BooksAsync(TestDatabase db) => db.ScalarAsync<string>("""
        SELECT concat_ws(E'\n',
            (SELECT string_agg(concat_ws('|', order_no, status, item_count, cost_amount_cny, net_profit_cny, inventory_deducted), E'\n' ORDER BY order_no)
             FROM dw.fact_sales_orders),
            (SELECT string_agg(concat_ws('|', o.order_no, i.line_no, i.product_id, i.quantity, i.unit_cost, i.cost_amount), E'\n' ORDER BY o.order_no, i.line_no)
             FROM dw.fact_order_items AS i JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date)),
            (SELECT string_agg(concat_ws('|', o.order_no, t.line_no, t.transaction_type, t.quantity_change, t.unit_cost), E'\n' ORDER BY o.order_no, t.line_no, t.transaction_type, t.quantity_change, t.unit_cost)
             FROM dw.fact_inventory_transactions AS t JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date)),
            (SELECT string_agg(concat_ws('|', product_id, quantity_on_hand, quantity_reserved, shortage_on_hand, shortage_reserved, average_unit_cost), E'\n' ORDER BY product_id)
             FROM dw.fact_inventory),
            (SELECT string_agg(concat_ws('|', invoice_no, amount, received_amount), E'\n' ORDER BY invoice_no) FROM dw.fact_accounts_receivable))
        """);

    [Fact]
    public async Task One_call_writes_each_new_order_once_and_books_what_two_calls_book()
    {
        await using var together = await IngestSample.CreateAsync();
        await using var apart = await IngestSample.CreateAsync();
        await together.ExecuteAsync(CountOrderUpdates);
        await apart.ExecuteAsync(CountOrderUpdates);

        var result = await new Ingestor(together.DataSource).UpsertOrdersWithItemsAsync(Orders, Lines);
        var ingest = new Ingestor(apart.DataSource);
        await ingest.UpsertOrdersAsync(Orders);
        await ingest.UpsertOrderItemsAsync(Lines);

        Assert.Equal((4L, 0L, 0L), (result.Orders.Inserted, result.Orders.Updated, result.Orders.Unchanged));
        Assert.Equal((4L, 0L, 0L), (result.Items.Inserted, result.Items.Updated, result.Items.Unchanged));
        Assert.Equal(await BooksAsync(apart), await BooksAsync(together));
        // W-1: 2 x the product's 12.5 + 3 x 3.3333 (10.00): cost 35.00, 5 units, shipped.
        Assert.Equal("5|35.00|t", await together.ScalarAsync<string>(
            "SELECT concat_ws('|', item_count, cost_amount_cny, inventory_deducted) FROM dw.fact_sales_orders WHERE order_no = 'W-1'"));
        // Two calls write the orders a second time when their lines arrive; one call writes them once.
        Assert.True(await apart.ScalarAsync<long>("SELECT coalesce(sum(orders), 0)::bigint FROM public.order_updates") >= 3);
        Assert.Equal(0L, await together.ScalarAsync<long>("SELECT coalesce(sum(orders), 0)::bigint FROM public.order_updates"));
    }

    [Fact]
    public async Task The_same_call_again_changes_nothing_and_changed_lines_of_stored_orders_restate_them()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertOrdersWithItemsAsync(Orders, Lines);
        var books = await BooksAsync(db);

        var again = await ingest.UpsertOrdersWithItemsAsync(Orders, Lines);
        Assert.Equal((0L, 0L, 4L), (again.Orders.Inserted, again.Orders.Updated, again.Orders.Unchanged));
        Assert.Equal((0L, 0L, 4L), (again.Items.Inserted, again.Items.Updated, again.Items.Unchanged));
        Assert.Equal(books, await BooksAsync(db));

        // W-1's first line grows to 6 units, and W-3 gets its first line: the stored orders follow their lines.
        await ingest.UpsertOrdersWithItemsAsync([Orders[0], Orders[2]], [Line("W-1", 1, 6), Line("W-3", 1, 1, unitCost: 2m)]);
        Assert.Equal("W-1|9|85.00|t\nW-3|1|2.00|f", await db.ScalarAsync<string>("""
            SELECT string_agg(concat_ws('|', order_no, item_count, cost_amount_cny, inventory_deducted), E'\n' ORDER BY order_no)
            FROM dw.fact_sales_orders WHERE order_no IN ('W-1', 'W-3')
            """));
    }

    /// <summary>
    /// An order the call inserts takes its cost from the batch's lines at their products' costs as the call begins; the lines are
    /// written after the orders' posting, which can move a product's average cost. Here a stored order comes back (its return
    /// re-enters the stock at 30.00 a unit, against 10.00 bought) in the call that brings a new order with a line without a cost: that
    /// line takes the moved average, and its order's cost follows it, as in two calls.
    /// </summary>
    [Fact]
    public async Task A_new_orders_cost_follows_its_lines_when_the_same_call_moves_their_products_average_cost()
    {
        await using var together = await IngestSample.CreateAsync();
        await using var apart = await IngestSample.CreateAsync();
        OrderRow[] stored = [Order("R-1", "completed")];
        OrderItemRow[] storedLines = [Line("R-1", 1, 2, unitCost: 30m)];
        OrderRow[] orders = [Order("R-1", "returned"), Order("N-1", "completed")];
        OrderItemRow[] lines = [Line("N-1", 1, 1)];
        foreach (var db in new[] { together, apart })
        {
            var ingest = new Ingestor(db.DataSource);
            await ingest.UpsertPurchasesAsync([new(IngestSample.Merchant, "PO-R", IngestSample.Sku, 10, 10m, Day)]);
            await ingest.UpsertOrdersWithItemsAsync(stored, storedLines);
        }

        await new Ingestor(together.DataSource).UpsertOrdersWithItemsAsync(orders, lines);
        await new Ingestor(apart.DataSource).UpsertOrdersAsync(orders);
        await new Ingestor(apart.DataSource).UpsertOrderItemsAsync(lines);

        // 8 units at 10.00 left, 2 come back at 30.00: an average of 14.00, which N-1's line takes.
        Assert.Equal("14.0000|14.00|14.00", await together.ScalarAsync<string>("""
            SELECT concat_ws('|', i.unit_cost, i.cost_amount, o.cost_amount_cny)
            FROM dw.fact_sales_orders AS o JOIN dw.fact_order_items AS i USING (merchant_id, order_id, order_date) WHERE o.order_no = 'N-1'
            """));
        Assert.Equal(await BooksAsync(apart), await BooksAsync(together));
    }

    /// <summary>
    /// On generated sequences of batches (new orders and stored ones whose status changes, lines with and without a cost, some
    /// orders coming back and so moving their product's average cost), a warehouse fed each batch in one call and one fed it in two
    /// (orders, then lines) end with the same books, and posting every order again changes nothing in the first.
    /// </summary>
    [Fact]
    public async Task One_call_books_what_two_calls_book_on_generated_batches()
    {
        await using var together = await IngestSample.CreateAsync();
        await using var apart = await IngestSample.CreateAsync();
        foreach (var db in new[] { together, apart })
        {
            await new Ingestor(db.DataSource).UpsertPurchasesAsync([new(IngestSample.Merchant, "PO-G", IngestSample.Sku, 1_000, 10m, Day)]);
        }
        var line = Gen.Select(Gen.Int[1, 3], Gen.Int[0, 2].Select(c => new decimal?[] { null, 4.5m, 30m }[c]));
        var order = Gen.Select(Gen.Int[0, 5], Gen.Int[0, 4].Select(s => new[] { "paid", "shipped", "completed", "cancelled", "returned" }[s]), line.Array[0, 2]);
        var batch = order.Array[1, 5].Select(orders => orders.DistinctBy(o => o.Item1).ToArray());
        var run = 0;

        // Each sample writes orders of its own (the prefix) into the same two warehouses, whose stock and average cost carry over.
        await batch.Array[1, 4].SampleAsync(async batches =>
        {
            var prefix = $"G{++run}-";
            foreach (var b in batches)
            {
                var orders = b.Select(o => Order(prefix + o.Item1, o.Item2)).ToList();
                var lines = b.SelectMany(o => o.Item3.Select((l, i) => Line(prefix + o.Item1, i + 1, l.Item1, unitCost: l.Item2))).ToList();
                await new Ingestor(together.DataSource).UpsertOrdersWithItemsAsync(orders, lines);
                await new Ingestor(apart.DataSource).UpsertOrdersAsync(orders);
                if (lines.Count > 0)
                {
                    await new Ingestor(apart.DataSource).UpsertOrderItemsAsync(lines);
                }
            }
            Assert.Equal(await BooksAsync(apart), await BooksAsync(together));
            Assert.Equal("0|0|0|0|0", await together.ScalarAsync<string>("""
                SELECT concat_ws('|', p.orders_costed, p.movements, p.positions, p.receivables, p.settled)
                FROM dw.post_orders(ARRAY(SELECT ROW(o.merchant_id, o.order_id, o.order_date)::dw.order_ref FROM dw.fact_sales_orders AS o)) AS p
                """));
        }, iter: 20, threads: 1, print: batches => string.Join(" / ", batches.Select(b => string.Join(", ", b.Select(o =>
            $"{o.Item1} {o.Item2} [{string.Join(" ", o.Item3.Select(l => $"{l.Item1}x{l.Item2?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}"))}]")))));
    }

    [Fact]
    public async Task Supplied_fields_are_named_per_input()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertOrdersWithItemsAsync([Orders[0] with { DiscountAmount = 5m }], [Lines[0] with { DiscountAmount = 1m }]);

        // Both entities have a discount_amount: the orders' input leaves it out, the lines' carries it.
        var supplied = new IngestOptions
        {
            SuppliedFields = new HashSet<string> { "merchant_id", "shop_id", "order_no", "order_date", "ordered_at", "gmv", "status", "currency_code", "exchange_rate", "paid_at", "shipped_at" },
            SuppliedItemFields = new HashSet<string> { "merchant_id", "shop_id", "order_no", "order_date", "line_no", "sku", "quantity", "unit_price", "discount_amount" },
        };
        await ingest.With(supplied).UpsertOrdersWithItemsAsync([Orders[0]], [Lines[0] with { DiscountAmount = 2m }]);

        Assert.Equal("5.00|2.00", await db.ScalarAsync<string>("""
            SELECT o.discount_amount || '|' || i.discount_amount
            FROM dw.fact_sales_orders AS o JOIN dw.fact_order_items AS i USING (merchant_id, order_id, order_date)
            WHERE o.order_no = 'W-1' AND i.line_no = 1
            """));
    }

    [Fact]
    public async Task A_bad_line_saves_neither_the_orders_nor_the_lines_and_names_the_input()
    {
        await using var db = await IngestSample.CreateAsync();

        var e = await Assert.ThrowsAsync<IngestException>(() => new Ingestor(db.DataSource).UpsertOrdersWithItemsAsync(
            Orders, [Lines[0], Line("W-1", 2, -2), Lines[2]]));

        Assert.Equal(("order-items", 2L, "quantity"), (e.Input, e.RowNumber, e.Field));
        Assert.Equal("Row 2 of the order-items: quantity -2 is not positive (fact_order_items_quantity_positive). Nothing of this batch was saved.", e.Message);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no LIKE 'W-%'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_order_items"));
    }

    [Fact]
    public async Task Lines_whose_sums_would_break_their_orders_rules_are_named_in_the_lines_not_the_orders()
    {
        await using var db = await IngestSample.CreateAsync();

        // Summed into W-1's cost and units, these lines made a negative cost, which the orders' CHECK refused naming order row 1.
        var ingestor = new Ingestor(db.DataSource);
        var quantities = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertOrdersWithItemsAsync(Orders, [Line("W-1", 1, -2), Line("W-4", 1, 0)]));
        var cost = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertOrdersWithItemsAsync(Orders, [Line("W-2", 1, 1, unitCost: -7.25m)]));

        Assert.Equal([("order-items", 1L, "quantity"), ("order-items", 2L, "quantity")], quantities.Errors.Select(x => (quantities.Input, x.RowNumber, x.Field)));
        Assert.Equal(("order-items", 1L, "unit_cost"), (cost.Input, cost.RowNumber, cost.Field));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no LIKE 'W-%'"));
    }

    /// <summary>
    /// The lines of a new order are inserted by plain INSERT (nothing can be stored under its new id); a line the call holds twice
    /// still fails the call naming both rows, as the upsert names them, and saves nothing.
    /// </summary>
    [Fact]
    public async Task A_line_of_a_new_order_given_twice_saves_nothing_and_names_both_rows()
    {
        await using var db = await IngestSample.CreateAsync();

        var e = await Assert.ThrowsAsync<IngestException>(() => new Ingestor(db.DataSource).UpsertOrdersWithItemsAsync(
            Orders, [Lines[0], Lines[1], Lines[0] with { Quantity = 5 }]));

        Assert.Equal(("order-items", 3L, 1L), (e.Input, e.RowNumber, e.Errors[0].SameKeyAsRow));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no LIKE 'W-%'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_order_items"));
    }

    [Fact]
    public async Task A_bad_order_saves_nothing_and_names_the_input()
    {
        await using var db = await IngestSample.CreateAsync();

        var e = await Assert.ThrowsAsync<IngestException>(() => new Ingestor(db.DataSource).UpsertOrdersWithItemsAsync(
            [Orders[0], Orders[1] with { ShopId = 99 }], Lines.Take(3)));

        Assert.Equal(("orders", 2L, "shop_id"), (e.Input, e.RowNumber, e.Field));
        Assert.StartsWith("Row 2 of the orders: shop_id 99", e.Message);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no LIKE 'W-%'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_order_items"));
    }
}
