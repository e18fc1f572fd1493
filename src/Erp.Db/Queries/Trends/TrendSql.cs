namespace Erp.Db.Queries.Trends;

/// <summary>The SQL of the trend query, over the reader view <c>mart.daily_sales</c> (exact at the period's edges).</summary>
internal static class TrendSql
{
    public static string Series(Granularity granularity) => $"""
        SELECT bucket, revenue, orders, aov, netprofit,
               round((revenue - lag(revenue) OVER (ORDER BY bucket)) / nullif(lag(revenue) OVER (ORDER BY bucket), 0), 4) AS revenuechange
          FROM (SELECT date_trunc('{Unit(granularity)}', sales_date)::date AS bucket,
                       sum(gmv_cny) AS revenue, sum(order_count)::bigint AS orders,
                       coalesce(round(sum(gmv_cny) / nullif(sum(order_count), 0), 2), 0) AS aov,
                       sum(net_profit_cny) AS netprofit
                  FROM mart.daily_sales
                 WHERE sales_date BETWEEN @start AND @end
                 GROUP BY 1) AS buckets
         ORDER BY bucket
        """;

    private static string Unit(Granularity granularity) => granularity switch
    {
        Granularity.Week => "week",
        Granularity.Month => "month",
        _ => "day",
    };
}
