using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>The conversion funnel per shop and day into dw.fact_traffic_funnel, keyed (merchant_id, shop_id, traffic_date); the rates are generated.</summary>
internal static class TrafficEntity
{
    public static readonly IngestPlan<TrafficRow> Plan = new("traffic", new EntityDefinition<TrafficRow>
    {
        Table = "dw.fact_traffic_funnel",
        Fields =
        [
            Field.Id<TrafficRow>("merchant_id", r => r.MerchantId),
            Field.Text<TrafficRow>("merchant_code", r => r.MerchantCode),
            Field.Id<TrafficRow>("shop_id", r => r.ShopId),
            Field.Text<TrafficRow>("shop_code", r => r.ShopCode),
            Field.Date<TrafficRow>("traffic_date", r => r.TrafficDate),
            Field.Integer<TrafficRow>("visitors", r => r.Visitors),
            Field.Integer<TrafficRow>("unique_visitors", r => r.UniqueVisitors),
            Field.Integer<TrafficRow>("page_views", r => r.PageViews),
            Field.Integer<TrafficRow>("add_to_cart", r => r.AddToCart),
            Field.Integer<TrafficRow>("checkout", r => r.Checkout),
            Field.Integer<TrafficRow>("orders", r => r.Orders),
        ],
        KeyFields = ["merchant_id", "shop_id", "traffic_date"],
        Columns = [.. new[] { "merchant_id", "shop_id", "traffic_date", "visitors", "unique_visitors", "page_views", "add_to_cart", "checkout", "orders" }.Select(TargetColumn.Same)],
        ConflictColumns = ["merchant_id", "shop_id", "traffic_date"],
        Resolve = [NaturalKeys.ResolveMerchant, NaturalKeys.ResolveShop],
        Checks =
        [
            .. NaturalKeys.Merchant(),
            .. NaturalKeys.Shop("fact_traffic_funnel_shop_fkey"),
            RowCheck.BusinessDate("traffic_date"),
            RowCheck.RateBelow1000("add_to_cart", "visitors", "cart_rate"),
            RowCheck.RateBelow1000("checkout", "add_to_cart", "checkout_rate"),
            RowCheck.RateBelow1000("orders", "visitors", "order_rate"),
        ],
    });
}
