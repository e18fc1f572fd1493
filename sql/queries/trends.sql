-- trends: revenue, orders, AOV and net profit per :unit ('day', 'week' or 'month') over [:start, :end],
-- with the change of revenue, orders and AOV against the previous bucket with orders. Exact at the edges of the
-- period (summed from days).
-- reads: mart.daily_sales
-- parameters: :start, :end (dates), :unit ('day', 'week' or 'month')
-- run: see docs/queries.md
SELECT bucket, revenue, orders, aov, netprofit,
       round((revenue - lag(revenue) OVER (ORDER BY bucket)) / nullif(lag(revenue) OVER (ORDER BY bucket), 0), 4) AS revenuechange,
       round((orders - lag(orders) OVER (ORDER BY bucket))::numeric / nullif(lag(orders) OVER (ORDER BY bucket), 0), 4) AS orderschange,
       round((aov - lag(aov) OVER (ORDER BY bucket)) / nullif(lag(aov) OVER (ORDER BY bucket), 0), 4) AS aovchange
  FROM (SELECT date_trunc(:unit::text, sales_date)::date AS bucket,
               sum(gmv_cny) AS revenue, sum(order_count)::bigint AS orders,
               coalesce(round(sum(gmv_cny) / nullif(sum(order_count), 0), 2), 0) AS aov,
               sum(net_profit_cny) AS netprofit
          FROM mart.daily_sales
         WHERE sales_date BETWEEN :start::date AND :end::date
         GROUP BY 1) AS buckets
 ORDER BY bucket;
