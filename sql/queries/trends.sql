-- trends: revenue, orders, AOV and net profit per :unit ('day', 'week' or 'month') over [:start, :end],
-- with the change of revenue, orders and AOV against the bucket just before. Buckets without orders have no row;
-- the bucket after one has no change (NULL), as against an empty bucket's 0, not against an older bucket.
-- Exact at the edges of the period (summed from days).
-- reads: mart.daily_sales
-- parameters: :start, :end (dates), :unit ('day', 'week' or 'month')
-- run: see docs/queries.md
SELECT bucket, revenue, orders, aov, netprofit,
       CASE WHEN lag(bucket) OVER w = (bucket - ('1 ' || :unit::text)::interval)::date
            THEN round((revenue - lag(revenue) OVER w) / nullif(lag(revenue) OVER w, 0), 4) END AS revenuechange,
       CASE WHEN lag(bucket) OVER w = (bucket - ('1 ' || :unit::text)::interval)::date
            THEN round((orders - lag(orders) OVER w)::numeric / nullif(lag(orders) OVER w, 0), 4) END AS orderschange,
       CASE WHEN lag(bucket) OVER w = (bucket - ('1 ' || :unit::text)::interval)::date
            THEN round((aov - lag(aov) OVER w) / nullif(lag(aov) OVER w, 0), 4) END AS aovchange
  FROM (SELECT date_trunc(:unit::text, sales_date)::date AS bucket,
               sum(gmv_cny) AS revenue, sum(order_count)::bigint AS orders,
               coalesce(round(sum(gmv_cny) / nullif(sum(order_count), 0), 2), 0) AS aov,
               sum(net_profit_cny) AS netprofit
          FROM mart.daily_sales
         WHERE sales_date BETWEEN :start::date AND :end::date
         GROUP BY 1) AS buckets
WINDOW w AS (ORDER BY bucket)
 ORDER BY bucket;
