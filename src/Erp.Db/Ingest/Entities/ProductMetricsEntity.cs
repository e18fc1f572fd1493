using Erp.Db.Ingest.Engine;

namespace Erp.Db.Ingest.Entities;

/// <summary>Daily product figures into dw.fact_product_metrics, keyed (merchant_id, shop_id, product of sku, metric_date).</summary>
internal static class ProductMetricsEntity
{
    /// <summary>A product's figures are in its shop's currency unless they say otherwise.</summary>
    private static readonly CurrencyRule Money = new("metric_date",
        "(dw.fact_product_metrics AS stored JOIN dw.dim_products AS stored_product ON stored_product.merchant_id = stored.merchant_id AND stored_product.product_id = stored.product_id) "
        + "ON stored.merchant_id = t.merchant_id AND stored.shop_id = t.shop_id AND stored_product.sku = t.sku AND stored.metric_date = t.metric_date",
        "dw.dim_shops", ["merchant_id", "shop_id"]);

    public static readonly IngestPlan<ProductMetricRow> Plan = new("product-metrics", new EntityDefinition<ProductMetricRow>
    {
        Table = "dw.fact_product_metrics",
        Fields =
        [
            Field.Id<ProductMetricRow>("merchant_id", r => r.MerchantId),
            Field.Text<ProductMetricRow>("merchant_code", r => r.MerchantCode),
            Field.Id<ProductMetricRow>("shop_id", r => r.ShopId),
            Field.Text<ProductMetricRow>("shop_code", r => r.ShopCode),
            Field.Text<ProductMetricRow>("sku", r => r.Sku),
            Field.Date<ProductMetricRow>("metric_date", r => r.MetricDate),
            Field.Text<ProductMetricRow>("currency_code", r => r.CurrencyCode),
            Field.Numeric<ProductMetricRow>("exchange_rate", r => r.ExchangeRate),
            Field.Numeric<ProductMetricRow>("price", r => r.Price),
            Field.Integer<ProductMetricRow>("stock", r => r.Stock),
            Field.Integer<ProductMetricRow>("sales_volume", r => r.SalesVolume),
            Field.Numeric<ProductMetricRow>("sales_amount", r => r.SalesAmount),
            Field.Integer<ProductMetricRow>("page_views", r => r.PageViews),
            Field.Integer<ProductMetricRow>("visitors", r => r.Visitors),
            Field.Numeric<ProductMetricRow>("rating", r => r.Rating),
            Field.Integer<ProductMetricRow>("review_count", r => r.ReviewCount),
            Field.Code<ProductMetricRow>("listing_status", r => r.ListingStatus),
        ],
        KeyFields = ["merchant_id", "shop_id", "sku", "metric_date"],
        Joins = """

                JOIN dw.dim_products AS p ON p.merchant_id = t.merchant_id AND p.sku = t.sku
            """,
        Columns =
        [
            TargetColumn.Same("merchant_id"),
            TargetColumn.Same("shop_id"),
            new("product_id", "p.product_id", ["sku"]),
            .. new[]
            {
                "metric_date", "price", "stock", "sales_volume", "sales_amount",
                "page_views", "visitors", "rating", "review_count", "listing_status",
            }.Select(TargetColumn.Same),
            .. Money.Columns,
        ],
        ConflictColumns = ["merchant_id", "shop_id", "product_id", "metric_date"],
        Resolve = [NaturalKeys.ResolveMerchant, NaturalKeys.ResolveShop],
        Currency = Money,
        Checks =
        [
            .. NaturalKeys.Merchant(),
            RowCheck.Required("sku"),
            RowCheck.BusinessDate("metric_date"),
            .. NaturalKeys.Shop("fact_product_metrics_shop_fkey"),
            References.Sku("fact_product_metrics_product_fkey"),
            .. Money.Checks("fact_product_metrics_currency_code_fkey", "fact_product_metrics_exchange_rate_positive"),
            RowCheck.RateBelow1000("sales_volume", "visitors", "conversion_rate"),
        ],
    });
}
