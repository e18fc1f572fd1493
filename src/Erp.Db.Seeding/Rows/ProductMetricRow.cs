using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>A row of dw.fact_product_metrics.</summary>
/// <param name="MerchantId">Owner.</param>
/// <param name="ShopId">Shop of the listing.</param>
/// <param name="ProductId">Product.</param>
/// <param name="MetricDate">Day.</param>
/// <param name="CurrencyCode">Currency of price and sales.</param>
/// <param name="ExchangeRate">CNY per unit of the currency that day.</param>
/// <param name="Price">Listing price.</param>
/// <param name="Stock">Stock shown on the listing.</param>
/// <param name="SalesVolume">Units sold that day.</param>
/// <param name="SalesAmount">Sales that day.</param>
/// <param name="PageViews">Page views.</param>
/// <param name="Visitors">Visitors.</param>
/// <param name="Rating">Average rating 0..5, null without reviews.</param>
/// <param name="ReviewCount">Reviews so far.</param>
/// <param name="ListingStatus">active, inactive or out_of_stock.</param>
internal sealed record ProductMetricRow(
    long MerchantId, long ShopId, long ProductId, DateOnly MetricDate, string CurrencyCode, decimal ExchangeRate, decimal Price,
    int Stock, int SalesVolume, decimal SalesAmount, int PageViews, int Visitors, decimal? Rating, int ReviewCount, string ListingStatus)
    : ICopyRow<ProductMetricRow>
{
    static string ICopyRow<ProductMetricRow>.Table => "dw.fact_product_metrics";

    static string ICopyRow<ProductMetricRow>.CopyCommand =>
        "COPY dw.fact_product_metrics (merchant_id, shop_id, product_id, metric_date, currency_code, exchange_rate, price, stock, "
        + "sales_volume, sales_amount, page_views, visitors, rating, review_count, listing_status) FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<ProductMetricRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(MerchantId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(ShopId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(ProductId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(MetricDate, NpgsqlDbType.Date, ct);
        await w.WriteAsync(CurrencyCode, NpgsqlDbType.Char, ct);
        await w.WriteAsync(ExchangeRate, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(Price, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(Stock, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(SalesVolume, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(SalesAmount, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(PageViews, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(Visitors, NpgsqlDbType.Integer, ct);
        await w.WriteNullableAsync(Rating, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(ReviewCount, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(ListingStatus, NpgsqlDbType.Text, ct);
    }
}
