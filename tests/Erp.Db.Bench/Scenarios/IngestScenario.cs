using Erp.Db.Ingest;

namespace Erp.Db.Bench.Scenarios;

/// <summary>
/// ingest.new: the ingest API loading orders that do not exist yet, against raw binary COPY into the
/// same indexed table (the floor). ingest.mixed: half new, half changed rows, against the usual application's
/// batches of 1,000 rows in multi-row INSERT ... ON CONFLICT DO UPDATE statements, with its floor: COPY into a temp
/// table and one hand-written INSERT ... ON CONFLICT of the same rows. ingest.posted: orders
/// and their lines through the ingest API, which posts them (cost, units, stock, receivables,
/// expenses), against raw binary COPY of the same orders and lines (the floor, which posts nothing).
/// </summary>
internal sealed class IngestScenario : IScenario
{
    public string Name => "ingest";

    public async Task<IReadOnlyList<BenchResult>> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var rows = Math.Max(1_000, context.Orders / 5);

        await using var copyDb = await BenchDatabase.CreateAsync(context, "ing_copy");
        var copy = await Timing.TimeAsync(() => BenchOrders.CopyAsync(copyDb, BenchOrders.Generate(0, rows)));
        await using var ingestDb = await BenchDatabase.CreateAsync(context, "ing_new");
        var ingest = await Timing.TimeAsync(() => new Ingestor(ingestDb).UpsertOrdersAsync(BenchOrders.Generate(0, rows), cancellationToken));

        // Mixed: both start from the same rows; the batch changes the first half and adds as many new ones.
        var changed = BenchOrders.Generate(rows / 2, rows - rows / 2, gmvOffset: 1).Concat(BenchOrders.Generate(rows, rows / 2));
        await using var batchesDb = await BenchDatabase.CreateAsync(context, "ing_batches");
        await BenchOrders.CopyAsync(batchesDb, BenchOrders.Generate(0, rows));
        var batches = await Timing.TimeAsync(() => BenchOrders.MultiRowUpsertAsync(batchesDb, changed));
        await using var floorDb = await BenchDatabase.CreateAsync(context, "ing_floor");
        await BenchOrders.CopyAsync(floorDb, BenchOrders.Generate(0, rows));
        var floor = await Timing.TimeAsync(() => BenchOrders.CopyThenUpsertAsync(floorDb, changed));
        await using var mixedDb = await BenchDatabase.CreateAsync(context, "ing_mixed");
        await BenchOrders.CopyAsync(mixedDb, BenchOrders.Generate(0, rows));
        var mixed = await Timing.TimeAsync(() => new Ingestor(mixedDb).UpsertOrdersAsync(changed, cancellationToken));

        var orders = BenchOrders.Generate(0, rows).ToList();
        var lines = BenchOrderLines.Generate(orders).ToList();
        await using var linesCopyDb = await BenchDatabase.CreateAsync(context, "ing_lines_copy");
        await Admin.ExecuteAsync(linesCopyDb, BenchOrderLines.Catalog, cancellationToken);
        var linesCopy = await Timing.TimeAsync(() => BenchOrderLines.CopyAsync(linesCopyDb, orders));
        await using var postedDb = await BenchDatabase.CreateAsync(context, "ing_posted");
        await Admin.ExecuteAsync(postedDb, BenchOrderLines.Catalog, cancellationToken);
        var posted = await Timing.TimeAsync(async () =>
        {
            var ingestor = new Ingestor(postedDb);
            await ingestor.UpsertOrdersAsync(orders, cancellationToken);
            await ingestor.UpsertOrderItemsAsync(lines, cancellationToken);
        });
        double PostedRowsPerSecond(TimeSpan t) => (orders.Count + lines.Count) / t.TotalSeconds;

        double RowsPerSecond(TimeSpan t) => rows / t.TotalSeconds;
        return
        [
            BenchResult.Compare("ingest.new", RowsPerSecond(ingest), "rows/s", "raw binary COPY into the indexed table", RowsPerSecond(copy), ">= 0.7"),
            BenchResult.Compare("ingest.mixed", RowsPerSecond(mixed), "rows/s", "1,000-row multi-row INSERT ... ON CONFLICT (app batches)", RowsPerSecond(batches), "floorRatio >= 0.9")
                .WithFloor("COPY into a temp table + one hand-written INSERT ... ON CONFLICT (no checks, no posting)", RowsPerSecond(floor)),
            BenchResult.Compare("ingest.posted", PostedRowsPerSecond(posted), "rows/s", "raw binary COPY of the same orders and lines (no posting)", PostedRowsPerSecond(linesCopy), ">= 0.5"),
        ];
    }
}
