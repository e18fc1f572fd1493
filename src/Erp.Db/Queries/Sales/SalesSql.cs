namespace Erp.Db.Queries.Sales;

/// <summary>The SQL of the sales query: reader views only, every value a parameter, groupings from a closed list.</summary>
internal static class SalesSql
{
    private const string PlatformFilter = "(cardinality(@platforms) = 0 OR platform_code = ANY(@platforms))";

    /// <summary>The whole sales query: totals, daily rows, the breakdown (unless by day) and the top products.</summary>
    public static string Report(SalesGrouping grouping) =>
        Totals + Daily + (grouping == SalesGrouping.Day ? "" : Breakdown(grouping)) + TopProducts.TrimEnd().TrimEnd(';');

    /// <summary>Totals of the period, then of the previous period.</summary>
    public const string Totals = $"""
        SELECT coalesce(sum(gmv_cny), 0) AS totalrevenue, coalesce(sum(order_count), 0)::bigint AS totalorders,
               coalesce(round(sum(gmv_cny) / nullif(sum(order_count), 0), 2), 0) AS averageordervalue,
               coalesce(sum(gross_profit_cny), 0) AS grossprofit, coalesce(sum(net_profit_cny), 0) AS netprofit,
               (SELECT coalesce(sum(p.gmv_cny), 0) FROM mart.daily_sales AS p
                 WHERE p.sales_date BETWEEN @previous_start AND @previous_end
                   AND (cardinality(@platforms) = 0 OR p.platform_code = ANY(@platforms))) AS previousperiodrevenue
          FROM mart.daily_sales
         WHERE sales_date BETWEEN @start AND @end AND {PlatformFilter};
        """;

    /// <summary>One row per day.</summary>
    public const string Daily = $"""
        SELECT to_char(sales_date, 'YYYY-MM-DD') AS key, to_char(sales_date, 'YYYY-MM-DD Dy') AS label,
               sum(gmv_cny) AS revenue, sum(order_count)::bigint AS orders,
               coalesce(round(sum(gmv_cny) / nullif(sum(order_count), 0), 2), 0) AS aov
          FROM mart.daily_sales
         WHERE sales_date BETWEEN @start AND @end AND {PlatformFilter}
         GROUP BY sales_date
         ORDER BY sales_date;
        """;

    /// <summary>The breakdown for each grouping but day (which is <see cref="Daily"/>).</summary>
    public static string Breakdown(SalesGrouping grouping) => grouping switch
    {
        SalesGrouping.Week => ByPeriod("week"),
        SalesGrouping.Month => ByPeriod("month"),
        SalesGrouping.Shop => $"""
            SELECT shop_id::text AS key, max(shop_name) || ' (' || max(platform_code) || ')' AS label,
                   sum(gmv_cny) AS revenue, sum(order_count)::bigint AS orders,
                   coalesce(round(sum(gmv_cny) / nullif(sum(order_count), 0), 2), 0) AS aov
              FROM mart.daily_sales
             WHERE sales_date BETWEEN @start AND @end AND {PlatformFilter}
             GROUP BY shop_id
             ORDER BY revenue DESC, key;
            """,
        SalesGrouping.Platform => $"""
            SELECT platform_code AS key, platform_code AS label,
                   sum(gmv_cny) AS revenue, sum(order_count)::bigint AS orders,
                   coalesce(round(sum(gmv_cny) / nullif(sum(order_count), 0), 2), 0) AS aov
              FROM mart.daily_sales
             WHERE sales_date BETWEEN @start AND @end AND {PlatformFilter}
             GROUP BY platform_code
             ORDER BY revenue DESC, key;
            """,
        SalesGrouping.Product => $"""
            SELECT product_id::text AS key, max(sku) || ' ' || max(product_name) AS label,
                   sum(revenue_cny) AS revenue, sum(order_count)::bigint AS orders,
                   coalesce(round(sum(revenue_cny) / nullif(sum(order_count), 0), 2), 0) AS aov
              FROM mart.product_sales_daily
             WHERE sales_date BETWEEN @start AND @end AND {PlatformFilter}
             GROUP BY product_id
             ORDER BY revenue DESC, key
             LIMIT 500;
            """,
        SalesGrouping.Category => $"""
            SELECT coalesce(s.category_id::text, '') AS key, coalesce(max(c.category_name), '(none)') AS label,
                   sum(s.revenue_cny) AS revenue, sum(s.order_count)::bigint AS orders,
                   coalesce(round(sum(s.revenue_cny) / nullif(sum(s.order_count), 0), 2), 0) AS aov
              FROM mart.product_sales_daily AS s
              LEFT JOIN dw.dim_categories AS c ON c.merchant_id = s.merchant_id AND c.category_id = s.category_id
             WHERE s.sales_date BETWEEN @start AND @end AND (cardinality(@platforms) = 0 OR s.platform_code = ANY(@platforms))
             GROUP BY s.category_id
             ORDER BY revenue DESC, key;
            """,
        _ => Daily,
    };

    /// <summary>
    /// The best sellers by revenue: from <c>mart.top_products</c> when the period is one of its
    /// precomputed windows and no platform filter applies, else summed from the daily rows. The
    /// fallback's NOT EXISTS is uncorrelated, so PostgreSQL evaluates it once and skips the sum.
    /// </summary>
    public const string TopProducts = $"""
        WITH precomputed AS (
            SELECT product_id AS productid, sku, product_name AS name, revenue_cny AS revenue, order_count AS orders, units_sold AS quantity
              FROM mart.top_products
             WHERE window_days = @days AND window_end = @end AND cardinality(@platforms) = 0
             ORDER BY revenue_cny DESC, product_id
             LIMIT @top
        )
        SELECT * FROM precomputed
        UNION ALL
        (SELECT product_id AS productid, max(sku) AS sku, max(product_name) AS name,
                sum(revenue_cny) AS revenue, sum(order_count)::bigint AS orders, sum(units_sold)::bigint AS quantity
           FROM mart.product_sales_daily
          WHERE sales_date BETWEEN @start AND @end AND {PlatformFilter}
            AND NOT EXISTS (SELECT 1 FROM precomputed)
          GROUP BY product_id
          ORDER BY revenue DESC, product_id
          LIMIT @top)
        ORDER BY revenue DESC, productid;
        """;

    private static string ByPeriod(string unit) => $"""
        SELECT to_char(date_trunc('{unit}', sales_date), 'YYYY-MM-DD') AS key,
               to_char(date_trunc('{unit}', sales_date), '{(unit == "week" ? "IYYY-\"W\"IW" : "YYYY-MM")}') AS label,
               sum(gmv_cny) AS revenue, sum(order_count)::bigint AS orders,
               coalesce(round(sum(gmv_cny) / nullif(sum(order_count), 0), 2), 0) AS aov
          FROM mart.daily_sales
         WHERE sales_date BETWEEN @start AND @end AND {PlatformFilter}
         GROUP BY 1, 2
         ORDER BY 1;
        """;
}
