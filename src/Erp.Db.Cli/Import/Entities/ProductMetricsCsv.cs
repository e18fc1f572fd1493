using Erp.Db.Ingest;

namespace Erp.Db.Cli.Import.Entities;

/// <summary>product-metrics: CSV columns of <see cref="ProductMetricRow"/>.</summary>
internal static class ProductMetricsCsv
{
    public static readonly ImportEntity Entity = new ImportEntityOf<ProductMetricRow>("product-metrics", "dw.fact_product_metrics",
    [
        .. KeyColumns.Merchant,
        .. KeyColumns.Shop,
        new("sku", true, "merchant SKU of the product"),
        new("metric_date", true, "day, yyyy-mm-dd"),
        new("currency_code", false, "default the shop's currency; a stored row keeps its own when the file has no currency_code column"),
        new("exchange_rate", false, "CNY per unit; default the metric date's rate of its currency from dw.fact_exchange_rates (1 for CNY)"),
        new("price", false, "listing price, default 0"),
        new("stock", false, "default 0"),
        new("sales_volume", false, "units sold, default 0"),
        new("sales_amount", false, "default 0"),
        new("page_views", false, "default 0"),
        new("visitors", false, "default 0"),
        new("rating", false, "0..5, empty without reviews"),
        new("review_count", false, "default 0"),
        new("listing_status", false, "active (default), inactive, out_of_stock, banned, deleted"),
    ],
    Map,
    (ingestor, rows, ct) => ingestor.UpsertProductMetricsAsync(rows, ct));

    private static ProductMetricRow Map(CsvRecord r)
    {
        var row = new ProductMetricRow(r.LongOrNull("merchant_id") ?? 0, r.LongOrNull("shop_id") ?? 0, r.Text("sku"), r.Date("metric_date"));
        return row with
        {
            MerchantCode = r.TextOrNull("merchant_code"),
            ShopCode = r.TextOrNull("shop_code"),
            CurrencyCode = r.TextOrNull("currency_code") ?? row.CurrencyCode,
            ExchangeRate = r.DecimalOrNull("exchange_rate") ?? row.ExchangeRate,
            Price = r.DecimalOrNull("price") ?? row.Price,
            Stock = r.IntOrNull("stock") ?? row.Stock,
            SalesVolume = r.IntOrNull("sales_volume") ?? row.SalesVolume,
            SalesAmount = r.DecimalOrNull("sales_amount") ?? row.SalesAmount,
            PageViews = r.IntOrNull("page_views") ?? row.PageViews,
            Visitors = r.IntOrNull("visitors") ?? row.Visitors,
            Rating = r.DecimalOrNull("rating"),
            ReviewCount = r.IntOrNull("review_count") ?? row.ReviewCount,
            ListingStatus = r.TextOrNull("listing_status") ?? row.ListingStatus,
        };
    }
}
