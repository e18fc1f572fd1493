using Erp.Db.Seeding.Loading;
using Npgsql;
using NpgsqlTypes;

namespace Erp.Db.Seeding.Rows;

/// <summary>A row of dw.fact_traffic_funnel (the rates are generated).</summary>
/// <param name="MerchantId">Owner.</param>
/// <param name="ShopId">Shop.</param>
/// <param name="TrafficDate">Day.</param>
/// <param name="Visitors">Visits.</param>
/// <param name="UniqueVisitors">Distinct visitors (at most visits).</param>
/// <param name="PageViews">Page views.</param>
/// <param name="AddToCart">Visits with an add-to-cart.</param>
/// <param name="Checkout">Visits that started checkout.</param>
/// <param name="Orders">Orders placed.</param>
internal sealed record TrafficFunnelRow(
    long MerchantId, long ShopId, DateOnly TrafficDate, int Visitors, int UniqueVisitors, int PageViews, int AddToCart, int Checkout, int Orders)
    : ICopyRow<TrafficFunnelRow>
{
    static string ICopyRow<TrafficFunnelRow>.Table => "dw.fact_traffic_funnel";

    static string ICopyRow<TrafficFunnelRow>.CopyCommand =>
        "COPY dw.fact_traffic_funnel (merchant_id, shop_id, traffic_date, visitors, unique_visitors, page_views, add_to_cart, "
        + "checkout, orders) FROM STDIN (FORMAT BINARY)";

    async Task ICopyRow<TrafficFunnelRow>.WriteAsync(NpgsqlBinaryImporter w, CancellationToken ct)
    {
        await w.WriteAsync(MerchantId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(ShopId, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(TrafficDate, NpgsqlDbType.Date, ct);
        await w.WriteAsync(Visitors, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(UniqueVisitors, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(PageViews, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(AddToCart, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(Checkout, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(Orders, NpgsqlDbType.Integer, ct);
    }
}
