using CsCheck;
using Erp.Db.Ingest;
using Erp.Db.Tests.Cli;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Ingest;
using static Erp.Db.Tests.Posting.PostingSample;

namespace Erp.Db.Tests.Posting;

/// <summary>
/// Corrections of imported orders keep the books right (docs/business-flows.md, "Correcting what was imported"): a corrected
/// order date takes the posted stock movements along, and a line removed by a replacing import is taken back as of when it was posted.
/// </summary>
public class OrderCorrectionTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    /// <summary>S-1 shipped, moved from 5 to 2 March: ordered and paid on the 2nd, shipped on the 3rd.</summary>
    private static OrderRow Moved(string orderNo) => Order(orderNo, "shipped") with
    {
        OrderDate = new DateOnly(2026, 3, 2),
        OrderedAt = new DateTimeOffset(2026, 3, 2, 9, 30, 0, China),
        PaidAt = new DateTimeOffset(2026, 3, 2, 9, 35, 0, China),
        ShippedAt = new DateTimeOffset(2026, 3, 3, 10, 0, 0, China),
    };

    /// <summary>type:change@day (merchant's day) of S-1's movements, and the order_date they name.</summary>
    private static Task<string?> DatedMovementsAsync(TestDatabase db, string orderNo = "S-1") => db.ScalarAsync<string>($"""
        SELECT string_agg(t.transaction_type || ':' || t.quantity_change || '@' || t.transaction_date
                          || '/' || to_char(t.occurred_at AT TIME ZONE 'Asia/Shanghai', 'MM-DD HH24:MI') || '/' || t.order_date,
                          ',' ORDER BY t.transaction_id)
        FROM dw.fact_inventory_transactions AS t
        JOIN dw.fact_sales_orders AS o ON o.merchant_id = t.merchant_id AND o.order_id = t.order_id AND o.order_date = t.order_date
        WHERE o.order_no = '{orderNo}'
        """);

    private static async Task<TestDatabase> ShippedOrderAsync()
    {
        var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 10)]);
        await ingest.UpsertOrdersAsync([Order("S-1", "paid")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 3)]);
        await ingest.UpsertOrdersAsync([Order("S-1", "shipped")]);
        return db;
    }

    [Fact]
    public async Task A_corrected_order_date_takes_the_posted_movements_to_the_order_s_new_days_and_a_re_post_changes_nothing()
    {
        await using var db = await ShippedOrderAsync();
        var before = await DatedMovementsAsync(db);

        var result = await new Ingestor(db.DataSource).UpsertOrdersAsync([Moved("S-1")]);
        var after = await DatedMovementsAsync(db);
        var books = await BooksAsync(db);
        var posted = await new ErpDatabase(db.DataSource).PostAsync();

        Assert.Equal("reserve:3@2026-03-05/03-05 09:35/2026-03-05,release:-3@2026-03-05/03-05 14:30/2026-03-05,sale_out:-3@2026-03-05/03-05 14:30/2026-03-05", before);
        Assert.Equal((0L, 1L), (result.Inserted, result.Updated));
        // Reserved when paid, released and shipped when shipped: the days of the corrected order.
        Assert.Equal("reserve:3@2026-03-02/03-02 09:35/2026-03-02,release:-3@2026-03-03/03-03 10:00/2026-03-02,sale_out:-3@2026-03-03/03-03 10:00/2026-03-02", after);
        Assert.Equal("7|0|0|0", await PositionAsync(db));
        Assert.True(posted.NothingChanged, posted.ToString());
        Assert.Equal(books, await BooksAsync(db));
        // Stock as of 4 March (before the old shipping day) now shows the shipment: on hand at the end of the 4th = 10 - 3.
        Assert.Equal(-3L, await db.ScalarAsync<long>(
            "SELECT sum(quantity_change) FROM dw.fact_inventory_transactions WHERE transaction_type IN ('sale_out', 'return_in') AND transaction_date <= '2026-03-04'"));
    }

    [Fact]
    public async Task An_uninvoiced_order_moved_to_another_date_by_the_row_that_ships_it_posts_its_shipment_and_a_re_post_changes_nothing()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 10)]);
        await ingest.UpsertOrdersAsync([Order("S-1", "paid")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 3)]);

        // Not invoiced, stored under the 5th as paid: the row that moves it to the 2nd also ships it. The import cannot compare
        // its status with the stored order's under the row's key (there is none), so the moved order is posted.
        var result = await ingest.UpsertOrdersAsync([Moved("S-1")]);
        var after = await DatedMovementsAsync(db);
        var books = await BooksAsync(db);
        var posted = await new ErpDatabase(db.DataSource).PostAsync();

        Assert.Equal((0L, 1L), (result.Inserted, result.Updated));
        Assert.Equal("reserve:3@2026-03-02/03-02 09:35/2026-03-02,release:-3@2026-03-03/03-03 10:00/2026-03-02,sale_out:-3@2026-03-03/03-03 10:00/2026-03-02", after);
        Assert.Equal("7|0|0|0", await PositionAsync(db));
        Assert.True(posted.NothingChanged, posted.ToString());
        Assert.Equal(books, await BooksAsync(db));
    }

    [Theory]
    [InlineData("2026-03-05T18:10:00+08:00")] // later the same day
    [InlineData("2026-03-06T00:40:00+08:00")] // past midnight in the merchant's zone: 16:40 UTC, still the 5th in UTC
    public async Task A_corrected_shipped_time_on_the_same_order_date_dates_the_posted_movements_as_a_fresh_import_would(string shipped)
    {
        await using var db = await ShippedOrderAsync();
        var ingest = new Ingestor(db.DataSource);
        var correctedAt = DateTimeOffset.Parse(shipped, System.Globalization.CultureInfo.InvariantCulture);
        var corrected = Order("S-1", "shipped") with { ShippedAt = correctedAt };
        // The same order's life imported with the right time from the start, as S-2.
        await ingest.UpsertOrdersAsync([Order("S-2", "paid")]);
        await ingest.UpsertOrderItemsAsync([Line("S-2", 1, 3)]);
        await ingest.UpsertOrdersAsync([Order("S-2", "shipped") with { ShippedAt = correctedAt }]);
        var before = await DatedMovementsAsync(db);

        var result = await ingest.UpsertOrdersAsync([corrected]);
        var after = await DatedMovementsAsync(db);
        var books = await BooksAsync(db);
        var again = await ingest.UpsertOrdersAsync([corrected]);
        var afterAgain = await BooksAsync(db);
        var posted = await new ErpDatabase(db.DataSource).PostAsync();

        Assert.Equal((0L, 1L), (result.Inserted, result.Updated));
        Assert.NotEqual(before, after);
        Assert.Equal((await DatedMovementsAsync(db, "S-2"))!.Replace("/2026-03-05", "", StringComparison.Ordinal), after!.Replace("/2026-03-05", "", StringComparison.Ordinal));
        // The shipment's day is the corrected time's day in the merchant's zone.
        Assert.Equal(correctedAt.ToOffset(China).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), await db.ScalarAsync<string>("""
            SELECT t.transaction_date::text FROM dw.fact_inventory_transactions AS t JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date)
            WHERE o.order_no = 'S-1' AND t.transaction_type = 'sale_out'
            """));
        Assert.Equal((0L, 0L, 1L), (again.Inserted, again.Updated, again.Unchanged));
        Assert.Equal(books, afterAgain);
        Assert.True(posted.NothingChanged, posted.ToString());
        Assert.Equal(books, await BooksAsync(db));
        Assert.Equal("4|0|0|0", await PositionAsync(db));
    }

    /// <summary>
    /// Property: whatever paid and shipped times a re-import corrects (either or both, later the same day or days later, across the
    /// merchant's midnight) and whichever shipping status it ends in, the order's posted movements stand where those of the same life
    /// imported with the right times from the start stand (type, units, time and day), and the same file again changes nothing.
    /// </summary>
    [Fact]
    public async Task Movements_of_an_order_whose_times_were_corrected_match_a_fresh_import_of_the_corrected_order()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        var n = 0;
        var gen = Gen.Select(Gen.Int[0, 14 * 60], Gen.Int[0, 3 * 24 * 60], Gen.Int[0, 2], Gen.Int[1, 3], Gen.Int[0, 2]);
        await gen.SampleAsync(async sample =>
        {
            var (paidAfter, shippedAfter, which, quantity, status) = sample;
            var (corrected, fresh) = ($"T-{++n}", $"F-{n}");
            var paid = which == 1 ? Morning.AddMinutes(5) : Morning.AddMinutes(paidAfter);
            var shipped = which == 0 ? Morning.AddHours(5) : paid.AddMinutes(shippedAfter);
            var final = new[] { "shipped", "delivered", "completed" }[status];
            OrderRow Right(string orderNo) => Order(orderNo, final) with { PaidAt = paid, ShippedAt = shipped };
            await ingest.UpsertOrdersAsync([Order(corrected, "paid"), Order(fresh, "paid") with { PaidAt = paid }]);
            await ingest.UpsertOrderItemsAsync([Line(corrected, 1, quantity), Line(fresh, 1, quantity)]);
            await ingest.UpsertOrdersAsync([Order(corrected, "shipped"), Right(fresh)]);

            await ingest.UpsertOrdersAsync([Right(corrected)]);
            var books = await BooksAsync(db);
            var again = await ingest.UpsertOrdersAsync([Right(corrected)]);

            var dated = await db.ScalarAsync<string>($"""
                SELECT string_agg(o.order_no || '=' || m.moves, E'\n' ORDER BY o.order_no)
                FROM dw.fact_sales_orders AS o
                CROSS JOIN LATERAL (SELECT string_agg(t.transaction_type || ':' || t.quantity_change || '@' || t.occurred_at || '/' || t.transaction_date,
                                                      ',' ORDER BY t.transaction_type, t.occurred_at) AS moves
                                    FROM dw.fact_inventory_transactions AS t
                                    WHERE t.merchant_id = o.merchant_id AND t.order_id = o.order_id AND t.order_date = o.order_date) AS m
                WHERE o.order_no IN ('{corrected}', '{fresh}')
                """);
            var both = dated!.Split('\n').Select(d => d[(d.IndexOf('=', StringComparison.Ordinal) + 1)..]).ToArray();
            Assert.Equal(both[1], both[0]);
            Assert.Equal(1L, again.Unchanged);
            Assert.Equal(books, await BooksAsync(db));
        }, iter: 12, threads: 1, print: t => t.ToString());
    }

    /// <summary>S-1 shipped (14:30 on 5 March), returned, and shipped again at 17:30 the same day.</summary>
    private static async Task<TestDatabase> ReshippedOrderAsync()
    {
        var db = await ShippedOrderAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertOrdersAsync([Order("S-1", "returned")]);
        await ingest.UpsertOrdersAsync([Order("S-1", "shipped") with { ShippedAt = Morning.AddHours(8) }]);
        return db;
    }

    [Fact]
    public async Task An_order_shipped_again_by_a_file_still_giving_its_first_shipped_time_is_dated_when_recorded_not_before_its_return()
    {
        // S-1 shipped at 14:30 on 5 March, came back (dated when recorded), and a file that does not say when it shipped again
        // (its shipped_at still the first one's) ships it again: that shipment happened after the return, not on 5 March.
        await using var db = await ShippedOrderAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertOrdersAsync([Order("S-1", "returned")]);

        await ingest.UpsertOrdersAsync([Order("S-1", "completed")]);
        var books = await BooksAsync(db);
        var posted = await new ErpDatabase(db.DataSource).PostAsync();

        Assert.Equal("sale_out,return_in,sale_out|true|true", await db.ScalarAsync<string>("""
            WITH m AS (SELECT t.transaction_type, t.occurred_at, t.transaction_date, t.transaction_id, o.updated_at
                       FROM dw.fact_inventory_transactions AS t JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date)
                       WHERE o.order_no = 'S-1' AND t.transaction_type IN ('sale_out', 'return_in'))
            SELECT string_agg(transaction_type, ',' ORDER BY transaction_id)
                   || '|' || (SELECT bool_and(s.occurred_at = s.updated_at AND s.transaction_date = (s.updated_at AT TIME ZONE 'Asia/Shanghai')::date)
                              FROM m AS s WHERE s.transaction_id = (SELECT max(transaction_id) FROM m))
                   || '|' || (SELECT max(occurred_at) FILTER (WHERE transaction_type = 'sale_out') >= max(occurred_at) FILTER (WHERE transaction_type = 'return_in') FROM m)
            FROM m
            """));
        Assert.Equal("7|0|0|0", await PositionAsync(db));
        Assert.True(posted.NothingChanged, posted.ToString());
        Assert.Equal(books, await BooksAsync(db));
    }

    [Fact]
    public async Task An_order_shipped_again_moves_only_its_latest_shipment_to_a_corrected_shipped_time_and_keeps_its_history()
    {
        await using var db = await ReshippedOrderAsync();
        var ingest = new Ingestor(db.DataSource);
        var history = await DatedMovementsAsync(db);
        // Past the merchant's midnight: the second shipment now counts on the 6th.
        var fixedRow = Order("S-1", "shipped") with { ShippedAt = Morning.AddHours(15) };

        var corrected = await ingest.UpsertOrdersAsync([fixedRow]);
        var after = await DatedMovementsAsync(db);
        var books = await BooksAsync(db);
        var again = await ingest.UpsertOrdersAsync([fixedRow]);
        var posted = await new ErpDatabase(db.DataSource).PostAsync();

        Assert.Equal(1L, corrected.Updated);
        Assert.StartsWith("reserve:3@2026-03-05/03-05 09:35/2026-03-05,release:-3@2026-03-05/03-05 14:30/2026-03-05,sale_out:-3@2026-03-05/03-05 14:30/2026-03-05,return_in:3@", history, StringComparison.Ordinal);
        Assert.EndsWith(",sale_out:-3@2026-03-05/03-05 17:30/2026-03-05", history, StringComparison.Ordinal);
        // The first shipment, its release and the return stay where posted; the shipment the order's shipped_at describes follows it.
        Assert.Equal(history!.Replace(",sale_out:-3@2026-03-05/03-05 17:30/", ",sale_out:-3@2026-03-06/03-06 00:30/", StringComparison.Ordinal), after);
        Assert.Equal((0L, 0L, 1L), (again.Inserted, again.Updated, again.Unchanged));
        Assert.True(posted.NothingChanged, posted.ToString());
        Assert.Equal(books, await BooksAsync(db));
        Assert.Equal("7|0|0|0", await PositionAsync(db));
        // Stock as of the end of 5 March: shipped 3, returned later, the second shipment not yet out.
        Assert.Equal(-3L, await db.ScalarAsync<long>(
            "SELECT sum(quantity_change) FROM dw.fact_inventory_transactions WHERE transaction_type IN ('sale_out', 'return_in') AND transaction_date <= '2026-03-05'"));
    }

    /// <summary>
    /// Property: however many times an order shipped and came back before its current shipment, and whatever shipped time a
    /// re-import then corrects, only the current shipment moves (to the corrected time and its day in the merchant's zone): every
    /// earlier movement keeps its time and day, the positions do not move, and the same file again or a re-post changes nothing.
    /// </summary>
    [Fact]
    public async Task Of_an_order_shipped_again_a_corrected_shipped_time_moves_the_current_shipment_only()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 100)]);
        var n = 0;
        await Gen.Select(Gen.Int[1, 3], Gen.Int[0, 3 * 24 * 60], Gen.Int[1, 3]).SampleAsync(async sample =>
        {
            var (rounds, shippedAfter, quantity) = sample;
            var orderNo = $"R-{++n}";
            await ingest.UpsertOrdersAsync([Order(orderNo, "paid")]);
            await ingest.UpsertOrderItemsAsync([Line(orderNo, 1, quantity)]);
            await ingest.UpsertOrdersAsync([Order(orderNo, "shipped")]);
            for (var i = 1; i <= rounds; i++)
            {
                await ingest.UpsertOrdersAsync([Order(orderNo, "returned")]);
                await ingest.UpsertOrdersAsync([Order(orderNo, "shipped") with { ShippedAt = Morning.AddHours(5 + i) }]);
            }
            var moves = $"""
                SELECT string_agg(t.transaction_id || ' ' || t.transaction_type || ' ' || t.quantity_change || ' ' || t.occurred_at || ' ' || t.transaction_date,
                                  E'\n' ORDER BY t.transaction_id)
                FROM dw.fact_inventory_transactions AS t JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date)
                WHERE o.order_no = '{orderNo}'
                """;
            var current = $"""
                SELECT t.transaction_id FROM dw.fact_inventory_transactions AS t JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date)
                WHERE o.order_no = '{orderNo}' AND t.transaction_type = 'sale_out' ORDER BY t.occurred_at DESC, t.transaction_id DESC LIMIT 1
                """;
            var before = (await db.ScalarAsync<string>(moves))!.Split('\n');
            var currentId = await db.ScalarAsync<long>(current);
            var position = await PositionAsync(db);
            var corrected = Order(orderNo, "shipped") with { ShippedAt = Morning.AddMinutes(shippedAfter) };

            await ingest.UpsertOrdersAsync([corrected]);
            var after = (await db.ScalarAsync<string>(moves))!.Split('\n');
            var books = await BooksAsync(db);
            var again = await ingest.UpsertOrdersAsync([corrected]);
            var posted = await new ErpDatabase(db.DataSource).PostAsync();

            Assert.Equal(rounds + 1, before.Count(m => m.Contains(" sale_out ", StringComparison.Ordinal)));
            Assert.Equal(before.Where(m => !m.StartsWith($"{currentId} ", StringComparison.Ordinal)), after.Where(m => !m.StartsWith($"{currentId} ", StringComparison.Ordinal)));
            Assert.Equal($"{corrected.ShippedAt!.Value.ToOffset(China):yyyy-MM-dd HH:mm}|{corrected.ShippedAt.Value.ToOffset(China):yyyy-MM-dd}", await db.ScalarAsync<string>(
                $"SELECT to_char(occurred_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || '|' || transaction_date FROM dw.fact_inventory_transactions WHERE transaction_id = {currentId}"));
            Assert.Equal(position, await PositionAsync(db));
            Assert.Equal((0L, 1L), (again.Updated, again.Unchanged));
            Assert.True(posted.NothingChanged, posted.ToString());
            Assert.Equal(books, await BooksAsync(db));
        }, iter: 8, threads: 1, print: t => t.ToString());
    }

    [Fact]
    public async Task An_order_shipped_again_moved_to_another_date_moves_its_history_by_the_days_and_dates_its_latest_shipment_by_the_file()
    {
        await using var db = await ReshippedOrderAsync();
        var returnedAt = await db.ScalarAsync<DateTime>("SELECT occurred_at FROM dw.fact_inventory_transactions WHERE transaction_type = 'return_in'");

        await new Ingestor(db.DataSource).UpsertOrdersAsync([Moved("S-1")]);

        var moved = await DatedMovementsAsync(db);
        // Three days earlier, as the order; only the latest shipment takes the file's shipped_at (3 March, 10:00).
        Assert.StartsWith("reserve:3@2026-03-02/03-02 09:35/2026-03-02,release:-3@2026-03-02/03-02 14:30/2026-03-02,sale_out:-3@2026-03-02/03-02 14:30/2026-03-02,return_in:3@", moved, StringComparison.Ordinal);
        Assert.EndsWith(",sale_out:-3@2026-03-03/03-03 10:00/2026-03-02", moved, StringComparison.Ordinal);
        Assert.Equal(returnedAt.AddDays(-3), await db.ScalarAsync<DateTime>("SELECT occurred_at FROM dw.fact_inventory_transactions WHERE transaction_type = 'return_in'"));
        Assert.True((await new ErpDatabase(db.DataSource).PostAsync()).NothingChanged);
        Assert.Equal("7|0|0|0", await PositionAsync(db));
    }

    [Fact]
    public async Task An_order_date_changed_by_hand_moves_the_movements_by_as_many_days_and_a_re_post_changes_nothing()
    {
        await using var db = await ShippedOrderAsync();
        await db.ExecuteAsync("""
            UPDATE dw.fact_sales_orders SET order_date = '2026-03-02', ordered_at = '2026-03-02 09:30+08', paid_at = '2026-03-02 09:35+08',
                   shipped_at = '2026-03-03 10:00+08'
            WHERE order_no = 'S-1'
            """);
        var moved = await DatedMovementsAsync(db);

        var posted = await new ErpDatabase(db.DataSource).PostAsync(merchantId: 1);

        // Three days earlier, as the order: the trigger that moves an order's rows knows the days, not the file's times.
        Assert.Equal("reserve:3@2026-03-02/03-02 09:35/2026-03-02,release:-3@2026-03-02/03-02 14:30/2026-03-02,sale_out:-3@2026-03-02/03-02 14:30/2026-03-02", moved);
        Assert.True(posted.NothingChanged, posted.ToString());
        Assert.Equal(moved, await DatedMovementsAsync(db));
        Assert.Equal("7|0|0|0", await PositionAsync(db));
    }

    [Fact]
    public async Task Replacing_an_order_s_lines_deletes_the_ones_the_batch_lacks_and_takes_back_their_stock_and_cost_as_of_when_posted()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        var erp = new ErpDatabase(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 10)]);
        await ingest.UpsertOrdersAsync([Order("S-1", "shipped"), Order("S-2", "shipped")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 2, unitCost: 5m), Line("S-1", 2, 3, unitCost: 7m), Line("S-2", 1, 1, unitCost: 5m)]);
        var replacing = ingest.With(new IngestOptions { ReplaceOrderLines = true });

        var plain = await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 2, unitCost: 5m)]);
        var dry = await ingest.With(new IngestOptions { ReplaceOrderLines = true, DryRun = true }).UpsertOrderItemsAsync([Line("S-1", 1, 2, unitCost: 5m)]);
        var afterPlainAndDry = (await PositionAsync(db), await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_order_items WHERE order_id > 1000"));
        var replaced = await replacing.UpsertOrderItemsAsync([Line("S-1", 1, 2, unitCost: 5m)]);
        var books = await BooksAsync(db);
        var again = await replacing.UpsertOrderItemsAsync([Line("S-1", 1, 2, unitCost: 5m)]);
        var posted = await erp.PostAsync();

        Assert.Equal((1L, 0L), (plain.Unchanged, plain.Deleted));
        Assert.Equal(1L, dry.Deleted);
        Assert.Equal(("4|0|0|0", 3L), afterPlainAndDry);
        Assert.Equal((0L, 0L, 1L, 1L), (replaced.Inserted, replaced.Updated, replaced.Unchanged, replaced.Deleted));
        // S-1 is what its one line makes it; S-2, not in the batch, keeps its line.
        Assert.Equal("S-1:1:10.00:2,S-2:1:5.00:1", await db.ScalarAsync<string>("""
            SELECT string_agg(o.order_no || ':' || (SELECT count(*) FROM dw.fact_order_items AS i WHERE i.order_id = o.order_id AND i.order_date = o.order_date)
                              || ':' || o.cost_amount_cny || ':' || o.item_count, ',' ORDER BY o.order_no)
            FROM dw.fact_sales_orders AS o WHERE o.order_no IN ('S-1', 'S-2')
            """));
        Assert.Equal("7|0|0|0", await PositionAsync(db));
        // The removed line's shipment comes back on the day and time it was posted, at the cost it left with.
        Assert.Equal("return_in:3:2:7.0000", await db.ScalarAsync<string>("""
            SELECT string_agg(r.transaction_type || ':' || r.quantity_change || ':' || r.line_no || ':' || r.unit_cost, ',')
            FROM dw.fact_inventory_transactions AS r
            JOIN dw.fact_inventory_transactions AS s ON s.order_id = r.order_id AND s.line_no = r.line_no AND s.transaction_type = 'sale_out'
             AND s.occurred_at = r.occurred_at AND s.transaction_date = r.transaction_date
            WHERE r.transaction_type = 'return_in'
            """));
        Assert.Equal(0L, again.Deleted);
        Assert.True(posted.NothingChanged, posted.ToString());
        Assert.Equal(books, await BooksAsync(db));
    }

    [Fact]
    public async Task Erpdb_import_order_items_replace_deletes_the_lines_the_file_lacks_and_is_refused_for_other_entities()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertOrdersAsync([Order("S-1", "paid")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 2), Line("S-1", 2, 3)]);
        var file = Path.Combine(Path.GetTempPath(), $"erpdb-replace-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(file, ["merchant_id,shop_id,order_no,order_date,line_no,sku,quantity,unit_price", "1,10,S-1,2026-03-05,1,A-1,2,20"]);

        var refused = await CliRun.RunAsync("import", "orders", file, "--replace", "--connection", db.ConnectionString, "--format", "json");
        var run = await CliRun.RunAsync("import", "order-items", file, "--replace", "--connection", db.ConnectionString, "--format", "json");
        File.Delete(file);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--replace goes with entity order-items", refused.Output + refused.Error);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1L, run.Json().GetProperty("data").GetProperty("deleted").GetInt64());
        Assert.Equal("1:2", await db.ScalarAsync<string>(
            "SELECT string_agg(line_no || ':' || quantity, ',') FROM dw.fact_order_items AS i JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) WHERE o.order_no = 'S-1'"));
        Assert.Equal("reserve:2,reserve:3,release:-3", await MovementsAsync(db));
    }

    [Fact]
    public async Task A_replacing_row_of_no_lines_empties_its_order_takes_back_its_stock_as_posted_and_bad_rows_save_nothing()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 10)]);
        await ingest.UpsertOrdersAsync([Order("S-1", "shipped"), Order("S-2", "shipped")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 2, unitCost: 5m), Line("S-1", 2, 3, unitCost: 7m), Line("S-2", 1, 1, unitCost: 5m)]);
        const string Header = "merchant_id,shop_id,order_no,order_date,line_no,sku,quantity,unit_price";
        async Task<CliRun> ImportAsync(bool replace, params string[] rows)
        {
            var file = Path.Combine(Path.GetTempPath(), $"erpdb-nolines-{Guid.NewGuid():N}.csv");
            await File.WriteAllLinesAsync(file, [Header, .. rows]);
            try
            {
                return await CliRun.RunAsync(["import", "order-items", file, .. (replace ? new[] { "--replace" } : []), "--connection", db.ConnectionString, "--format", "json"]);
            }
            finally
            {
                File.Delete(file);
            }
        }
        var before = await BooksAsync(db);

        var unknown = await ImportAsync(true, "1,10,S-2,2026-03-05,1,A-1,1,20", "1,10,S-9,2026-03-05,,,,");
        var notReplacing = await ImportAsync(false, "1,10,S-1,2026-03-05,,,,");
        var both = await ImportAsync(true, "1,10,S-1,2026-03-05,,,,", "1,10,S-1,2026-03-05,1,A-1,2,20");
        var refusedBooks = await BooksAsync(db);
        var emptied = await ImportAsync(true, "1,10,S-1,2026-03-05,,,,", "1,10,S-2,2026-03-05,1,A-1,1,20");
        var books = await BooksAsync(db);
        var again = await ImportAsync(true, "1,10,S-1,2026-03-05,,,,", "1,10,S-2,2026-03-05,1,A-1,1,20");
        var posted = await new ErpDatabase(db.DataSource).PostAsync();

        foreach (var (refused, line, text) in new[] { (unknown, 3, "order_no S-9"), (notReplacing, 2, "--replace"), (both, 2, "has lines in this batch") })
        {
            Assert.Equal(2, refused.ExitCode);
            var error = refused.Json().GetProperty("error");
            Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
            var detail = error.GetProperty("details").GetProperty("problems").EnumerateArray().Single();
            Assert.Equal(line, detail.GetProperty("line").GetInt32());
            Assert.Contains(text, detail.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(before, refusedBooks);
        Assert.Equal(0, emptied.ExitCode);
        Assert.Equal(2L, emptied.Json().GetProperty("data").GetProperty("deleted").GetInt64());
        // S-1 has no line, no cost, no units and deducts nothing; S-2 is as it was.
        Assert.Equal("S-1:0:0.00:0:false,S-2:1:5.00:1:true", await db.ScalarAsync<string>("""
            SELECT string_agg(o.order_no || ':' || (SELECT count(*) FROM dw.fact_order_items AS i WHERE i.order_id = o.order_id AND i.order_date = o.order_date)
                              || ':' || o.cost_amount_cny || ':' || o.item_count || ':' || o.inventory_deducted, ',' ORDER BY o.order_no)
            FROM dw.fact_sales_orders AS o WHERE o.order_no IN ('S-1', 'S-2')
            """));
        // What S-1's lines shipped is back, each line's units at the time and cost they left with; the position is the movements'.
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM (
                SELECT t.line_no, sum(t.quantity_change) AS net,
                       count(DISTINCT (t.occurred_at, t.transaction_date, t.unit_cost)) AS times
                FROM dw.fact_inventory_transactions AS t JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date)
                WHERE o.order_no = 'S-1' GROUP BY t.line_no) AS l
            WHERE l.net <> 0 OR l.times <> 1
            """));
        Assert.Equal(await db.ScalarAsync<string>("""
            SELECT (10 + sum(quantity_change))::text || '|0|0|0' FROM dw.fact_inventory_transactions
            WHERE merchant_id = 1 AND transaction_type IN ('sale_out', 'return_in')
            """), await PositionAsync(db));
        Assert.Equal("9|0|0|0", await PositionAsync(db));
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(0L, again.Json().GetProperty("data").GetProperty("deleted").GetInt64());
        Assert.True(posted.NothingChanged, posted.ToString());
        Assert.Equal(books, await BooksAsync(db));
    }

    [Fact]
    public async Task An_invoiced_order_moved_to_the_right_shop_keeps_its_receivable_and_receipts_and_is_due_under_that_shop_s_term()
    {
        await using var db = await IngestSample.CreateAsync();
        await db.ExecuteAsync("""
            INSERT INTO dw.dim_shops (shop_id, merchant_id, platform_id, platform_shop_code, shop_name, settlement_days)
            SELECT 11, 1, platform_id, 'a-tiktok', 'a-tiktok', 7 FROM dw.dim_platforms WHERE platform_code = 'tiktok'
            """);
        var ingest = new Ingestor(db.DataSource);
        var invoiced = Order("S-1", "shipped") with { IsInvoiced = true, InvoiceId = "INV-1" };
        await ingest.UpsertOrdersAsync([invoiced, Order("S-2", "paid"), Order("S-2", "paid") with { ShopId = 11 }]);
        await ingest.UpsertPaymentsAsync([new PaymentRow(1, "BANK-1", Day, Morning.AddHours(8), 30m) { CurrencyCode = "USD", ExchangeRate = 7.1m, InvoiceNo = "INV-1" }]);
        var before = await db.ScalarAsync<string>("SELECT order_id || '|' || receivable_id FROM dw.fact_accounts_receivable WHERE invoice_no = 'INV-1'");
        var corrected = invoiced with { ShopId = 11, PreviousShopCode = "a-shopee" };

        var moved = await ingest.UpsertOrdersAsync([corrected]);
        var again = await ingest.UpsertOrdersAsync([corrected]);
        var posted = await new ErpDatabase(db.DataSource).PostAsync();
        var both = await Assert.ThrowsAsync<IngestException>(() => ingest.UpsertOrdersAsync([Order("S-2", "paid") with { ShopId = 11, PreviousShopCode = "a-shopee" }]));
        var unknown = await Assert.ThrowsAsync<IngestException>(() => ingest.UpsertOrdersAsync([corrected with { PreviousShopCode = "nowhere" }]));

        Assert.Equal((0L, 1L), (moved.Inserted, moved.Updated));
        Assert.Equal((0L, 0L, 1L), (again.Inserted, again.Updated, again.Unchanged));
        Assert.True(posted.NothingChanged, posted.ToString());
        Assert.Equal("11", await db.ScalarAsync<string>("SELECT string_agg(shop_id::text, ',') FROM dw.fact_sales_orders WHERE order_no = 'S-1'"));
        // The same receivable (and order), now the right shop's: its receipt still applied, due 7 days after the invoice.
        Assert.Equal(before + "|11|2026-03-12|30.00|70.00|partially_paid", await db.ScalarAsync<string>("""
            SELECT order_id || '|' || receivable_id || '|' || shop_id || '|' || due_date || '|' || received_amount || '|' || outstanding_amount || '|' || status
            FROM dw.fact_accounts_receivable WHERE invoice_no = 'INV-1'
            """));
        Assert.Contains("is stored under shop 11 and under previous_shop_code a-shopee", both.Message);
        Assert.Equal("previous_shop_code", unknown.Errors[0].Field);
    }

    [Fact]
    public async Task Erpdb_post_recost_restates_booked_lines_at_their_product_s_cost_now_and_a_second_run_changes_nothing()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertOrdersAsync([Order("S-1", "shipped"), Order("S-2", "shipped")]);
        // A-2 has no cost (0): its line's own cost stays.
        await ingest.UpsertProductsAsync([new ProductMasterRow(1, "A-2", "Gift")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 2), Line("S-1", 2, 1), Line("S-2", 1, 3), Line("S-2", 2, 1, sku: "A-2", unitCost: 3m)]);
        await ingest.UpsertProductsAsync([new ProductMasterRow(1, "A-1", "Mug") { UnitCost = 20m }]);
        // Each order as text, and whether every line and order of the day agrees with the question asked in SQL: a line at its product's cost
        // in CNY at the order date, an order's cost the sum of its lines and its gross profit revenue less that cost.
        Task<string?> StateAsync() => db.ScalarAsync<string>("""
            SELECT string_agg(o.order_no || ':' || o.cost_amount_cny || ':' || o.gross_profit_cny || ':'
                              || (SELECT string_agg(i.unit_cost::text, '/' ORDER BY i.line_no) FROM dw.fact_order_items AS i
                                  WHERE i.merchant_id = o.merchant_id AND i.order_id = o.order_id AND i.order_date = o.order_date)
                              || ':' || (o.cost_amount_cny = (SELECT sum(i.cost_amount) FROM dw.fact_order_items AS i
                                                              WHERE i.merchant_id = o.merchant_id AND i.order_id = o.order_id AND i.order_date = o.order_date)
                                         AND o.gross_profit_cny = o.gmv_cny - o.cost_amount_cny
                                         AND NOT EXISTS (SELECT 1 FROM dw.fact_order_items AS i JOIN dw.dim_products AS p USING (merchant_id, product_id)
                                                         CROSS JOIN LATERAL dw.product_cost_cny(p.unit_cost, p.cost_currency::text, i.order_date) AS c
                                                         WHERE i.merchant_id = o.merchant_id AND i.order_id = o.order_id AND i.order_date = o.order_date
                                                           AND p.unit_cost > 0 AND i.unit_cost <> c.unit_cost)),
                              ',' ORDER BY o.order_no)
            FROM dw.fact_sales_orders AS o WHERE o.order_no IN ('S-1', 'S-2')
            """);
        var booked = await StateAsync();
        var stock = await MovementsAsync(db);
        string[] Recost(params string[] args) => ["post", "--recost", "--merchant", "1", .. args, "--connection", db.ConnectionString, "--format", "json"];

        var one = await CliRun.RunAsync(Recost("--order-no", "S-1"));
        var afterOne = await StateAsync();
        var unknown = await CliRun.RunAsync(Recost("--order-no", "S-9"));
        var alone = await CliRun.RunAsync("post", "--order-no", "S-1", "--connection", db.ConnectionString, "--format", "json");
        var day = await CliRun.RunAsync(Recost("--from", "2026-03-05", "--to", "2026-03-05"));
        var books = await BooksAsync(db);
        var again = await new ErpDatabase(db.DataSource).RecostAsync(1, new DateOnly(2026, 3, 5), new DateOnly(2026, 3, 5));
        var posted = await new ErpDatabase(db.DataSource).PostAsync();

        Assert.Equal("S-1:37.50:672.50:12.5000/12.5000:false,S-2:40.50:669.50:12.5000/3.0000:false", booked);
        Assert.Equal(0, one.ExitCode);
        var data = one.Json().GetProperty("data");
        Assert.Equal((1, 2, 1), (data.GetProperty("orders").GetInt32(), data.GetProperty("lines").GetInt32(), data.GetProperty("ordersCosted").GetInt32()));
        Assert.Equal("S-1:60.00:650.00:20.0000/20.0000:true,S-2:40.50:669.50:12.5000/3.0000:false", afterOne);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--order-no S-9 is not an order", unknown.Output + unknown.Error);
        Assert.Equal(2, alone.ExitCode);
        Assert.Equal(0, day.ExitCode);
        Assert.Equal(1, day.Json().GetProperty("data").GetProperty("lines").GetInt32());
        Assert.Equal("S-1:60.00:650.00:20.0000/20.0000:true,S-2:63.00:647.00:20.0000/3.0000:true", await StateAsync());
        // Positions and movements are not re-costed: the stock is what it was.
        Assert.Equal(stock, await MovementsAsync(db));
        Assert.True(again.NothingChanged, again.ToString());
        Assert.True(posted.NothingChanged, posted.ToString());
        Assert.Equal(books, await BooksAsync(db));

        // A cost in a currency without a rate on the order date cannot be valued in CNY: the run fails naming it and saves nothing.
        await ingest.UpsertProductsAsync([new ProductMasterRow(1, "A-1", "Mug") { UnitCost = 3m, CostCurrency = "GBP" }]);
        var state = await StateAsync();
        var noRate = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => new ErpDatabase(db.DataSource).RecostAsync(1));
        Assert.Contains("sku A-1 costs in GBP and dw.fact_exchange_rates has no GBP rate from 2026-02-02 to 2026-03-05 (it has none before)", noRate.MessageText, StringComparison.Ordinal);
        Assert.Equal(state, await StateAsync());
    }

    [Fact]
    public async Task A_corrected_product_cost_leaves_booked_lines_at_their_cost_until_a_line_is_imported_with_one()
    {
        await using var db = await IngestSample.CreateAsync();
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertOrdersAsync([Order("S-1", "shipped")]);
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 2)]);
        var booked = await db.ScalarAsync<string>("SELECT i.unit_cost || '|' || o.cost_amount_cny FROM dw.fact_order_items AS i JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) WHERE o.order_no = 'S-1'");

        await ingest.UpsertProductsAsync([new ProductMasterRow(1, "A-1", "Mug") { UnitCost = 20m }]);
        var reimported = await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 2)]);
        var posted = await new ErpDatabase(db.DataSource).PostAsync();
        var kept = await db.ScalarAsync<string>("SELECT i.unit_cost || '|' || o.cost_amount_cny FROM dw.fact_order_items AS i JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) WHERE o.order_no = 'S-1'");
        await ingest.UpsertOrderItemsAsync([Line("S-1", 1, 2, unitCost: 20m)]);

        Assert.Equal("12.5000|25.00", booked);
        Assert.Equal(1L, reimported.Unchanged);
        Assert.True(posted.NothingChanged, posted.ToString());
        Assert.Equal(booked, kept);
        Assert.Equal("20.0000|40.00", await db.ScalarAsync<string>("SELECT i.unit_cost || '|' || o.cost_amount_cny FROM dw.fact_order_items AS i JOIN dw.fact_sales_orders AS o USING (merchant_id, order_id, order_date) WHERE o.order_no = 'S-1'"));
    }
}
