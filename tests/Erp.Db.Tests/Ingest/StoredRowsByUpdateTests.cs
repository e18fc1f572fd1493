using CsCheck;
using Erp.Db.Ingest;
using Erp.Db.Tests.Infrastructure;

namespace Erp.Db.Tests.Ingest;

/// <summary>
/// A large batch writes its stored orders by UPDATE, a small one by upsert (IngestPlan.UpdateStored): two ways to one result.
/// </summary>
public class StoredRowsByUpdateTests
{
    /// <summary>An order of a generated batch: which of a few numbers, its day (another day moves a stored order), amount, status, and whether it is invoiced.</summary>
    private static readonly Gen<(int No, int Day, decimal Gmv, string Status, bool Invoiced)> OrderInput = Gen.Select(
        Gen.Int[0, 7], Gen.Int[5, 6], Gen.Int[0, 2].Select(g => new[] { 10m, 20m, 35.5m }[g]),
        Gen.Int[0, 3].Select(s => new[] { "paid", "shipped", "completed", "cancelled" }[s]), Gen.Bool);

    /// <summary>A batch: its orders (by distinct numbers) and whether their lines come with them.</summary>
    private static readonly Gen<(int No, int Day, decimal Gmv, string Status, bool Invoiced)[]> Batch =
        OrderInput.Array[1, 8].Select(orders => orders.DistinctBy(o => o.No).ToArray());

    /// <summary>
    /// On generated sequences of batches (new orders, stored ones changed, unchanged or moved to another day, with or without their
    /// lines), two warehouses fed the same batches, one writing stored orders by UPDATE and one by upsert, report the same counts
    /// for every batch and end with the same orders, lines, stock movements and receivables.
    /// </summary>
    [Fact]
    public async Task Stored_orders_written_by_update_end_as_the_upsert_leaves_them()
    {
        await using var byUpdateDb = await IngestSample.CreateAsync();
        await using var byUpsertDb = await IngestSample.CreateAsync();
        var byUpdate = new Ingestor(byUpdateDb.DataSource).With(new IngestOptions { UpdateStoredMinRows = 1 });
        var byUpsert = new Ingestor(byUpsertDb.DataSource).With(new IngestOptions { UpdateStoredMinRows = long.MaxValue });
        var run = 0;

        await Gen.Select(Batch, Gen.Bool).Array[1, 5].SampleAsync(async batches =>
        {
            var prefix = $"U{++run}-";
            foreach (var (orders, withLines) in batches)
            {
                var rows = orders.Select(o => Order(prefix, o)).ToList();
                var lines = withLines ? orders.SelectMany(o => new[] { Line(prefix, o, 1), Line(prefix, o, 2) }).ToList() : [];
                Assert.Equal(await WriteAsync(byUpsert, rows, lines), await WriteAsync(byUpdate, rows, lines));
            }
            Assert.Equal(await SnapshotAsync(byUpsertDb, prefix), await SnapshotAsync(byUpdateDb, prefix));
        }, iter: 25, threads: 1, print: batches => string.Join(" / ", batches.Select(b => $"{(b.Item2 ? "lines " : "")}{string.Join(", ", b.Item1)}")));
    }

    private static OrderRow Order(string prefix, (int No, int Day, decimal Gmv, string Status, bool Invoiced) o) =>
        IngestSample.Order(prefix + o.No, o.Gmv) with
        {
            OrderDate = new DateOnly(2026, 3, o.Day),
            OrderedAt = new DateTimeOffset(2026, 3, o.Day, 9, 30, 0, TimeSpan.FromHours(8)),
            PaidAt = new DateTimeOffset(2026, 3, o.Day, 9, 35, 0, TimeSpan.FromHours(8)),
            Status = o.Status,
            IsInvoiced = o.Invoiced,
            InvoiceId = o.Invoiced ? $"INV-{prefix}{o.No}" : null,
        };

    private static OrderItemRow Line(string prefix, (int No, int Day, decimal Gmv, string Status, bool Invoiced) o, int lineNo) =>
        IngestSample.Item(prefix + o.No, lineNo, quantity: 1 + (int)o.Gmv % 3) with { OrderDate = new DateOnly(2026, 3, o.Day) };

    private static async Task<string> WriteAsync(Ingestor ingest, List<OrderRow> orders, List<OrderItemRow> lines)
    {
        if (lines.Count == 0)
        {
            var result = await ingest.UpsertOrdersAsync(orders);
            return $"{result.Inserted} {result.Updated} {result.Unchanged}";
        }
        var both = await ingest.UpsertOrdersWithItemsAsync(orders, lines);
        return $"{both.Orders.Inserted} {both.Orders.Updated} {both.Orders.Unchanged}; {both.Items.Inserted} {both.Items.Updated} {both.Items.Unchanged}";
    }

    /// <summary>The run's orders, their lines, stock movements and receivables as text, without surrogate keys and the times of writing.</summary>
    private static async Task<string?> SnapshotAsync(TestDatabase db, string prefix) => await db.ScalarAsync<string>($"""
        WITH o AS (SELECT * FROM dw.fact_sales_orders WHERE order_no LIKE '{prefix}%')
        SELECT concat_ws(E'\n---\n',
            (SELECT string_agg(r, E'\n' ORDER BY r) FROM (SELECT (to_jsonb(o) - 'order_id' - 'created_at' - 'updated_at')::text AS r FROM o) AS x),
            (SELECT string_agg(r, E'\n' ORDER BY r) FROM (SELECT o.order_no || ' ' || (to_jsonb(i) - 'order_item_id' - 'order_id' - 'created_at' - 'updated_at')::text AS r
                                                          FROM dw.fact_order_items AS i JOIN o USING (merchant_id, order_id, order_date)) AS x),
            (SELECT string_agg(r, E'\n' ORDER BY r) FROM (SELECT o.order_no || ' ' || (to_jsonb(t) - 'transaction_id' - 'order_id' - 'reference_no' - 'created_at' - 'updated_at' - 'occurred_at')::text AS r
                                                          FROM dw.fact_inventory_transactions AS t JOIN o ON o.merchant_id = t.merchant_id AND o.order_id = t.order_id) AS x),
            (SELECT string_agg(r, E'\n' ORDER BY r) FROM (SELECT o.order_no || ' ' || (to_jsonb(a) - 'receivable_id' - 'order_id' - 'created_at' - 'updated_at' - 'settled_at' - 'cancelled_at')::text AS r
                                                          FROM dw.fact_accounts_receivable AS a JOIN o ON o.merchant_id = a.merchant_id AND o.order_id = a.order_id) AS x))
        """);
}
