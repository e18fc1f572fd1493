using Erp.Db.Ingest;
using Npgsql;

namespace Erp.Db.Bench.Scenarios;

/// <summary>
/// ingest.new: the ingest API loading orders that do not exist yet, against raw binary COPY into the
/// same indexed table (the floor). ingest.mixed: half new, half changed rows, against the usual application's
/// batches of 1,000 rows in multi-row INSERT ... ON CONFLICT DO UPDATE statements, with its floor: COPY into a temp
/// table and one hand-written INSERT ... ON CONFLICT of the same rows. ingest.posted: orders
/// and their lines through the ingest API in one call, which posts them (cost, units, stock, receivables,
/// expenses), against raw binary COPY of the same orders and lines (the baseline the goal names, which posts nothing) and against
/// the same work by hand (the floor: COPY of every row the load writes, movements included); ingest.posted.twoCalls: the same
/// orders and lines in a call each, which writes every order twice. ingest.posted.analyzedEmpty:
/// the same load after a VACUUM ANALYZE of the empty warehouse, against ingest.posted: the plans must not trust statistics that
/// say a table is empty while the batch fills it. ingest.unchanged: the stored rows imported again as they are, against its floor:
/// COPY into a temp table and one hand-written upsert that skips rows equal to the stored ones. ingest.single: one order with its
/// lines per call (<see cref="BenchSingleOrder"/>).
/// </summary>
internal sealed class IngestScenario : IScenario
{
    public string Name => "ingest";

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var rows = Math.Max(1_000, context.Orders / 5);
        // Each step runs in a database of its own, with the server at rest, dropped after it (BenchDatabase.TimeStepAsync).
        Task<TimeSpan> Step(string purpose, Func<NpgsqlDataSource, Task>? prepare, Func<NpgsqlDataSource, Task> step) =>
            BenchDatabase.TimeStepAsync(context, purpose, prepare, step);
        // A step of ours whose statements the log lists, timed one by one (the last of its tries).
        async Task<TimeSpan> LoggedStep(string result, string purpose, Func<NpgsqlDataSource, Task>? prepare, Func<NpgsqlDataSource, Task> step)
        {
            IReadOnlyList<StatementTimer.Statement> statements = [];
            var time = await Step(purpose, prepare, async db =>
            {
                using var timer = new StatementTimer();
                await step(db);
                statements = timer.Statements;
            });
            StatementTimer.Log(context.Log, result, statements);
            return time;
        }

        var copy = await Step("ing_copy", null, db => BenchOrders.CopyAsync(db, BenchOrders.Generate(0, rows)));
        var ingest = await LoggedStep("ingest.new", "ing_new", null, db => new Ingestor(db).UpsertOrdersAsync(BenchOrders.Generate(0, rows), cancellationToken));

        // Mixed: every side starts from the same rows; the batch changes the first half and adds as many new ones.
        var changed = BenchOrders.Generate(rows / 2, rows - rows / 2, gmvOffset: 1).Concat(BenchOrders.Generate(rows, rows / 2));
        // The stored rows vacuumed and analyzed, as autovacuum leaves a warehouse's stored rows (it would otherwise do it during
        // the timed step). Only the orders: a table analyzed while empty is planned as empty, whatever a batch then writes into it.
        async Task Stored(NpgsqlDataSource db)
        {
            await BenchOrders.CopyAsync(db, BenchOrders.Generate(0, rows));
            await Admin.ExecuteAsync(db, "VACUUM ANALYZE dw.fact_sales_orders", cancellationToken);
        }
        var batches = await Step("ing_batches", Stored, db => BenchOrders.MultiRowUpsertAsync(db, changed));
        var floor = await Step("ing_floor", Stored, db => BenchOrders.CopyThenUpsertAsync(db, changed));
        var mixed = await LoggedStep("ingest.mixed", "ing_mixed", Stored, db => new Ingestor(db).UpsertOrdersAsync(changed, cancellationToken));
        // Unchanged: the stored rows imported again as they are, as a daily export that overlaps the last one brings most rows back.
        var same = BenchOrders.Generate(0, rows);
        var unchangedFloor = await Step("ing_unchanged_floor", Stored, db => BenchOrders.CopyThenUpsertAsync(db, same, changedOnly: true));
        var unchanged = await Step("ing_unchanged", Stored, db => new Ingestor(db).UpsertOrdersAsync(same, cancellationToken));

        var orders = BenchOrders.Generate(0, rows).ToList();
        var lines = BenchOrderLines.Generate(orders).ToList();
        Task Catalog(NpgsqlDataSource db) => Admin.ExecuteAsync(db, BenchOrderLines.Catalog, cancellationToken);
        var linesCopy = await Step("ing_lines_copy", Catalog, db => BenchOrderLines.CopyAsync(db, orders));
        Task PostAsync(NpgsqlDataSource db) => new Ingestor(db).UpsertOrdersWithItemsAsync(orders, lines, cancellationToken);
        async Task PostInTwoCallsAsync(NpgsqlDataSource db)
        {
            var ingestor = new Ingestor(db);
            await ingestor.UpsertOrdersAsync(orders, cancellationToken);
            await ingestor.UpsertOrderItemsAsync(lines, cancellationToken);
        }
        var postedFloor = await Step("ing_posted_floor", Catalog, db => BenchOrderLines.CopyPostedAsync(db, orders));
        var posted = await LoggedStep("ingest.posted", "ing_posted", Catalog, PostAsync);
        var postedInTwoCalls = await Step("ing_posted_two", Catalog, PostInTwoCallsAsync);
        // The same load after a VACUUM ANALYZE of the empty warehouse (what a DBA may run after a migrate, and the state of a new
        // month's partition analyzed while empty): every fact is then planned as empty, whatever the batch writes into it.
        var postedAnalyzed = await Step("ing_posted_an", async db =>
        {
            await Catalog(db);
            await Admin.ExecuteAsync(db, "VACUUM ANALYZE", cancellationToken);
        }, PostAsync);
        double PostedRowsPerSecond(TimeSpan t) => (orders.Count + lines.Count) / t.TotalSeconds;
        var (single, singleFloor) = await BenchSingleOrder.MeasureAsync(context, Math.Clamp(rows / 1_000, 20, 200), cancellationToken);

        double RowsPerSecond(TimeSpan t) => rows / t.TotalSeconds;
        return
        [
            BenchResult.Compare("ingest.new", RowsPerSecond(ingest), "rows/s", "raw binary COPY into the indexed table", RowsPerSecond(copy), ">= 0.7"),
            BenchResult.Compare("ingest.mixed", RowsPerSecond(mixed), "rows/s", "1,000-row multi-row INSERT ... ON CONFLICT (app batches)", RowsPerSecond(batches), "floorRatio >= 0.9")
                .WithFloor("COPY into a temp table + one hand-written INSERT ... ON CONFLICT (no checks, no posting)", RowsPerSecond(floor)),
            BenchResult.Compare("ingest.unchanged", RowsPerSecond(unchanged), "rows/s",
                "COPY into a temp table + one hand-written INSERT ... ON CONFLICT DO UPDATE ... WHERE IS DISTINCT FROM (no checks, no posting)", RowsPerSecond(unchangedFloor)),
            BenchResult.Compare("ingest.posted", PostedRowsPerSecond(posted), "rows/s", "raw binary COPY of the same orders and lines (no posting)", PostedRowsPerSecond(linesCopy), ">= 0.5")
                .WithFloor("raw binary COPY of every row the load writes: the orders with their totals, the lines, a stock movement per line; positions and alerts by one INSERT each (no checks)", PostedRowsPerSecond(postedFloor)),
            BenchResult.Compare("ingest.posted.twoCalls", PostedRowsPerSecond(postedInTwoCalls), "rows/s", "ingest.posted: orders and lines in one call", PostedRowsPerSecond(posted)),
            BenchResult.Compare("ingest.single.p50", single.P50Ms, "ms",
                "the same order and lines by two hand-written INSERTs in one transaction (no checks, no posting)", singleFloor.P50Ms),
            BenchResult.Compare("ingest.posted.analyzedEmpty", PostedRowsPerSecond(postedAnalyzed), "rows/s", "ingest.posted: the same load into a warehouse never analyzed", PostedRowsPerSecond(posted), ">= 0.8"),
        ];
    }
}
