namespace Erp.Db.Queries.Products;

/// <summary>The product list (sql/queries/products.sql) and its sort orders.</summary>
internal static class ProductSql
{
    public static string Page(ProductSort sort, SortDirection direction) =>
        QuerySql.Text("products", ("sort", $"{SortColumn(sort)} {Sql.Order(direction)}"));

    public static string[] Views { get; } = QuerySql.Views("products");

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
