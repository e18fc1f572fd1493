using Erp.Db.Ingest;
using Erp.Db.Tests.Ingest;
using static Erp.Db.Tests.Posting.PostingSample;

namespace Erp.Db.Tests.Posting;

public class StockPostingTests
{
    [Fact]
    public async Task Paid_reserves_shipped_deducts_and_releases_returned_takes_back()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 10)]);

        await ingest.UpsertOrdersAsync([Order("S-1", "paid")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 3)]);
        var paid = (await PositionAsync(db), await MovementsAsync(db));

        await ingest.UpsertOrdersAsync([Order("S-1", "shipped")]);
        var shipped = (await PositionAsync(db), await MovementsAsync(db), await db.ScalarAsync<bool>("SELECT inventory_deducted FROM dw.fact_sales_orders WHERE order_no = 'S-1'"));

        await ingest.UpsertOrdersAsync([Order("S-1", "returned")]);
        var returned = (await PositionAsync(db), await MovementsAsync(db), await db.ScalarAsync<bool>("SELECT inventory_deducted FROM dw.fact_sales_orders WHERE order_no = 'S-1'"));

        Assert.Equal(("10|3|0|0", "reserve:3"), paid);
        Assert.Equal(("7|0|0|0", "reserve:3,release:-3,sale_out:-3", true), shipped);
        Assert.Equal(("10|0|0|0", "reserve:3,release:-3,sale_out:-3,return_in:3", false), returned);
        Assert.Equal("order:1001:1:reserve:1,order:1001:1:release:1,order:1001:1:sale_out:1,order:1001:1:return_in:1", await db.ScalarAsync<string>(
            "SELECT string_agg(reference_no, ',' ORDER BY transaction_id) FROM dw.fact_inventory_transactions WHERE line_no = 1"));
    }

    [Fact]
    public async Task A_paid_order_shipped_without_shipped_at_dates_its_shipment_and_release_together_when_recorded()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 10)]);
        await ingest.UpsertOrdersAsync([Order("S-1", "paid")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 3)]);
        // An order loaded already shipped, with no shipped_at: history, dated by its payment (or order) rather than the load.
        await ingest.UpsertOrdersAsync([Order("S-2", "shipped") with { ShippedAt = null }]);
        await ingest.UpsertOrderItemsAsync([Line("S-2", 1, 1)]);

        await ingest.UpsertOrdersAsync([Order("S-1", "shipped") with { ShippedAt = null }]);

        // One time for the shipment and the release that goes with it, so no unit is shipped and still reserved in between: when
        // the change was recorded (the order's updated_at), the status change being the event.
        Assert.Equal("reserve:paid,release:recorded,sale_out:recorded", await db.ScalarAsync<string>("""
            SELECT string_agg(t.transaction_type || ':' || CASE t.occurred_at WHEN o.paid_at THEN 'paid' WHEN o.updated_at THEN 'recorded' ELSE t.occurred_at::text END,
                              ',' ORDER BY t.transaction_id)
            FROM dw.fact_inventory_transactions AS t JOIN dw.fact_sales_orders AS o ON o.order_id = t.order_id WHERE o.order_no = 'S-1'
            """));
        Assert.Equal("sale_out:paid", await db.ScalarAsync<string>("""
            SELECT string_agg(t.transaction_type || ':' || CASE t.occurred_at WHEN o.paid_at THEN 'paid' ELSE t.occurred_at::text END, ',')
            FROM dw.fact_inventory_transactions AS t JOIN dw.fact_sales_orders AS o ON o.order_id = t.order_id WHERE o.order_no = 'S-2'
            """));

        // A correction of a shipped line (more units) is booked where its shipment was, not when the file came.
        await ingest.UpsertOrderItemsAsync([Line("S-2", 1, 2)]);
        Assert.Equal("sale_out:paid,sale_out:paid", await db.ScalarAsync<string>("""
            SELECT string_agg(t.transaction_type || ':' || CASE t.occurred_at WHEN o.paid_at THEN 'paid' ELSE t.occurred_at::text END, ',' ORDER BY t.transaction_id)
            FROM dw.fact_inventory_transactions AS t JOIN dw.fact_sales_orders AS o ON o.order_id = t.order_id WHERE o.order_no = 'S-2'
            """));
    }

    [Fact]
    public async Task Cancelled_before_shipping_releases_the_reservation()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 10)]);
        await ingest.UpsertOrdersAsync([Order("S-1", "processing")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 4)]);

        await ingest.UpsertOrdersAsync([Order("S-1", "cancelled")]);

        Assert.Equal("10|0|0|0", await PositionAsync(db));
        Assert.Equal("reserve:4,release:-4", await MovementsAsync(db));
    }

    [Fact]
    public async Task Pending_moves_nothing_and_a_changed_quantity_posts_the_difference()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 10)]);
        await ingest.UpsertOrdersAsync([Order("S-1", "pending")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 4)]);
        var pending = await MovementsAsync(db);

        await ingest.UpsertOrdersAsync([Order("S-1", "paid")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 6)]);

        Assert.Null(pending);
        Assert.Equal("reserve:4,reserve:2", await MovementsAsync(db));
        Assert.Equal("10|6|0|0", await PositionAsync(db));
    }

    [Fact]
    public async Task Posting_twice_or_reimporting_unchanged_changes_nothing()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        var erp = new ErpDatabase(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 10)]);
        OrderRow[] orders = [Order("S-1", "shipped") with { IsInvoiced = true, InvoiceId = "INV-1", PlatformCommission = 3m }, Order("S-2", "paid")];
        OrderItemRow[] lines = [Line("S-1", 1, 2), Line("S-2", 1, 1), Line("S-2", 2, 1)];
        await ingest.UpsertOrdersAsync(orders);
        await ingest.UpsertOrderItemsAsync(lines);
        var books = await BooksAsync(db);

        var again = await erp.PostAsync();
        var orderReimport = await ingest.UpsertOrdersAsync(orders);
        var lineReimport = await ingest.UpsertOrderItemsAsync(lines);
        var postedOnce = await erp.PostAsync(merchantId: 1);

        Assert.True(again.NothingChanged, again.ToString());
        Assert.True(postedOnce.NothingChanged, postedOnce.ToString());
        Assert.Equal((0L, 0L, 2L), (orderReimport.Inserted, orderReimport.Updated, orderReimport.Unchanged));
        Assert.Equal((0L, 0L, 3L), (lineReimport.Inserted, lineReimport.Updated, lineReimport.Unchanged));
        Assert.Equal(books, await BooksAsync(db));
        Assert.Equal("8|2|0|0", await PositionAsync(db));
    }

    [Fact]
    public async Task Orders_imported_again_in_the_status_they_have_are_left_to_erpdb_post_and_an_order_whose_status_changed_is_posted()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        var erp = new ErpDatabase(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 10)]);
        await ingest.UpsertOrdersAsync([Order("S-1", "paid"), Order("S-2", "paid")]);
        OrderItemRow[] lines = [Line("S-1", 1, 2), Line("S-2", 1, 3)];
        await ingest.UpsertOrderItemsAsync(lines);
        // Both shipped behind the ingest's back, by a hand-written UPDATE: nothing posted their stock. The file below says S-1 is
        // shipped (unchanged) and S-2 completed with another fee (changed): the import posts the order whose status changed only.
        await db.ExecuteAsync("UPDATE dw.fact_sales_orders SET status = 'shipped', shipped_at = TIMESTAMPTZ '2026-03-05 14:30+08', inventory_deducted = true "
            + "WHERE order_no IN ('S-1', 'S-2')");
        var unposted = await MovementsAsync(db);

        var reimport = await ingest.UpsertOrdersAsync([Order("S-1", "shipped"), Order("S-2", "completed") with { ShippingFee = 4m }]);
        var linesReimport = await ingest.UpsertOrderItemsAsync(lines);
        var afterReimport = await db.ScalarAsync<string>(
            "SELECT string_agg(o.order_no || ':' || t.transaction_type, ',' ORDER BY o.order_no, t.transaction_id) FROM dw.fact_inventory_transactions AS t "
            + "JOIN dw.fact_sales_orders AS o ON o.order_id = t.order_id AND o.order_date = t.order_date");
        var positionAfterReimport = await PositionAsync(db);
        var posted = await erp.PostAsync(merchantId: 1);

        Assert.Equal("reserve:2,reserve:3", unposted);
        Assert.Equal((0L, 1L, 1L), (reimport.Inserted, reimport.Updated, reimport.Unchanged));
        Assert.Equal((0L, 0L, 2L), (linesReimport.Inserted, linesReimport.Updated, linesReimport.Unchanged));
        Assert.Equal("S-1:reserve,S-2:reserve,S-2:release,S-2:sale_out", afterReimport);
        Assert.Equal("7|2|0|0", positionAfterReimport);
        Assert.Equal(2, posted.Movements);
        Assert.Equal("5|0|0|0", await PositionAsync(db));
    }

    [Fact]
    public async Task Short_stock_is_recorded_and_alerted_never_rejected_and_a_purchase_resolves_it()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 2)]);
        await ingest.UpsertOrdersAsync([Order("S-1", "paid")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 5)]);
        var reserved = await PositionAsync(db);

        await ingest.UpsertOrdersAsync([Order("S-1", "shipped")]);
        var shipped = await PositionAsync(db);
        var alert = await db.ScalarAsync<string>(
            "SELECT kind || '|' || merchant_id || '|' || subject || '|' || (details->>'shortage_on_hand') || '|' || (resolved_at IS NULL) FROM dw.alerts");

        await ingest.UpsertPurchasesAsync([new(1, "PO-1/1", "A-1", 10, 9m, Day)]);

        Assert.Equal("2|2|0|3", reserved);
        Assert.Equal("0|0|3|0", shipped);
        Assert.Equal("stock_shortage|1|A-1@default|3|true", alert);
        Assert.Equal("7|0|0|0", await PositionAsync(db));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.alerts WHERE resolved_at IS NOT NULL"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.alerts WHERE resolved_at IS NULL"));
    }

    [Fact]
    public async Task Shortage_alerts_are_one_per_open_subject()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertOrdersAsync([Order("S-1", "shipped"), Order("S-2", "shipped")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 1)]);
        await ingest.UpsertOrderItemsAsync([Line("S-2", 1, 2)]);

        Assert.Equal("1|3", await db.ScalarAsync<string>(
            "SELECT count(*) || '|' || max(details->>'shortage_on_hand') FROM dw.alerts WHERE kind = 'stock_shortage' AND resolved_at IS NULL"));
    }

    [Fact]
    public async Task A_stock_count_posts_one_adjustment_of_counted_minus_books()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 10)]);
        StockCountRow count = new(1, "A-1", 8, Morning);

        var first = await ingest.UpsertStockCountsAsync([count]);
        var again = await ingest.UpsertStockCountsAsync([count]);
        var restated = await Assert.ThrowsAsync<IngestException>(() => ingest.UpsertStockCountsAsync([count with { CountedQuantity = 5 }]));

        Assert.Equal((1L, 0L, 1L), (first.Inserted, again.Inserted, again.Unchanged));
        Assert.Equal((1L, "counted_quantity"), (restated.RowNumber, restated.Field));
        Assert.Contains("is posted already with 8", restated.Message, StringComparison.Ordinal);
        Assert.Equal("adjustment:-2", await MovementsAsync(db));
        Assert.Equal("8|0|0|0", await PositionAsync(db));
        Assert.Equal("10|8", await db.ScalarAsync<string>("SELECT book_quantity || '|' || counted_quantity FROM dw.fact_stock_counts"));
        Assert.Equal(Morning.UtcDateTime, await db.ScalarAsync<DateTime>("SELECT last_counted_at FROM dw.fact_inventory"));
    }

    [Fact]
    public async Task Counts_of_one_position_in_one_file_post_in_time_order_each_against_the_count_before_it()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 10)]);

        // Listed out of order; the later count is posted against the earlier one, not against the books before both.
        await ingest.UpsertStockCountsAsync([new(1, "A-1", 12, Morning.AddHours(2)), new(1, "A-1", 8, Morning)]);

        Assert.Equal("adjustment:-2,adjustment:4", await MovementsAsync(db));
        Assert.Equal("12|0|0|0", await PositionAsync(db));
        Assert.Equal("10|8,8|12", await db.ScalarAsync<string>(
            "SELECT string_agg(book_quantity || '|' || counted_quantity, ',' ORDER BY counted_at) FROM dw.fact_stock_counts"));
        Assert.Equal(Morning.AddHours(2).UtcDateTime, await db.ScalarAsync<DateTime>("SELECT last_counted_at FROM dw.fact_inventory"));
    }

    [Fact]
    public async Task A_count_older_than_one_already_posted_is_superseded_and_adjusts_nothing()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 10)]);
        await ingest.UpsertStockCountsAsync([new(1, "A-1", 7, Morning.AddHours(2))]);

        // A late file: a count taken before the one posted, and one after it. The older one must not undo the newer.
        await ingest.UpsertStockCountsAsync([new(1, "A-1", 9, Morning), new(1, "A-1", 6, Morning.AddHours(3))]);

        Assert.Equal("adjustment:-3,adjustment:-1", await MovementsAsync(db));
        Assert.Equal("6|0|0|0", await PositionAsync(db));
        // The late count records the book of its time: 10, before the newer count's adjustment of -3.
        Assert.Equal("10|9,10|7,7|6", await db.ScalarAsync<string>(
            "SELECT string_agg(book_quantity || '|' || counted_quantity, ',' ORDER BY counted_at) FROM dw.fact_stock_counts"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_stock_counts WHERE posted_at IS NULL"));
        Assert.Equal(Morning.AddHours(3).UtcDateTime, await db.ScalarAsync<DateTime>("SELECT last_counted_at FROM dw.fact_inventory"));
    }

    [Fact]
    public async Task A_count_imported_after_later_shipments_adjusts_the_book_as_it_stood_when_counted()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 10)]);
        // 3 units shipped at Morning + 5 h; then the counts of Morning + 2 h (9 found) and Morning + 6 h (6 found) arrive.
        await ingest.UpsertOrdersAsync([Order("S-1", "shipped")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 3)]);

        await ingest.UpsertStockCountsAsync([new(1, "A-1", 9, Morning.AddHours(2)), new(1, "A-1", 6, Morning.AddHours(6))]);
        var posted = await PositionAsync(db);
        var again = await db.ScalarAsync<int>("SELECT dw.post_stock_counts()");

        // At Morning + 2 h the book was 10 (the shipment came later): -1. The shipment took the book to 9 - 3 = 6, as counted
        // at Morning + 6 h: no second adjustment. Against the book at posting (7), the first count would have undone the shipment.
        Assert.Equal("sale_out:-3,adjustment:-1", await MovementsAsync(db));
        Assert.Equal("6|0|0|0", posted);
        Assert.Equal("10|9,6|6", await db.ScalarAsync<string>(
            "SELECT string_agg(book_quantity || '|' || counted_quantity, ',' ORDER BY counted_at) FROM dw.fact_stock_counts"));
        Assert.Equal(0, again);
        // On hand = opening + every movement still holds.
        Assert.Equal(6L, await db.ScalarAsync<long>(
            "SELECT 10 + sum(quantity_change) FILTER (WHERE transaction_type NOT IN ('reserve', 'release')) FROM dw.fact_inventory_transactions"));
    }

    [Fact]
    public async Task A_shipped_movement_that_names_no_line_counts_for_inventory_deducted_in_the_import_and_in_posting()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        var erp = new ErpDatabase(db.DataSource);
        const string Deducted = "SELECT inventory_deducted FROM dw.fact_sales_orders WHERE order_no = 'U-1'";
        await ingest.UpsertOrdersAsync([Order("U-1", "pending")]);
        // A movement imported against the order as a whole, not one of its lines: posting leaves it alone.
        const string Movement = """
            INSERT INTO dw.fact_inventory_transactions (merchant_id, transaction_date, product_id, transaction_type, quantity_change,
                                                        order_id, order_date, reference_no, occurred_at)
            SELECT merchant_id, order_date, 100, '{0}', {1}, order_id, order_date, 'wms:{0}', now() FROM dw.fact_sales_orders WHERE order_no = 'U-1'
            """;
        await db.ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, Movement, "sale_out", -2));

        var reimported = await ingest.UpsertOrdersAsync([Order("U-1", "pending")]);
        var afterImport = await db.ScalarAsync<bool>(Deducted);
        await db.ExecuteAsync("UPDATE dw.fact_sales_orders SET inventory_deducted = false WHERE order_no = 'U-1'");
        var reposted = await erp.PostAsync();
        var afterPost = await db.ScalarAsync<bool>(Deducted);
        await db.ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, Movement, "return_in", 2));
        await ingest.UpsertOrdersAsync([Order("U-1", "pending")]);
        var afterReturn = await db.ScalarAsync<bool>(Deducted);

        Assert.Equal(1L, reimported.Updated);
        Assert.True(afterImport);
        Assert.Equal(1, reposted.OrdersCosted);
        Assert.True(afterPost);
        Assert.False(afterReturn);
    }
}
