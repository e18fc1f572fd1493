-- sales_totals: the sales totals of the scoped merchant over [:start, :end], the GMV of [:previous_start, :previous_end]
-- and the growth from that to this (a rate, mart.rate: NULL when the previous GMV is 0). AOV by mart.aov (NULL without orders).
-- When the period includes today (:cut), the comparison's last day, today's counterpart, counts only up to the time of day
-- today has reached in the merchant's time zone (previousthrough), so like is compared with like: its hours before that
-- hour whole, that hour prorated by the minutes elapsed (mart.day_cut, mart.minutes_counted:
-- docs/metrics.md, "Growth of a period that includes today").
-- reads: mart.daily_sales, mart.hourly_sales (valid orders only, see docs/metrics.md)
-- parameters: :start, :end, :previous_start, :previous_end, :today (dates), :cut (boolean), :platforms (text[], '{}' = all)
-- run: see docs/queries.md (psql -v start="'2025-06-01'" ... -v today=CURRENT_DATE -v cut=false -f sql/queries/sales_totals.sql)
WITH cut AS (
    -- How far today has run in the merchant's zone (mart.day_cut: now's time of day to the minute; 00:00 while today has not
    -- begun there, 24:00 once it is over there). The same rule cuts the C-class results' comparisons (ops.compute_c_class).
    SELECT mart.day_cut(m.timezone, :today::date, pg_catalog.now()) AS through
      FROM dw.dim_merchants AS m
     WHERE :cut::boolean AND m.merchant_id = (SELECT ops.current_merchant_id())
), previous AS (
    SELECT (SELECT coalesce(sum(p.gmv_cny), 0) FROM mart.daily_sales AS p
             WHERE p.sales_date BETWEEN :previous_start::date AND :previous_end::date - (SELECT count(*)::integer FROM cut)
               AND (cardinality(:platforms::text[]) = 0 OR p.platform_code = ANY(:platforms::text[])))
         + coalesce((SELECT round(sum(h.gmv_cny * mart.minutes_counted(h.sales_hour, c.through)) / 60, 2)
                       FROM cut AS c
                       JOIN mart.hourly_sales AS h ON h.sales_date = :previous_end::date
                      WHERE cardinality(:platforms::text[]) = 0 OR h.platform_code = ANY(:platforms::text[])), 0) AS revenue,
           (SELECT :previous_end::date + c.through FROM cut AS c) AS through
)
SELECT t.*, mart.rate(t.revenue - t.previousrevenue, t.previousrevenue) AS growthrate
  FROM (SELECT coalesce(sum(gmv_cny), 0) AS revenue, coalesce(sum(order_count), 0)::bigint AS orders,
               mart.aov(sum(gmv_cny), sum(order_count)) AS aov,
               coalesce(sum(gross_profit_cny), 0) AS grossprofit, coalesce(sum(net_profit_cny), 0) AS netprofit,
               (SELECT revenue FROM previous) AS previousrevenue, (SELECT through FROM previous) AS previousthrough
          FROM mart.daily_sales
         WHERE sales_date BETWEEN :start::date AND :end::date
           AND (cardinality(:platforms::text[]) = 0 OR platform_code = ANY(:platforms::text[]))) AS t;
