using Erp.Db.Ingest;
using Erp.Db.Migrations;
using Erp.Db.Queries;
using Erp.Db.Queries.Products;
using Erp.Db.Queries.Sales;
using Erp.Db.Queries.Trends;
using Erp.Db.Tests.Cli;
using Erp.Db.Tests.Infrastructure;
using Erp.Db.Tests.Ingest;
using Erp.Db.Tests.Queries;
using static Erp.Db.Tests.Posting.PostingSample;

namespace Erp.Db.Tests.Faults;

/// <summary>
/// Many runs at once: migrations serialize on their lock; readers never fail while views refresh; writers posting orders of the
/// same products never fail and leave the books as posting them one by one would.
/// </summary>
public class ConcurrencyTests
{
    /// <summary>
    /// An application posting orders as they arrive from several workers: each call one order with lines of the same two products,
    /// taken in opposite orders by half the workers (what would deadlock on row locks taken in call order).
    /// </summary>
    [Fact]
    public async Task Four_workers_posting_orders_of_the_same_products_all_succeed_and_the_books_add_up()
    {
        await using var db = await IngestSample.CreateAsync();
        await db.ExecuteAsync("INSERT INTO dw.dim_products (product_id, merchant_id, sku, product_name, unit_cost) VALUES (300, 1, 'A-2', 'Plate', 4)");
        var ingest = new Ingestor(db.DataSource);
        await ingest.UpsertInventoryAsync([new(1, "A-1", 50), new(1, "A-2", 50)]);

        var statuses = new[] { "paid", "completed", "processing", "shipped", "cancelled" };
        var failures = await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            var errors = new List<string>();
            for (var call = 0; call < 10; call++)
            {
                var no = $"W{worker}-{call}";
                var (first, second) = worker % 2 == 0 ? ("A-1", "A-2") : ("A-2", "A-1");
                try
                {
                    await ingest.UpsertOrdersWithItemsAsync([Order(no, statuses[call % statuses.Length])], [Line(no, 1, 1 + call % 3, first), Line(no, 2, 2, second)]);
                }
                catch (Exception e)
                {
                    errors.Add($"{no}: {e.Message}");
                }
            }
            return errors;
        })));

        Assert.Empty(failures.SelectMany(f => f));
        Assert.Equal(40L, await db.ScalarAsync<long>("SELECT count(*) FROM dw.fact_sales_orders WHERE order_no LIKE 'W%'"));
        // Each line has exactly the movements its order's status asks for: reserved while paid or processing, shipped while
        // shipped or completed, nothing for cancelled (never posted otherwise, so nothing to release).
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*)
            FROM dw.fact_sales_orders AS o
            JOIN dw.fact_order_items AS i ON i.merchant_id = o.merchant_id AND i.order_id = o.order_id AND i.order_date = o.order_date
            CROSS JOIN LATERAL (
                SELECT coalesce(sum(t.quantity_change) FILTER (WHERE t.transaction_type IN ('reserve', 'release')), 0) AS reserved,
                       coalesce(-sum(t.quantity_change) FILTER (WHERE t.transaction_type IN ('sale_out', 'return_in')), 0) AS shipped
                FROM dw.fact_inventory_transactions AS t
                WHERE t.merchant_id = i.merchant_id AND t.order_id = i.order_id AND t.line_no = i.line_no) AS m
            WHERE o.order_no LIKE 'W%'
              AND (m.reserved <> CASE WHEN o.status IN ('paid', 'processing') THEN i.quantity ELSE 0 END
                   OR m.shipped <> CASE WHEN o.status IN ('shipped', 'completed') THEN i.quantity ELSE 0 END)
            """));
        // Each position is its opening stock moved by its movements: book balance (on hand - shortage) = 50 + the on-hand
        // movements, book reservation (reserved + short) = the reserve and release movements.
        Assert.Equal(0L, await db.ScalarAsync<long>("""
            SELECT count(*)
            FROM dw.fact_inventory AS f
            CROSS JOIN LATERAL (
                SELECT coalesce(sum(t.quantity_change) FILTER (WHERE t.transaction_type NOT IN ('reserve', 'release')), 0) AS on_hand,
                       coalesce(sum(t.quantity_change) FILTER (WHERE t.transaction_type IN ('reserve', 'release')), 0) AS reserved
                FROM dw.fact_inventory_transactions AS t
                WHERE t.merchant_id = f.merchant_id AND t.product_id = f.product_id AND t.warehouse_code = f.warehouse_code
                  AND t.order_id IS NOT NULL) AS m
            WHERE f.merchant_id = 1 AND f.product_id IN (100, 300)
              AND (f.quantity_on_hand - f.shortage_on_hand <> 50 + m.on_hand OR f.quantity_reserved + f.shortage_reserved <> m.reserved)
            """));
    }

    [Fact]
    public async Task Eight_concurrent_migrates_all_succeed_and_apply_each_script_once()
    {
        await using var db = await TestDatabase.CreateEmptyAsync();

        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            CliRun.RunAsync("migrate", "--connection", db.ConnectionString, "--format", "json"))));
        var verify = await CliRun.RunAsync("verify", "--connection", db.ConnectionString);

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Output + r.Error));
        // Each script was applied by exactly one of the runs; the others found nothing left to do.
        Assert.Equal(ScriptCatalog.Embedded().Scripts.Count, runs.Sum(r => r.Json().GetProperty("data").GetProperty("applied").GetArrayLength()));
        Assert.Equal(ScriptCatalog.Embedded().Scripts.Count, await db.ScalarAsync<long>("SELECT count(*) FROM ops.schema_journal"));
        Assert.Equal(0, await FaultChecks.DuplicateJournalRowsAsync(db));
        Assert.Equal(0, await FaultChecks.AdvisoryLocksAsync(db));
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    /// <summary>16 readers for 30 seconds while every view refreshes in a loop (latency is measured by the benchmark, not here).</summary>
    [Fact]
    public async Task Sixteen_readers_for_30_seconds_while_views_refresh_in_a_loop_see_no_error()
    {
        await using var fixture = await QueryFixture.CreateAsync();
        var erp = fixture.Erp;
        var merchant = (await erp.Queries.MerchantsAsync())[0].MerchantId;
        var period = Period.LastDays(60, QueryFixture.Today);
        Func<Task>[] queries =
        [
            () => erp.Queries.SalesAsync(new SalesQuery { MerchantId = merchant, Period = period, GroupBy = SalesGrouping.Day }),
            () => erp.Queries.ProductsAsync(new ProductQuery { MerchantId = merchant }),
            () => erp.Queries.TrendsAsync(new TrendQuery { MerchantId = merchant, Period = period, Grain = Granularity.Week }),
        ];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var refreshes = 0;
        var refresher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await fixture.Db.ExecuteAsync("CALL ops.refresh_all('fault-test', NULL)");
                refreshes++;
            }
        });
        var errors = new System.Collections.Concurrent.ConcurrentBag<string>();
        var reads = 0;
        var readers = Enumerable.Range(0, 16).Select(r => Task.Run(async () =>
        {
            for (var i = r; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    await queries[i % queries.Length]();
                    Interlocked.Increment(ref reads);
                }
                catch (Exception e)
                {
                    errors.Add(e.Message);
                }
            }
        }));

        await Task.WhenAll(readers);
        await refresher;

        Assert.Empty(errors);
        Assert.True(reads > 16, $"only {reads} reads");
        Assert.True(refreshes > 1, $"only {refreshes} refreshes");
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM ops.mv_refresh_log WHERE refresh_trigger = 'fault-test' AND status <> 'succeeded'"));
    }
}
