using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>stock-counts: CSV columns of <see cref="StockCountRow"/>.</summary>
internal static class StockCountsCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<StockCountRow>("stock-counts", "dw.fact_stock_counts",
    [
        .. KeyColumns.Merchant,
        new("sku", true, "the merchant's SKU"),
        new("counted_quantity", true, "units found, not negative"),
        new("counted_at", true, "timestamp of the count, or its day alone (read as 23:59:59 that day in the merchant's time zone, or in --time-zone: after the day's shipments); not later than now, so today's count needs its time"),
        new("warehouse_code", false, "default the merchant's shipping warehouse ('default' unless set)"),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertStockCountsAsync(rows, ct));

    private static StockCountRow Map(CsvRecord r)
    {
        var row = new StockCountRow(r.LongOrNull("merchant_id") ?? 0, r.Text("sku"), r.Int("counted_quantity"), r.TimestampOrDayEnd("counted_at"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            WarehouseCode = r.TextOrNull("warehouse_code"),
            CountedOn = r.DayWithoutZone("counted_at"),
        };
    }
}
