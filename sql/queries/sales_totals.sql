-- sales_totals: the sales totals of the scoped merchant over [:start, :end], the GMV of [:previous_start, :previous_end]
-- and the growth from that to this (a rate, mart.rate: NULL when the previous GMV is 0). AOV by mart.aov (NULL without orders).
-- reads: mart.daily_sales (valid orders only, see docs/metrics.md)
-- parameters: :start, :end, :previous_start, :previous_end (dates), :platforms (text[], '{}' = all)
-- run: see docs/queries.md (psql -v start="'2025-06-01'" ... -f sql/queries/sales_totals.sql)
SELECT t.*, mart.rate(t.totalrevenue - t.previousperiodrevenue, t.previousperiodrevenue) AS growthrate
  FROM (SELECT coalesce(sum(gmv_cny), 0) AS totalrevenue, coalesce(sum(order_count), 0)::bigint AS totalorders,
               mart.aov(sum(gmv_cny), sum(order_count)) AS averageordervalue,
               coalesce(sum(gross_profit_cny), 0) AS grossprofit, coalesce(sum(net_profit_cny), 0) AS netprofit,
               (SELECT coalesce(sum(p.gmv_cny), 0) FROM mart.daily_sales AS p
                 WHERE p.sales_date BETWEEN :previous_start::date AND :previous_end::date
                   AND (cardinality(:platforms::text[]) = 0 OR p.platform_code = ANY(:platforms::text[]))) AS previousperiodrevenue
          FROM mart.daily_sales
         WHERE sales_date BETWEEN :start::date AND :end::date
           AND (cardinality(:platforms::text[]) = 0 OR platform_code = ANY(:platforms::text[]))) AS t;
