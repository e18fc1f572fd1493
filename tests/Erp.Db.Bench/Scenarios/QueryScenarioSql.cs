namespace Erp.Db.Bench.Scenarios;

/// <summary>
/// The naive "before" (the questions of the sales and product queries answered from the facts) and
/// the floor (the shortest hand-written SQL answering them from the same materialized views the
/// library reads, filtered by merchant_id: what an app owning the database could send at best).
/// </summary>
internal static class QueryScenarioSql
{
    /// <summary>
    /// The dashboard from the views: totals with the previous period's GMV (its last day cut at now's time of day when the period
    /// includes today, from the hourly sales), one row per day, the top products of the 30-day window.
    /// </summary>
    public const string DashboardFloor = """
        SELECT coalesce(sum(gmv_cny), 0), coalesce(sum(order_count), 0)::bigint,
               coalesce(round(sum(gmv_cny) / nullif(sum(order_count), 0), 2), 0),
               coalesce(sum(gross_profit_cny), 0), coalesce(sum(net_profit_cny), 0),
               (SELECT coalesce(sum(p.gmv_cny), 0) FROM mart.mv_daily_sales AS p
                 WHERE p.merchant_id = @merchant AND p.sales_date BETWEEN @previous_start::date AND @previous_end::date - @cut::int)
               + (SELECT coalesce(round(sum(h.gmv_cny * CASE WHEN h.sales_hour < extract(hour FROM l.t) THEN 60
                                                              WHEN h.sales_hour = extract(hour FROM l.t) THEN extract(minute FROM l.t)
                                                              ELSE 0 END) / 60, 2), 0)
                    FROM mart.mv_hourly_sales AS h
                   CROSS JOIN (SELECT (now() AT TIME ZONE m.timezone)::time AS t FROM dw.dim_merchants AS m WHERE m.merchant_id = @merchant) AS l
                   WHERE @cut AND h.merchant_id = @merchant AND h.sales_date = @previous_end::date)
          FROM mart.mv_daily_sales
         WHERE merchant_id = @merchant AND sales_date BETWEEN @start::date AND @end::date;
        SELECT sales_date, sum(gmv_cny), sum(order_count)::bigint, coalesce(round(sum(gmv_cny) / nullif(sum(order_count), 0), 2), 0)
          FROM mart.mv_daily_sales
         WHERE merchant_id = @merchant AND sales_date BETWEEN @start::date AND @end::date
         GROUP BY sales_date
         ORDER BY sales_date;
        SELECT product_id, sku, product_name, revenue_cny, order_count, units_sold
          FROM mart.mv_top_products
         WHERE merchant_id = @merchant AND window_days = @days AND window_end = @end::date
         ORDER BY revenue_cny DESC, product_id
         LIMIT @top
        """;

    /// <summary>Page 1 of one platform's listings at their latest day by revenue, with the product's stock status, and the count.</summary>
    public const string ProductsFloor = """
        SELECT pm.product_id, pm.sku, pm.product_name, pm.category_name, pm.shop_id, pm.platform_code, pm.metric_date, pm.price_cny,
               pm.stock, coalesce(i.stock_status, 'untracked'), pm.sales_volume, pm.estimated_revenue_cny, pm.page_views, pm.visitors,
               pm.rating, pm.listing_status
          FROM mart.mv_product_management AS pm
          LEFT JOIN mart.mv_inventory_summary AS i ON i.merchant_id = pm.merchant_id AND i.product_id = pm.product_id
         WHERE pm.merchant_id = @merchant AND pm.is_latest AND pm.platform_code = @platform
         ORDER BY pm.estimated_revenue_cny DESC NULLS LAST, pm.product_id, pm.shop_id
         LIMIT @limit OFFSET @offset;
        SELECT count(*) FROM mart.mv_product_management WHERE merchant_id = @merchant AND is_latest AND platform_code = @platform
        """;

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
