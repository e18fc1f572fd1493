namespace Erp.Db.Queries.Products;

/// <summary>The SQL of the product list, over the reader view <c>mart.product_management</c>.</summary>
internal static class ProductSql
{
    /// <summary>Each listing's latest day (is_latest, partially indexed), filtered; every value is a parameter.</summary>
    private const string Filtered = """
        WITH filtered AS (
            SELECT pm.*
              FROM mart.product_management AS pm
             WHERE pm.is_latest
               AND (@platform::text IS NULL OR pm.platform_code = @platform)
               AND (@category_id::bigint IS NULL OR pm.category_id = @category_id)
               AND (@status::text IS NULL OR pm.listing_status = @status)
               AND (@stock_status::text IS NULL OR pm.stock_status = @stock_status)
               AND (@min_price::numeric IS NULL OR pm.price_cny >= @min_price)
               AND (@max_price::numeric IS NULL OR pm.price_cny <= @max_price)
               AND (@keyword::text IS NULL OR pm.sku ILIKE @keyword ESCAPE '\' OR pm.product_name ILIKE @keyword ESCAPE '\')
        )
        """;

    public static string Page(ProductSort sort, SortDirection direction) => $"""
        {Filtered}
        SELECT product_id AS productid, sku, product_name AS name, category_name AS category, shop_id AS shopid,
               platform_code AS platform, metric_date AS metricdate, price_cny AS price, stock, stock_status AS stockstatus,
               sales_volume AS salesvolume, estimated_revenue_cny AS revenue, page_views AS pageviews, visitors,
               rating, listing_status AS listingstatus
          FROM filtered
         ORDER BY {SortColumn(sort)} {Sql.Order(direction)} NULLS LAST, product_id, shop_id
         LIMIT @limit OFFSET @offset;
        {Filtered}
        SELECT count(*) FROM filtered
        """;

    private static string SortColumn(ProductSort sort) => sort switch
    {
        ProductSort.Sales => "sales_volume",
        ProductSort.Price => "price_cny",
        ProductSort.Stock => "stock",
        ProductSort.Rating => "rating",
        ProductSort.Views => "page_views",
        ProductSort.Conversion => "conversion_rate",
        ProductSort.Sku => "sku",
        _ => "estimated_revenue_cny",
    };
}
