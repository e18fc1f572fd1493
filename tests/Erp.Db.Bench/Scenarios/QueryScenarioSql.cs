namespace Erp.Db.Bench.Scenarios;

/// <summary>The naive "before": the questions of the sales and product queries answered from the facts.</summary>
internal static class QueryScenarioSql
{
    public const string DashboardFromFacts = """
        SELECT coalesce(sum(gmv_cny), 0), count(*), coalesce(sum(gross_profit_cny), 0), coalesce(sum(net_profit_cny), 0),
               (SELECT coalesce(sum(p.gmv_cny), 0) FROM dw.fact_sales_orders AS p
                 WHERE p.merchant_id = @merchant AND p.order_date BETWEEN @previous_start AND @previous_end AND dw.is_valid_sale(p.status))
          FROM dw.fact_sales_orders
         WHERE merchant_id = @merchant AND order_date BETWEEN @start AND @end AND dw.is_valid_sale(status);
        SELECT order_date, sum(gmv_cny) FILTER (WHERE dw.is_valid_sale(status)), count(*) FILTER (WHERE dw.is_valid_sale(status))
          FROM dw.fact_sales_orders
         WHERE merchant_id = @merchant AND order_date BETWEEN @start AND @end
         GROUP BY order_date ORDER BY order_date;
        SELECT i.product_id, max(p.sku), max(p.product_name), sum(round(i.amount * o.exchange_rate, 2)) AS revenue,
               count(DISTINCT i.order_id), sum(i.quantity)
          FROM dw.fact_order_items AS i
          JOIN dw.fact_sales_orders AS o ON o.merchant_id = i.merchant_id AND o.order_id = i.order_id AND o.order_date = i.order_date
          JOIN dw.dim_products AS p ON p.merchant_id = i.merchant_id AND p.product_id = i.product_id
         WHERE o.merchant_id = @merchant AND o.order_date BETWEEN @start AND @end AND dw.is_valid_sale(o.status)
         GROUP BY i.product_id
         ORDER BY revenue DESC, i.product_id
         LIMIT @top
        """;

    /// <summary>Each listing's latest day of the last 90 days (DISTINCT ON, newest first), joined with its dimensions.</summary>
    private const string ProductsFiltered = """
        WITH latest AS (
            SELECT DISTINCT ON (m.shop_id, m.product_id) m.*
              FROM dw.fact_product_metrics AS m
             WHERE m.merchant_id = @merchant AND m.metric_date >= CURRENT_DATE - 90
             ORDER BY m.shop_id, m.product_id, m.metric_date DESC
        ), filtered AS (
            SELECT m.product_id, p.sku, p.product_name, c.category_name, m.shop_id, pl.platform_code, m.metric_date, m.price_cny,
                   m.stock, m.sales_volume, (m.sales_volume * m.price_cny) AS estimated_revenue_cny, m.page_views, m.visitors,
                   m.rating, m.listing_status
              FROM latest AS m
              JOIN dw.dim_shops AS s ON s.merchant_id = m.merchant_id AND s.shop_id = m.shop_id
              JOIN dw.dim_platforms AS pl ON pl.platform_id = s.platform_id
              JOIN dw.dim_products AS p ON p.merchant_id = m.merchant_id AND p.product_id = m.product_id
              LEFT JOIN dw.dim_categories AS c ON c.merchant_id = p.merchant_id AND c.category_id = p.category_id
             WHERE @platform::text IS NULL OR pl.platform_code = @platform
        )
        """;

    public const string ProductsFromFacts = $"""
        {ProductsFiltered}
        SELECT * FROM filtered ORDER BY estimated_revenue_cny DESC NULLS LAST, product_id, shop_id LIMIT @limit OFFSET @offset;
        {ProductsFiltered}
        SELECT count(*) FROM filtered
        """;
}
