using Erp.Db.Ingest;

namespace Erp.Db.Tests.Ingest;

public class OrderItemIngestTests
{
    [Fact]
    public async Task Items_find_their_order_and_product_and_are_idempotent()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);
        await ingestor.UpsertOrdersAsync([IngestSample.Order("N-1"), IngestSample.Order("N-2")]);
        OrderItemRow[] items = [IngestSample.Item("N-1", 1), IngestSample.Item("N-1", 2, quantity: 3), IngestSample.Item("N-2", 1)];

        var first = await ingestor.UpsertOrderItemsAsync(items);
        var second = await ingestor.UpsertOrderItemsAsync(items);
        var changed = await ingestor.UpsertOrderItemsAsync([IngestSample.Item("N-1", 2, quantity: 4)]);

        Assert.Equal((3L, 0L, 0L), (first.Inserted, first.Updated, first.Unchanged));
        Assert.Equal((0L, 0L, 3L), (second.Inserted, second.Updated, second.Unchanged));
        Assert.Equal((0L, 1L, 0L), (changed.Inserted, changed.Updated, changed.Unchanged));
        // unit_cost was not given: the product's cost (12.5) is copied; amount and cost_amount are generated.
        Assert.Equal("4|100|18.00|50.00", await db.ScalarAsync<string>("""
            SELECT concat_ws('|', i.quantity, i.product_id, i.amount, i.cost_amount)
            FROM dw.fact_order_items AS i JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date)
            WHERE o.order_no = 'N-1' AND i.line_no = 2
            """));
    }

    [Fact]
    public async Task A_negative_quantity_rejects_the_batch_naming_row_and_field()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);
        await ingestor.UpsertOrdersAsync([IngestSample.Order("N-1")]);

        var e = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertOrderItemsAsync(
            [IngestSample.Item("N-1", 1), IngestSample.Item("N-1", 2, quantity: -2), IngestSample.Item("N-1", 3)]));

        Assert.Equal((2L, "quantity", "fact_order_items_quantity_positive"), (e.RowNumber, e.Field, e.Constraint));
        Assert.Single(e.Errors); // not again in the table's words, nor as the discount bound it also breaks
        Assert.Equal("Row 2: quantity -2 is not positive (fact_order_items_quantity_positive). Nothing of this batch was saved.", e.Message);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_order_items"));
    }

    [Fact]
    public async Task Quantities_that_would_overflow_the_postings_totals_are_named_by_row_and_nothing_is_saved()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);
        await ingestor.UpsertOrdersAsync([IngestSample.Order("N-1")]);
        await ingestor.UpsertPurchasesAsync([new PurchaseRow(IngestSample.Merchant, "PO-1", IngestSample.Sku, 5, 2m, new DateOnly(2026, 3, 2))]);
        var books = await db.ScalarAsync<string>("SELECT (SELECT count(*) FROM dw.fact_order_items) || '/' || (SELECT string_agg(quantity_on_hand::text, ',') FROM dw.fact_inventory)");

        // Each fits its column; summed by the posting (the order's units, the position's stock) they overflowed an integer,
        // a server error naming no row.
        var lines = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertOrderItemsAsync(
            [IngestSample.Item("N-1", 1, quantity: 2_000_000_000), IngestSample.Item("N-1", 2, quantity: 2_000_000_000)]));
        var purchase = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertPurchasesAsync(
            [new PurchaseRow(IngestSample.Merchant, "PO-2", IngestSample.Sku, int.MaxValue, 2m, new DateOnly(2026, 3, 3))]));

        Assert.Equal([(1L, "quantity"), (2L, "quantity")], lines.Errors.Select(x => (x.RowNumber, x.Field)));
        Assert.Equal("quantity 2000000000 is more than 100,000,000, the most one row may move: check the column (a price or a code in it?)", lines.Reason);
        Assert.Equal((1L, "quantity"), (purchase.RowNumber, purchase.Field));
        Assert.Equal(books, await db.ScalarAsync<string>("SELECT (SELECT count(*) FROM dw.fact_order_items) || '/' || (SELECT string_agg(quantity_on_hand::text, ',') FROM dw.fact_inventory)"));
    }

    [Fact]
    public async Task An_item_of_an_unknown_order_rejects_the_batch()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);
        await ingestor.UpsertOrdersAsync([IngestSample.Order("N-1")]);

        var e = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertOrderItemsAsync(
            [IngestSample.Item("N-1", 1), IngestSample.Item("N-1", 2), IngestSample.Item("NOPE", 1)]));

        Assert.Equal((3L, "order_no", "fact_order_items_order_fkey"), (e.RowNumber, e.Field, e.Constraint));
        Assert.Equal("Row 3: order_no NOPE (shop_id 10, order_date 2026-03-05) is not an order of merchant 1 (fact_order_items_order_fkey). Nothing of this batch was saved.", e.Message);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_order_items"));
    }

    [Fact]
    public async Task An_unknown_sku_rejects_the_batch()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingestor = new Ingestor(db.DataSource);
        await ingestor.UpsertOrdersAsync([IngestSample.Order("N-1")]);

        var e = await Assert.ThrowsAsync<IngestException>(() => ingestor.UpsertOrderItemsAsync(
            [IngestSample.Item("N-1", 1) with { Sku = "B-1" }]));

        Assert.Equal((1L, "sku"), (e.RowNumber, e.Field));
        Assert.Contains("sku B-1 is not a product of merchant 1", e.Message);
    }
}
