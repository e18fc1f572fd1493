using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>traffic: file columns of <see cref="TrafficRow"/>.</summary>
internal static class TrafficCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<TrafficRow>("traffic", "dw.fact_traffic_funnel",
    [
        .. KeyColumns.Merchant,
        .. KeyColumns.Shop,
        new("traffic_date", true, "yyyy-mm-dd"),
        new("visitors", false, "default 0"),
        new("unique_visitors", false, "at most visitors, default 0"),
        new("page_views", false, "default 0"),
        new("add_to_cart", false, "default 0"),
        new("checkout", false, "default 0"),
        new("orders", false, "default 0"),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertTrafficAsync(rows, ct));

    private static TrafficRow Map(CsvRecord r)
    {
        var row = new TrafficRow(r.LongOrNull("merchant_id") ?? 0, r.LongOrNull("shop_id") ?? 0, r.Date("traffic_date"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            ShopCode = r.TextOrNull("shop_code"),
            Visitors = r.IntOrNull("visitors") ?? row.Visitors,
            UniqueVisitors = r.IntOrNull("unique_visitors") ?? row.UniqueVisitors,
            PageViews = r.IntOrNull("page_views") ?? row.PageViews,
            AddToCart = r.IntOrNull("add_to_cart") ?? row.AddToCart,
            Checkout = r.IntOrNull("checkout") ?? row.Checkout,
            Orders = r.IntOrNull("orders") ?? row.Orders,
        };
    }
}
