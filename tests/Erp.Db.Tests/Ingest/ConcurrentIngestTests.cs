using Erp.Db.Ingest;
using Erp.Db.Tests.Infrastructure;
using Npgsql;

namespace Erp.Db.Tests.Ingest;

/// <summary>Ingest inserts new keys by plain INSERT; a key another transaction stores meanwhile must still end as one updated row.</summary>
public class ConcurrentIngestTests
{
    [Fact]
    public async Task An_order_another_writer_stores_while_the_batch_runs_is_updated_once_and_the_rest_inserted()
    {
        await using var db = await IngestSample.CreateAsync();
        await using var other = await db.DataSource.OpenConnectionAsync();
        await using var otherTransaction = await other.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO dw.fact_sales_orders (merchant_id, shop_id, order_no, order_date, ordered_at, gmv, status, currency_code, exchange_rate)
            VALUES (1, 10, 'C-1', '2026-03-05', '2026-03-05T01:30:00Z', 5, 'paid', 'USD', 7.1)
            """, other, otherTransaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        // The batch does not see the other writer's row yet: its INSERT of C-1 waits on the key, then collides once that commits.
        var ingest = new Ingestor(db.DataSource).UpsertOrdersAsync([IngestSample.Order("C-1", 12m), IngestSample.Order("C-2", 20m)]);
        await db.WaitUntilASessionWaitsOnALockAsync("The ingest behind the other writer's lock");
        await otherTransaction.CommitAsync();
        var result = await ingest;

        Assert.Equal((1L, 1L, 0L), (result.Inserted, result.Updated, result.Unchanged));
        Assert.Equal("C-1 12.00|C-2 20.00", await db.ScalarAsync<string>(
            "SELECT string_agg(order_no || ' ' || gmv, '|' ORDER BY order_no) FROM dw.fact_sales_orders WHERE order_no LIKE 'C-%'"));
    }

    [Fact]
    public async Task Writers_sharing_one_ingestor_send_overlapping_orders_with_lines_at_once_and_none_fails()
    {
        // docs/library.md: an app ingests from several threads through its one ErpDatabase. Batches naming the same orders in
        // other orders (with new quantities) wait for each other's keys; none deadlocks, and each order ends posted from its lines.
        // Half the writers update their stored orders by UPDATE, as a large batch does, which locks them in its join's order: the
        // merchant's ingest lock, theirs alone, keeps them from deadlocking with the others (docs/batch-plans.md).
        await using var db = await IngestSample.CreateAsync();
        var byUpsert = new Ingestor(db.DataSource);
        var byUpdate = byUpsert.With(new IngestOptions { UpdateStoredMinRows = 1 });
        var numbers = Enumerable.Range(1, 20).Select(i => $"W-{i:00}").ToArray();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            var random = new Random(writer);
            var ingest = writer % 2 == 0 ? byUpsert : byUpdate;
            for (var batch = 0; batch < 4; batch++)
            {
                var orders = numbers.OrderBy(_ => random.Next()).Take(12).ToList();
                var lines = orders.SelectMany(no => new[] { IngestSample.Item(no, 1, random.Next(1, 5)), IngestSample.Item(no, 2, random.Next(1, 5)) });
                await ingest.UpsertOrdersWithItemsAsync(orders.Select(no => IngestSample.Order(no, 50m)), lines);
            }
        })));

        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*) FROM dw.fact_sales_orders AS o
            LEFT JOIN LATERAL (SELECT sum(i.quantity)::int AS units, sum(i.cost_amount) AS cost, count(*) AS lines FROM dw.fact_order_items AS i
                               WHERE i.merchant_id = o.merchant_id AND i.order_id = o.order_id AND i.order_date = o.order_date) AS l ON true
            WHERE o.order_no LIKE 'W-%' AND (l.lines <> 2 OR (o.item_count, o.cost_amount_cny) IS DISTINCT FROM (l.units, l.cost))
            """));
        Assert.Equal("20|20", await db.ScalarAsync<string>(
            "SELECT count(*) || '|' || count(DISTINCT order_no) FROM dw.fact_sales_orders WHERE order_no LIKE 'W-%'"));
    }

    [Fact]
    public async Task A_reader_can_neither_take_a_merchants_ingest_lock_nor_hold_up_its_ingest()
    {
        // docs/security.md, "Availability": the lock is a row lock only writers can take (ops.lock_merchant_ingest). The reader also
        // holds the advisory key the lock was before migration 0085, with which any login could stall another merchant's imports.
        await using var db = await IngestSample.CreateAsync();
        await using var reader = await TestLogin.CreateAsync(db, "erp_reader");
        await using var writer = await TestLogin.CreateAsync(db, "erp_writer");
        await using var squatter = await reader.DataSource.OpenConnectionAsync();
        await using (var squat = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended('erpdb.ingest', 1))", squatter))
        {
            await squat.ExecuteNonQueryAsync();
        }
        foreach (var take in new[] { "SELECT ops.lock_merchant_ingest(ARRAY[1::bigint], true)", "SELECT 1 FROM ops.ingest_locks FOR SHARE" })
        {
            await using var command = new NpgsqlCommand(take, squatter);
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync())).SqlState);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var byUpsert = new Ingestor(writer.DataSource);
        var byUpdate = byUpsert.With(new IngestOptions { UpdateStoredMinRows = 1 });
        Assert.Equal(1L, (await byUpsert.UpsertOrdersAsync([IngestSample.Order("R-1", 10m)], timeout.Token)).Inserted);
        Assert.Equal(1L, (await byUpdate.UpsertOrdersAsync([IngestSample.Order("R-1", 11m)], timeout.Token)).Updated);

        Assert.Equal("R-1 11.00", await db.ScalarAsync<string>("SELECT order_no || ' ' || gmv FROM dw.fact_sales_orders WHERE order_no = 'R-1'"));
    }
}
