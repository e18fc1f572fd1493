namespace Erp.Db.Queries.Customers;

/// <summary>The SQL of the customer query, over the reader view <c>mart.customer_segments</c>.</summary>
internal static class CustomerSql
{
    public static string Report(CustomerSort sort) => $"""
        SELECT count(*) AS totalcustomers,
               count(*) FILTER (WHERE last_order_date >= CURRENT_DATE - @period_days) AS activecustomers,
               count(*) FILTER (WHERE segment = 'new') AS newcustomers,
               count(*) FILTER (WHERE order_count >= 2) AS repeatcustomers,
               count(*) FILTER (WHERE segment = 'churned') AS churnedcustomers,
               count(*) FILTER (WHERE is_vip) AS vipcustomers,
               coalesce(round(count(*) FILTER (WHERE order_count >= 2)::numeric / nullif(count(*), 0), 4), 0) AS repeatrate
          FROM mart.customer_segments;
        SELECT segment, count(*) AS count, coalesce(sum(total_spend_cny), 0) AS revenue,
               coalesce(round(avg(total_spend_cny), 2), 0) AS averagerevenue
          FROM mart.customer_segments
         GROUP BY segment
         ORDER BY segment;
        SELECT customer_id AS customerid, customer_code AS customercode, segment, total_spend_cny AS totalrevenue,
               order_count AS ordercount, first_order_date AS firstorderdate, last_order_date AS lastorderdate
          FROM mart.customer_segments
         WHERE @segment::text IS NULL OR segment = @segment OR (@segment = 'vip' AND is_vip)
         ORDER BY {SortColumn(sort)} DESC, customer_id
         LIMIT @limit
        """;

    private static string SortColumn(CustomerSort sort) => sort switch
    {
        CustomerSort.Orders => "order_count",
        CustomerSort.LastOrder => "last_order_date",
        _ => "total_spend_cny",
    };
}
