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
